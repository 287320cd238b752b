import Foundation
import Testing
import CairnDomain

// All UPNs here are made up. Check letters were worked out by hand from the DfE rule:
// weight characters 2...13 by 2...13, sum, mod 23, and index ABCDEFGHJKLMNPQRTUVWXYZ.
@Suite struct UPNTests {
    // "330400124123" (LA 330, establishment 4001, year 24, serial 123):
    //   3×2 + 3×3 + 0×4 + 4×5 + 0×6 + 0×7 + 1×8 + 2×9 + 4×10 + 1×11 + 2×12 + 3×13
    //   = 6 + 9 + 0 + 20 + 0 + 0 + 8 + 18 + 40 + 11 + 24 + 39 = 175
    //   175 mod 23 = 175 − 161 = 14, and letter 14 is Q (I, O and S are skipped).
    @Test func handWorkedExample() throws {
        #expect(UPN.checkLetter(forDigits: "330400124123") == "Q")
        let upn = try UPN("Q330400124123")
        #expect(upn.value == "Q330400124123")
        #expect(upn.isTemporary == false)
    }

    @Test(arguments: [
        "B801200005001", // sum 93 = 4×23 + 1 -> B
        "A000000000000", // sum 0 -> A
        "F999999999999", // 9 × (2+...+13) = 810 = 35×23 + 5 -> F
        "T202101525007", // sum 223 = 9×23 + 16 -> T (the letter after R, S skipped)
        "M936555123456", // sum 379 = 16×23 + 11 -> M
        "P207000016049", // sum 266 = 11×23 + 13 -> P
        "P000000000001", // 1×13 = 13 -> P
        "N000000000008", // 8×13 = 104 = 4×23 + 12 -> N
        "N000000000010", // 1×12 = 12 -> N
    ])
    func validPermanentUPNs(_ text: String) throws {
        let upn = try UPN(text)
        #expect(upn.value == text)
        #expect(UPN.isValid(text))
        #expect(UPN.checkLetter(forDigits: String(text.dropFirst())) == text.first)
    }

    @Test func everyOtherCheckLetterIsRejected() {
        let letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
        for letter in letters where letter != "Q" {
            #expect(throws: UPNError.wrongCheckLetter(expected: "Q", found: letter)) {
                try UPN(String(letter) + "330400124123")
            }
            #expect(!UPN.isValid(String(letter) + "330400124123"))
        }
    }

    @Test func changingAnyDigitIsDetected() {
        // Weights 2...13 are all coprime with 23, so a single changed digit always changes the letter.
        let body = Array("330400124123")
        for index in body.indices {
            for digit in "0123456789" where digit != body[index] {
                var changed = body
                changed[index] = digit
                #expect(!UPN.isValid("Q" + String(changed)), "digit \(index + 2) changed to \(digit)")
            }
        }
    }

    // MARK: Temporary UPNs

    @Test func temporaryUPNEndsInALetter() throws {
        // "33040012412A": first eleven give 136, A = 0, so 136 = 5×23 + 21 -> Y.
        let a = try UPN("Y33040012412A")
        #expect(a.isTemporary)
        // "33040012412Z": 136 + 22×13 = 422 = 18×23 + 8 -> J (I is skipped).
        let z = try UPN("J33040012412Z")
        #expect(z.isTemporary)
        #expect(UPN.checkLetter(forDigits: "33040012412Z") == "J")
    }

    @Test func temporaryLetterCountsInTheCheck() {
        #expect(throws: UPNError.wrongCheckLetter(expected: "J", found: "Y")) {
            try UPN("Y33040012412Z")
        }
    }

    @Test(arguments: ["I", "O", "S"])
    func temporaryLetterCannotBeIOrOOrS(_ letter: String) {
        #expect(throws: UPNError.invalidCharacter(position: 13, character: Character(letter))) {
            try UPN("A33040012412" + letter)
        }
        #expect(UPN.checkLetter(forDigits: "33040012412" + letter) == nil)
    }

    // MARK: Normalisation

    @Test func lowercaseAndSurroundingWhitespaceAreNormalised() throws {
        let upn = try UPN("  q330400124123\n")
        #expect(upn.value == "Q330400124123")
        #expect(upn == (try UPN("Q330400124123")))
        #expect(upn.hashValue == (try UPN("Q330400124123")).hashValue)
        #expect(try UPN("\tj33040012412z ").value == "J33040012412Z")
        #expect(UPN.isValid(" b801200005001 "))
        #expect(upn.description == "Q330400124123")
    }

    // MARK: Errors

    @Test func emptyInput() {
        #expect(throws: UPNError.empty) { try UPN("") }
        #expect(throws: UPNError.empty) { try UPN("   \n\t") }
        #expect(!UPN.isValid(""))
    }

    @Test func wrongLength() {
        #expect(throws: UPNError.wrongLength(12)) { try UPN("Q33040012412") }
        #expect(throws: UPNError.wrongLength(14)) { try UPN("Q3304001241230") }
        #expect(throws: UPNError.wrongLength(1)) { try UPN("Q") }
        // Inner spaces are not silently removed.
        #expect(throws: UPNError.wrongLength(14)) { try UPN("Q330400 124123") }
    }

    @Test func invalidCheckLetterCharacter() {
        #expect(throws: UPNError.invalidCharacter(position: 1, character: "1")) {
            try UPN("1330400124123")
        }
        #expect(throws: UPNError.invalidCharacter(position: 1, character: "I")) {
            try UPN("I330400124123")
        }
        #expect(throws: UPNError.invalidCharacter(position: 1, character: "O")) {
            try UPN("o330400124123")
        }
    }

    @Test func invalidMiddleCharacter() {
        #expect(throws: UPNError.invalidCharacter(position: 10, character: "A")) {
            try UPN("X80120000A001")
        }
        #expect(throws: UPNError.invalidCharacter(position: 2, character: "-")) {
            try UPN("Q-30400124123")
        }
        // Only a 13th character may be a letter.
        #expect(throws: UPNError.invalidCharacter(position: 12, character: "A")) {
            try UPN("Q3304001241A3")
        }
        #expect(UPN.checkLetter(forDigits: "3304001241A3") == nil)
    }

    @Test func nonASCIIDigitsAreRejected() {
        // Fullwidth and Arabic-Indic digits have numeric values but are not UPN digits.
        #expect(throws: UPNError.invalidCharacter(position: 2, character: "３")) {
            try UPN("Q３30400124123")
        }
        #expect(throws: UPNError.invalidCharacter(position: 13, character: "٣")) {
            try UPN("Q33040012412٣")
        }
    }

    @Test func checkLetterNeedsExactlyTwelve() {
        #expect(UPN.checkLetter(forDigits: "") == nil)
        #expect(UPN.checkLetter(forDigits: "33040012412") == nil)
        #expect(UPN.checkLetter(forDigits: "3304001241230") == nil)
        #expect(UPN.checkLetter(forDigits: "33040012412a") == "Y")
    }

    @Test func errorMessages() {
        #expect(UPNError.empty.description == "UPN is empty")
        #expect(UPNError.wrongLength(12).description == "UPN must be 13 characters (got 12)")
        #expect(UPNError.wrongCheckLetter(expected: "K", found: "A").description
            == "UPN check letter should be K, not A")
        #expect(UPNError.invalidCharacter(position: 10, character: "A").description
            == "UPN character 10 must be a digit, not \u{201C}A\u{201D}")
        #expect(UPNError.invalidCharacter(position: 1, character: "7").description
            == "UPN character 1 must be a check letter (A to Z except I, O and S), not \u{201C}7\u{201D}")
        #expect(UPNError.invalidCharacter(position: 13, character: "O").description
            == "UPN character 13 must be a digit, or for a temporary UPN a letter other than I, O or S, not \u{201C}O\u{201D}")
        // Invisible or control characters are named, never echoed.
        #expect(UPNError.invalidCharacter(position: 4, character: "\u{1B}").description
            == "UPN character 4 must be a digit, not U+1B")
        #expect(UPNError.invalidCharacter(position: 4, character: " ").description
            == "UPN character 4 must be a digit, not U+20")
    }

    // MARK: make

    @Test func makeBuildsValidPermanentUPNs() throws {
        #expect(UPN.make(la: 330, establishment: 4001, year: 24, serial: 123).value == "Q330400124123")
        #expect(UPN.make(la: 330, establishment: 4001, year: 2024, serial: 123).value == "Q330400124123")
        // Zero padding: "000000000001" -> P.
        #expect(UPN.make(la: 0, establishment: 0, year: 0, serial: 1).value == "P000000000001")
        #expect(UPN.make(la: 801, establishment: 2000, year: 5, serial: 1).value == "B801200005001")

        var seen = Set<UPN>()
        for serial in 0...999 {
            let upn = UPN.make(la: 936, establishment: 4321, year: 25, serial: serial)
            #expect(UPN.isValid(upn.value))
            #expect(!upn.isTemporary)
            seen.insert(upn)
        }
        #expect(seen.count == 1000)
    }

    // MARK: Codable and Comparable

    @Test func encodesAsASingleString() throws {
        let data = try JSONEncoder().encode(try UPN("Q330400124123"))
        #expect(String(decoding: data, as: UTF8.self) == "\"Q330400124123\"")
    }

    @Test func decodingNormalisesAndValidates() throws {
        struct Holder: Codable, Equatable { var upn: UPN }
        let decoded = try JSONDecoder().decode(Holder.self, from: Data(#"{"upn":" q330400124123 "}"#.utf8))
        #expect(decoded.upn.value == "Q330400124123")

        let roundTrip = try JSONDecoder().decode(Holder.self, from: try JSONEncoder().encode(decoded))
        #expect(roundTrip == decoded)

        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Holder.self, from: Data(#"{"upn":"A330400124123"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Holder.self, from: Data(#"{"upn":12345}"#.utf8))
        }
    }

    @Test func decodingErrorCarriesTheMessage() {
        do {
            _ = try JSONDecoder().decode([UPN].self, from: Data(#"["A330400124123"]"#.utf8))
            Issue.record("expected a decoding error")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription == "UPN check letter should be Q, not A")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func sortsByValue() throws {
        let upns = try ["Q330400124123", "B801200005001", "A000000000000"].map { try UPN($0) }
        #expect(upns.sorted().map(\.value) == ["A000000000000", "B801200005001", "Q330400124123"])
        #expect(try UPN("A000000000000") < UPN("B801200005001"))
    }
}

/// A line of record text with the words a search matched marked: a search result's snippet.
/// Made from text the database marked with two reserved characters, and sanitised as it is made,
/// so neither the markers nor anything a control character could do ever reach a screen or file.
public struct HighlightedText: Equatable, Sendable {
    /// A run of text, matched or not.
    public struct Run: Equatable, Sendable {
        public var text: String
        public var matched: Bool

        public init(_ text: String, matched: Bool) {
            self.text = text
            self.matched = matched
        }
    }

    /// Adjacent runs differ in `matched`; none is empty.
    public private(set) var runs: [Run]

    public init(runs: [Run]) {
        self.runs = []
        for run in runs { append(run) }
    }

    /// Marks the database puts around each match. U+FDD0 and U+FDD1 are Unicode noncharacters,
    /// reserved for a program's own use: no keyboard or import puts them in what staff wrote.
    public static let openMark = Character(Unicode.Scalar(0xFDD0)!)
    public static let closeMark = Character(Unicode.Scalar(0xFDD1)!)

    /// Parses marked text into runs, making each run one safe display line (TextSanitiser.line:
    /// line breaks and tabs become spaces, controls are shown, not obeyed). A mark out of place
    /// (a close with no open) is dropped rather than shown.
    public init(marked: String) {
        self.runs = []
        var current = ""
        var matched = false
        for character in marked {
            switch character {
            case Self.openMark, Self.closeMark:
                append(Run(TextSanitiser.line(current), matched: matched))
                current = ""
                matched = character == Self.openMark
            default:
                current.append(character)
            }
        }
        append(Run(TextSanitiser.line(current), matched: matched))
    }

    private mutating func append(_ run: Run) {
        guard !run.text.isEmpty else { return }
        if let last = runs.last, last.matched == run.matched {
            runs[runs.count - 1].text += run.text
        } else {
            runs.append(run)
        }
    }

    /// The whole line without marks.
    public var text: String { runs.map(\.text).joined() }

    /// Where the matches are in `text`, as half-open ranges of Unicode code points (what Python's
    /// and most languages' string indexes count), for JSON.
    public var matchOffsets: [Range<Int>] {
        var offsets: [Range<Int>] = []
        var position = 0
        for run in runs {
            let length = run.text.unicodeScalars.count
            if run.matched { offsets.append(position..<(position + length)) }
            position += length
        }
        return offsets
    }

    /// The line with each match between `open` and `close`: "[bruise]" for a plain listing.
    public func marked(open: String, close: String) -> String {
        runs.map { $0.matched ? open + $0.text + close : $0.text }.joined()
    }
}

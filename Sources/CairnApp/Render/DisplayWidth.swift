/// Terminal column widths, computed here rather than by the C library's wcwidth so that
/// layout does not depend on the server's locale or libc version, and tests give the same
/// answer everywhere.
public enum DisplayWidth {
    /// 0, 1 or 2 columns. A grapheme cluster is measured by its first scalar that is not
    /// zero-width, so combining marks and joiners never add columns.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let base = scalars.first(where: { !isZeroWidth($0) }) else { return 0 }
        if scalars.contains("\u{FE0F}"), base.properties.isEmoji { return 2 }
        if base.properties.isEmojiPresentation || isWide(base.value) { return 2 }
        return 1
    }

    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Cuts to at most `width` columns; when cut and `ellipsis`, the last column is "…".
    /// Never splits a wide char.
    public static func truncate(_ text: String, to width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let budget = ellipsis ? width - 1 : width
        var result = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > budget { break }
            result.append(character)
            used += w
        }
        return ellipsis ? result + "…" : result
    }

    /// Truncates then pads with spaces to exactly `width` columns.
    public static func pad(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        let cut = truncate(text, to: width)
        return cut + String(repeating: " ", count: width - of(cut))
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200D, 0xFE00...0xFE0F: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    /// East Asian Wide and Fullwidth blocks, plus the pictographic blocks terminals draw wide.
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F,   // Hangul Jamo initial consonants
             0x2E80...0x303E,   // CJK radicals, punctuation, ideographic space
             0x3041...0x33FF,   // kana, Bopomofo, CJK compatibility
             0x3400...0x4DBF,   // CJK extension A
             0x4E00...0x9FFF,   // CJK unified ideographs
             0xA000...0xA4CF,   // Yi
             0xAC00...0xD7A3,   // Hangul syllables
             0xF900...0xFAFF,   // CJK compatibility ideographs
             0xFE30...0xFE4F,   // CJK compatibility forms
             0xFF00...0xFF60,   // fullwidth forms
             0xFFE0...0xFFE6,   // fullwidth signs
             0x1F300...0x1F64F, // pictographs and emoticons
             0x1F900...0x1F9FF, // supplemental symbols and pictographs
             0x20000...0x3FFFD: // CJK extensions B onwards
            return true
        default:
            return false
        }
    }
}

/// Makes stored text safe to draw. Anything typed, imported or received can contain escape
/// sequences (colour changes, cursor moves, OSC 52 clipboard writes) or bidirectional overrides
/// that make a record read differently from what it says. Controls are shown, not obeyed, so a
/// DSL can see that something odd was there.
public enum TextSanitiser {
    /// One display line: newlines and tabs become spaces; controls neutralised.
    public static func line(_ text: String) -> String {
        lines(text).joined(separator: " ")
    }

    /// Multi-line text split into sanitised lines (CRLF, CR, LF, U+2028/2029 all split).
    /// Empty text gives one empty line; a trailing break gives a trailing empty line.
    public static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var afterCR = false
        var isFirst = true
        for scalar in text.unicodeScalars {
            defer { isFirst = false }
            if afterCR {
                afterCR = false
                if scalar == "\n" { continue }
            }
            switch scalar.value {
            case 0x0D:
                result.append(String(current))
                current = String.UnicodeScalarView()
                afterCR = true
            case 0x0A, 0x2028, 0x2029:
                result.append(String(current))
                current = String.UnicodeScalarView()
            case 0x09:
                current.append(" ")
            case 0xFEFF where isFirst:
                // A leading byte order mark is an encoding artefact, not content.
                continue
            default:
                current.append(neutralised(scalar))
            }
        }
        result.append(String(current))
        return result
    }

    private static let replacement: Unicode.Scalar = "\u{FFFD}"

    private static func neutralised(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x00...0x1F:
            // Control Pictures: ␀ ... ␟, so ESC shows as ␛.
            Unicode.Scalar(0x2400 + scalar.value)!
        case 0x7F:
            "\u{2421}"
        case 0x80...0x9F:
            // C1 controls, including the 8-bit CSI (U+009B) and OSC (U+009D).
            replacement
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069:
            // Bidirectional marks, embeddings, overrides and isolates.
            replacement
        case 0xFEFF:
            replacement
        default:
            scalar
        }
    }
}

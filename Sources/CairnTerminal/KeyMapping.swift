import CairnApp
import CCurses

/// What the terminal reports to the loop.
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(Size)
}

/// Turns what `get_wch` returns into a `Key`. Pure, so it is tested without a terminal.
public enum KeyMapping {
    /// `code` is the character or key code from `get_wch`; `isFunctionKey` is true when it
    /// returned `KEY_CODE_YES`. Returns nil for codes the app has no use for (and for KEY_RESIZE,
    /// which the loop handles itself).
    public static func key(code: Int32, isFunctionKey: Bool) -> Key? {
        isFunctionKey ? functionKey(code) : character(code)
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        // Some terminals (xterm in VT220 mode, old screen) send Find/Select for Home/End.
        case KEY_HOME, KEY_A1, KEY_FIND: return .home
        case KEY_END, KEY_C1, KEY_SELECT: return .end
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        default: return nil
        }
    }

    private static func character(_ code: Int32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26:
            // Ctrl-A is 1 ... Ctrl-Z is 26.
            return .ctrl(Character(Unicode.Scalar(UInt8(96 + code))))
        case 0..<32, 128..<160:
            return nil  // other C0 and C1 control codes
        default:
            guard code > 0, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .unassigned, .privateUse, .lineSeparator, .paragraphSeparator:
                return nil
            default:
                return .char(Character(scalar))
            }
        }
    }
}

@preconcurrency import CCurses
import CairnApp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The curses screen: opening, drawing a `Frame`, reading events, closing.
/// The only type that calls ncurses; everything it decides is in `Palette` and `KeyMapping`.
final class Screen {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let palette: Palette
    private var lastDrawn: Frame?
    private var cursorVisible: Bool?
    private var timeout: Int32 = -2

    /// Opens the terminal in raw mode. Throws if stdin/stdout are not a terminal or TERM is unknown.
    init(theme: Theme, noColor: Bool) throws {
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        guard let screen = cairn_newterm() else {
            throw TerminalError.cannotOpen(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        self.screen = screen
        self.window = cairn_stdscr()!
        raw()
        noecho()
        nonl()
        keypad(window, true)
        intrflush(window, false)
        set_escdelay(25)

        var support = ColourSupport.none
        if !noColor, has_colors() {
            start_color()
            let defaults = use_default_colors() == OK
            support = .colours(count: Int(cairn_colors()), pairs: Int(COLOR_PAIRS), terminalDefaults: defaults)
        }
        palette = Palette(theme: theme, support: support)
        for definition in palette.pairs {
            init_pair(definition.pair, definition.foreground, definition.background)
        }
        // Blank space outside the frame (and what erase() leaves) takes normal's colours.
        wbkgdset(window, chtype(UInt8(ascii: " ")) | cairn_color_pair(Int32(palette[.normal].pair)))
        setCursor(visible: false)
    }

    /// Puts the terminal back as it was. Safe to call more than once.
    func close() {
        if isendwin() == false { endwin() }
    }

    deinit {
        close()
        delscreen(screen)
    }

    var size: Size {
        Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    /// Waits up to `milliseconds` (0: don't wait) for a key or a resize; nil when nothing came.
    func readEvent(milliseconds: Int32) -> TerminalEvent? {
        if timeout != milliseconds {
            wtimeout(window, milliseconds)
            timeout = milliseconds
        }
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == ERR { return nil }
        let code = Int32(bitPattern: UInt32(character))
        let isFunctionKey = result == cairn_key_code_yes()
        if isFunctionKey, code == cairn_key_resize() {
            lastDrawn = nil  // ncurses resized its buffers: draw the next frame in full
            return .resize(size)
        }
        return KeyMapping.key(code: code, isFunctionKey: isFunctionKey).map(TerminalEvent.key)
    }

    /// Draws a frame, unless it is the one already on screen. ncurses sends only what changed.
    func draw(_ frame: Frame) {
        if frame == lastDrawn { return }
        lastDrawn = frame
        werase(window)
        let screenSize = size
        let width = min(frame.size.width, screenSize.width)
        let height = min(frame.size.height, screenSize.height)
        var cell = cchar_t()
        for y in 0..<max(0, height) {
            for x in 0..<max(0, width) {
                let source = frame[x, y]
                if source.isContinuation { continue }
                let isWide = x + 1 < frame.size.width && frame[x + 1, y].isContinuation
                // A wide character cut off by a narrower screen would wrap: show a blank instead.
                let text = isWide && x + 1 >= width ? " " : source.text
                let style = palette[source.role]
                var scalars = CellText.wideCharacters(text)
                if setcchar(&cell, &scalars, style.attributes, style.pair, nil) == ERR {
                    var fallback = CellText.wideCharacters("?")
                    _ = setcchar(&cell, &fallback, style.attributes, style.pair, nil)
                }
                // The bottom-right cell returns ERR (the cursor cannot advance) but is drawn.
                _ = mvwadd_wch(window, Int32(y), Int32(x), &cell)
            }
        }
        if let cursor = frame.cursor, cursor.x >= 0, cursor.y >= 0, cursor.x < width, cursor.y < height {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            setCursor(visible: true)
        } else {
            setCursor(visible: false)
        }
        wnoutrefresh(window)
        doupdate()
    }

    private func setCursor(visible: Bool) {
        guard cursorVisible != visible else { return }
        cursorVisible = visible
        curs_set(visible ? 1 : 0)
    }
}

/// Turns a cell's text into what `setcchar` takes. Pure.
enum CellText {
    /// ncurses keeps a spacing character and up to four combining marks per cell.
    static let maximumCharacters = 5

    /// The cell's scalars, NUL-terminated, with control characters and bidirectional controls
    /// removed (text should arrive sanitised; this is the last line of defence) and a blank if
    /// nothing is left.
    static func wideCharacters(_ text: String) -> [wchar_t] {
        var scalars = text.unicodeScalars.filter(isDrawable).prefix(maximumCharacters).map {
            wchar_t(bitPattern: $0.value)
        }
        if scalars.isEmpty { scalars = [wchar_t(UInt8(ascii: " "))] }
        scalars.append(0)
        return scalars
    }

    static func isDrawable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .lineSeparator, .paragraphSeparator:
            // .format holds the bidirectional overrides and isolates (U+202A-202E, U+2066-2069);
            // zero-width joiners go too, which costs at most an emoji sequence shown apart.
            return false
        default:
            return true
        }
    }
}

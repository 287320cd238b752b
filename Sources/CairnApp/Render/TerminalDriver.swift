/// What the terminal loop drives: the app core conforms, so it never imports curses.
///
/// The loop calls `start` once, then `handle` for each key, `resize` when the window changes and
/// `tick` when idle. It asks for a frame with `render` only when it is about to draw, so that keys
/// arriving together (a paste, fast typing over a slow link) cost one frame, not one each.
public protocol TerminalDriver: AnyObject {
    /// The first frame, for a terminal of this size.
    func start(size: Size) -> Frame
    /// A key was pressed.
    func handle(_ key: Key)
    /// The terminal changed size: lay out again.
    func resize(to size: Size)
    /// Called about every 100 ms. True only if something changed (new data, the minute turning):
    /// never redraw on a timer for nothing, since every byte crosses SSH.
    func tick() -> Bool
    /// The screen as it is now.
    func render() -> Frame
    /// True once the user has quit; the loop then restores the terminal and returns.
    var isFinished: Bool { get }
    /// Why the session ended when the user did not end it, to print after the screen is restored.
    var farewell: String? { get }
}

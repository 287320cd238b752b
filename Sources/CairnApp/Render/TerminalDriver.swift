/// What the terminal loop drives: the app core conforms, so it never imports curses.
///
/// The loop calls `start` once, then `handle` for each key, `resize` when the window changes and
/// `tick` when idle, drawing each frame it gets back, until `isFinished` is true.
public protocol TerminalDriver: AnyObject {
    /// The first frame, for a terminal of this size.
    func start(size: Size) -> Frame
    /// A key was pressed.
    func handle(_ key: Key) -> Frame
    /// The terminal changed size: lay out again.
    func resize(to size: Size) -> Frame
    /// Called about every 100 ms. Return a frame only if something changed (new data, the idle
    /// lock): never redraw on a timer for nothing, since every byte crosses SSH.
    func tick() -> Frame?
    /// True once the user has quit; the loop then restores the terminal and returns.
    var isFinished: Bool { get }
}

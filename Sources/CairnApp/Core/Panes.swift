import CairnDomain
import CairnStore

/// The three panes. At 80 columns one fills the screen under a tab line; at 120 or more the focused
/// list sits beside a detail panel for its selected item.
public enum Pane: Int, Sendable, CaseIterable {
    case queue, chronology, actions, audit

    public var number: Int { rawValue + 1 }

    /// The panes a role may use: staff (and admin, auditor) have only their own concerns; the
    /// chronology needs the right to read one; actions need the right to set them.
    public static func available(to actor: Staff) -> [Pane] {
        var panes: [Pane] = [.queue]
        if AccessPolicy.decide(actor, .readChronology).isAllowed { panes.append(.chronology) }
        if AccessPolicy.decide(actor, .addAction).isAllowed { panes.append(.actions) }
        if AccessPolicy.decide(actor, .readAudit).isAllowed { panes.append(.audit) }
        return panes
    }
}

/// The Actions pane: one view of the open actions, loaded by keyset as the user scrolls.
public struct ActionsState: Equatable, Sendable {
    public var view: ActionView = .mine
    public var items: [ActionRow] = []
    public var selected = 0
    public var top = 0
    public var exhausted = false
    public var loading = false
    public var loaded = false

    public var selectedItem: ActionRow? { items.indices.contains(selected) ? items[selected] : nil }
}

/// A chronology entry opened in full, with its amendment history.
public struct EntryState: Equatable, Sendable {
    public var detail: EntryDetail
    public var scroll = 0
}

/// Which side of the wide layout a pane's detail panel takes, and how big each part is.
public enum PaneLayout {
    /// At this width and wider, lists get a detail panel beside them.
    public static let splitWidth = 120

    public static func isSplit(_ size: Size) -> Bool { size.width >= splitWidth }

    /// Width of the list when split: the panel gets two fifths, never fewer than 46 columns.
    public static func listWidth(_ size: Size) -> Int {
        guard isSplit(size) else { return size.width }
        return size.width - max(46, size.width * 2 / 5) - 1
    }

    /// The size a detail view draws into: the panel when split, else the whole screen.
    public static func detailSize(_ size: Size) -> Size {
        guard isSplit(size) else { return size }
        return Size(width: size.width - listWidth(size) - 1, height: size.height)
    }
}

/// Moving between panes: Tab and Shift-Tab cycle, 1/2/3 jump.
enum PaneSwitching {
    static func go(to pane: Pane, _ state: inout AppState) -> [Effect] {
        guard Pane.available(to: state.actor).contains(pane) else {
            state.notice = Notice(kind: .problem, text: "Your role has no \(pane.title) pane.")
            return []
        }
        state.pane = pane
        if pane == .actions, !state.actions.loaded, !state.actions.loading {
            state.actions.loading = true
            return [.loadActions(state.actions.view, after: nil, limit: App.pageSize)]
        }
        if pane == .audit { return AuditPane.entered(&state) }
        return []
    }

    static func cycle(by step: Int, _ state: inout AppState) -> [Effect] {
        let panes = Pane.available(to: state.actor)
        guard panes.count > 1 else {
            state.notice = Notice(kind: .info, text: "Press l to log a concern; this screen lists the concerns you have logged.")
            return []
        }
        let index = panes.firstIndex(of: state.pane) ?? 0
        return go(to: panes[(index + step + panes.count) % panes.count], &state)
    }
}

extension Pane {
    public var title: String {
        switch self {
        case .queue: "Queue"
        case .chronology: "Chronology"
        case .actions: "Actions"
        case .audit: "Audit"
        }
    }
}

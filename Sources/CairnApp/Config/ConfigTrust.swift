import Foundation

/// What the trust rules need to know about a file or folder, read with `lstat` (or `stat`).
public struct FileFacts: Equatable, Sendable {
    public enum Kind: Sendable { case file, directory, symbolicLink, other }

    public var kind: Kind
    public var ownerUID: UInt32
    /// The owner's account name, or "uid N" when it has none.
    public var ownerName: String
    public var groupName: String
    /// Permission bits only (e.g. 0o644).
    public var mode: UInt32

    public init(kind: Kind, ownerUID: UInt32, ownerName: String, groupName: String, mode: UInt32) {
        self.kind = kind
        self.ownerUID = ownerUID
        self.ownerName = ownerName
        self.groupName = groupName
        self.mode = mode
    }

    /// The facts about `path`, or nil when there is nothing there. A symbolic link is reported as
    /// one unless `followingLinks`.
    public static func of(_ path: String, followingLinks: Bool = true) -> FileFacts? {
        var info = stat()
        guard (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        let kind: Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .directory
        case S_IFLNK: .symbolicLink
        default: .other
        }
        let owner = getpwuid(info.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(info.st_uid)"
        let group = getgrgid(info.st_gid).flatMap { $0.pointee.gr_name.map { String(cString: $0) } } ?? "gid \(info.st_gid)"
        return FileFacts(kind: kind, ownerUID: UInt32(info.st_uid), ownerName: owner, groupName: group,
                         mode: UInt32(info.st_mode) & 0o7777)
    }
}

/// When the server's configuration file may be believed. It can name the account allowed to act
/// for anyone, so only a file that nobody but root can change, in a folder nobody but root can
/// change, is trusted.
public enum ConfigTrust {
    /// Why the file at `path` is not trusted, with the commands that fix it; nil when it is.
    public static func distrust(path: String, file: FileFacts, directoryPath: String, directory: FileFacts) -> String? {
        let fix = "sudo chown root:root \(path) && sudo chmod 644 \(path)"
        let folderFix = "sudo chown root:root \(directoryPath) && sudo chmod 755 \(directoryPath)"
        if file.kind != .file {
            return "\(path) is not a plain file (a link or something else), so Cairn does not trust it. Put the file itself there, then run: \(fix)"
        }
        if let writers = writers(file) {
            return "\(path) is writable by \(writers), so Cairn does not trust it. Run: \(fix)"
        }
        if directory.kind != .directory {
            return "\(directoryPath) is not a plain folder, so Cairn does not trust \(path). Make it a folder owned by root, then run: \(folderFix)"
        }
        if let writers = writers(directory) {
            return "\(directoryPath) is writable by \(writers), who could replace \(path), so Cairn does not trust it. Run: \(folderFix)"
        }
        return nil
    }

    /// Who besides root can change a file or folder with these facts, or nil when nobody can.
    static func writers(_ facts: FileFacts) -> String? {
        var who: [String] = []
        if facts.ownerUID != 0 { who.append(facts.ownerName) }
        if facts.mode & 0o020 != 0 { who.append("the members of group \(facts.groupName)") }
        if facts.mode & 0o002 != 0 { who.append("every user of this server") }
        return who.isEmpty ? nil : who.joined(separator: " and ")
    }

    /// The same, reading the file and its folder from disk.
    static func distrust(systemFileAt path: String) -> String? {
        let directoryPath = (path as NSString).deletingLastPathComponent
        guard let file = FileFacts.of(path, followingLinks: false) else { return nil }
        guard let directory = FileFacts.of(directoryPath, followingLinks: false) else {
            return "\(directoryPath) cannot be examined, so Cairn does not trust \(path). Run: sudo chmod 755 \(directoryPath)"
        }
        return distrust(path: path, file: file, directoryPath: directoryPath, directory: directory)
    }
}

/// Who a run of Cairn acts for. Identity is the operating-system account; `--as` may choose another
/// only for the trusted service account (whose SSH keys each name one person) or on a demo database.
public enum IdentityRule {
    /// Nil when `--as` may be honoured; otherwise the refusal, saying why and what to do.
    public static func refusalOfActAs(effectiveUser: String, config: CairnConfig, isDemo: Bool) -> String? {
        if isDemo { return nil }
        if let account = config.serviceAccount {
            if account == effectiveUser { return nil }
            return "--as is refused: only the service account \(account) may act for someone else, and you are \(effectiveUser). Cairn knows you by your operating-system account: run it without --as."
        }
        if let refusal = config.serviceAccountRefusal {
            return "--as is refused: \(refusal)"
        }
        return "--as is refused: on a real database Cairn knows you by your operating-system account (\(effectiveUser)), and no service account is named in \(CairnConfig.systemPath). Run it without --as."
    }

    /// Nil when this account may manage the service account's SSH keys (it is that account, or root).
    public static func refusalOfKeyManagement(effectiveUser: String, isRoot: Bool, config: CairnConfig) -> String? {
        if isRoot { return nil }
        if let account = config.serviceAccount {
            if account == effectiveUser { return nil }
            return "cairn ssh is refused: it manages the SSH keys of the service account \(account), and you are \(effectiveUser). Run it as that account (sudo -u \(account) cairn ssh …) or as root."
        }
        if let refusal = config.serviceAccountRefusal {
            return "cairn ssh is refused: \(refusal)"
        }
        return "cairn ssh is refused: no service account is named in \(CairnConfig.systemPath), so there are no Cairn SSH keys to manage. See \"Running Cairn on a server\" in the README."
    }
}

import CairnDomain
import Foundation
import GRDB

extension CairnStore {
    /// Records a change to who may reach Cairn by SSH, made by an operating-system account (the
    /// service account or root) rather than a member of staff, and makes the change (`applying`)
    /// inside the same transaction: if the change fails, the event is rolled back with it, so the
    /// audit log and the keys cannot disagree.
    public func recordKeyChange(by osUser: String, username: String, detail: String,
                                applying change: @escaping @Sendable () throws -> Void) throws {
        try pool.write { db in
            try AuditChain.append(db, at: self.clock.now(), actor: osUser, operation: .manageStaff,
                                  recordKind: "ssh_key", recordID: username, detail: detail)
            try change()
        }
    }
}

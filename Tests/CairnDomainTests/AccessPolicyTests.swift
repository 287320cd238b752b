import Foundation
import Testing
import CairnDomain

// Invented staff and schools only.

fileprivate let home = SchoolID(rawValue: 1)
fileprivate let elsewhere = SchoolID(rawValue: 2)

fileprivate let dsl = Staff(username: "dsl.ahmed", displayName: "Farah Ahmed", role: .dsl, school: home)
fileprivate let deputy = Staff(username: "deputy.chen", displayName: "Li Chen", role: .deputy, school: home)
fileprivate let pastoral = Staff(username: "hoy.patel", displayName: "Ravi Patel", role: .pastoral,
                                 years: [.year7, .year8], school: home)
fileprivate let teacher = Staff(username: "t.jones", displayName: "Sian Jones", role: .staff, school: home)
fileprivate let admin = Staff(username: "it.morgan", displayName: "Owen Morgan", role: .admin, school: home)
fileprivate let auditor = Staff(username: "dpo.evans", displayName: "Carys Evans", role: .auditor, school: home)
fileprivate let trustDSL = Staff(username: "trust.dsl", displayName: "Grace Obi", role: .dsl, school: nil)

fileprivate func staff(_ role: Role) -> Staff {
    switch role {
    case .dsl: dsl
    case .deputy: deputy
    case .pastoral: pastoral
    case .staff: teacher
    case .admin: admin
    case .auditor: auditor
    }
}

fileprivate func denial(_ decision: AccessDecision) -> String? {
    if case .deny(let reason) = decision { return reason }
    return nil
}

/// The access matrix, written out by hand. Columns, in order:
///
///     dsl  deputy  pastoral  staff  admin  auditor
///
/// "Y" all (their school, restricted included), "S" in scope, "B" in scope or own, "O" own only, "-" never.
/// Changing the policy means changing this table, on purpose.
fileprivate let matrix: [AccessOperation: String] = [
    .listQueue:        "YY----",
    .listOwnConcerns:  "YYYYYY",
    .readConcern:      "YYSO--",
    .readChronology:   "YYS---",
    .readRestricted:   "YYOO--",
    .logConcern:       "YYYYYY",
    .triage:           "YY----",
    .close:            "YY----",
    .amend:            "YY----",
    .addAction:        "YYB---",
    .addNote:          "YYS---",
    .addReferral:      "YY----",
    .completeAction:   "YYBO--",
    .manageActions:    "YY----",
    .setFlag:          "YY----",
    .search:           "YYS---",
    .exportChronology: "YY----",
    .sarExport:        "YY----",
    .transfer:         "YY----",
    .retentionReview:  "YY----",
    .retentionPurge:   "Y-----",
    .legalHold:        "Y-----",
    .importPupils:     "YY--Y-",
    .manageStaff:      "Y---Y-",
    .readAudit:        "YY---Y",
    .verifyAudit:      "YY--YY",
    .acknowledgeAudit: "Y-----",
    .readStatistics:   "YY--YY",
    .backup:           "Y---Y-",
    .verifyBackfill:   "YYS---",
    .rectify:          "YY----",
]

fileprivate let columns: [Role] = [.dsl, .deputy, .pastoral, .staff, .admin, .auditor]

fileprivate func cell(_ operation: AccessOperation, _ role: Role) -> Character? {
    guard let row = matrix[operation], row.count == columns.count, let column = columns.firstIndex(of: role) else {
        return nil
    }
    return Array(row)[column]
}

fileprivate func expectedAllowed(_ operation: AccessOperation, _ role: Role) -> Bool? {
    cell(operation, role).map { $0 != "-" }
}

/// Operations that touch a child's record, written out (must match `touchesRecord`).
fileprivate let recordOperations: Set<AccessOperation> = [
    .readConcern, .readChronology, .readRestricted, .triage, .close, .amend, .addAction, .addNote, .addReferral,
    .completeAction, .exportChronology, .sarExport, .transfer, .retentionPurge, .legalHold, .setFlag, .verifyBackfill, .rectify,
]

@Suite struct AccessMatrixTests {
    @Test func matrixHasARowForEveryOperationAndAColumnForEveryRole() {
        #expect(Set(matrix.keys) == Set(AccessOperation.allCases))
        #expect(Set(columns) == Set(Role.allCases))
        for (operation, row) in matrix {
            #expect(row.count == columns.count, "row \(operation) has \(row.count) columns")
            #expect(row.allSatisfy { "YSBO-".contains($0) }, "row \(operation) has a stray character")
        }
    }

    @Test(arguments: AccessOperation.allCases, Role.allCases)
    func roleHalf(_ operation: AccessOperation, _ role: Role) {
        guard let want = expectedAllowed(operation, role) else {
            Issue.record("no matrix entry for \(operation) x \(role)")
            return
        }
        #expect(AccessPolicy.allowed(role).contains(operation) == want,
                "\(role.label) \(want ? "should" : "should not") be allowed to \(operation.rawValue)")
        // With no record in view, the decision is exactly the role half.
        #expect(AccessPolicy.decide(staff(role), operation).isAllowed == want)
    }

    /// Every cell against every kind of record: in or out of scope, restricted or not, theirs or not.
    @Test(arguments: AccessOperation.allCases.filter(\.touchesRecord), Role.allCases)
    func everyCellAgainstEveryKindOfRecord(_ operation: AccessOperation, _ role: Role) throws {
        let grant = try #require(cell(operation, role))
        let restrictedGrant = try #require(cell(.readRestricted, role))
        let person = staff(role)
        for inYears in [true, false] {
            for sameSchool in [true, false] {
                for restricted in [true, false] {
                    for own in [true, false] {
                        let scope = RecordScope(school: sameSchool ? home : elsewhere,
                                                yearGroups: [inYears ? .year7 : .year11], restricted: restricted,
                                                reportedBy: own ? person.username : "someone.else",
                                                caseHolder: "someone.else",
                                                actionOwner: own ? person.username : "someone.else")
                        func reaches(_ g: Character) -> Bool {
                            switch g {
                            case "Y": true
                            case "S": inYears
                            case "B": inYears || own
                            case "O": own
                            default: false
                            }
                        }
                        let want = sameSchool && reaches(grant)
                            && (!restricted || operation == .readRestricted || reaches(restrictedGrant))
                        #expect(AccessPolicy.decide(person, operation, scope).isAllowed == want,
                                "\(role) \(operation) years:\(inYears) school:\(sameSchool) restricted:\(restricted) own:\(own)")
                    }
                }
            }
        }
    }

    @Test(arguments: AccessOperation.allCases)
    func recordOperationsAreTheOnesThatTouchRecords(_ operation: AccessOperation) {
        #expect(operation.touchesRecord == recordOperations.contains(operation))
    }

    @Test func adminAndAuditorMayDoNoRecordOperation() {
        for role in [Role.admin, .auditor] {
            #expect(AccessPolicy.allowed(role).isDisjoint(with: recordOperations), "\(role) touches records")
        }
    }

    @Test func deputyMayDoEverythingButStaffRetentionPurgeLegalHoldBackupAndAcknowledgingABrokenAudit() {
        #expect(Set(AccessOperation.allCases).subtracting(AccessPolicy.allowed(.deputy))
            == [.manageStaff, .retentionPurge, .legalHold, .backup, .acknowledgeAudit])
    }

    @Test func printedMatrixHasEveryOperationAndRole() {
        let lines = AccessMatrix.markdown.split(separator: "\n")
        #expect(lines.count == AccessOperation.allCases.count + 2)
        #expect(lines[0] == "| operation | dsl | deputy | pastoral | staff | admin | auditor |")
        #expect(lines.contains("| read_chronology | yes | yes | in scope | no | no | no |"))
        #expect(lines.contains("| complete_action | yes | yes | in scope or own | own only | no | no |"))
    }
}

@Suite struct AccessRecordTests {
    static let year7 = RecordScope(school: home, yearGroups: [.year7])

    // MARK: Disabled accounts

    @Test(arguments: Role.allCases)
    func disabledStaffAreRefusedEverything(_ role: Role) {
        var person = staff(role)
        person.active = false
        for operation in AccessOperation.allCases {
            for scope in [nil, Self.year7, RecordScope(school: elsewhere, yearGroups: [.year7])] as [RecordScope?] {
                let decision = AccessPolicy.decide(person, operation, scope)
                #expect(decision == .deny("\(person.username)'s account is disabled"),
                        "disabled \(role) was not refused \(operation)")
            }
        }
    }

    // MARK: Schools

    @Test(arguments: Array(recordOperations))
    func anotherSchoolsRecordIsRefused(_ operation: AccessOperation) {
        let other = RecordScope(school: elsewhere, yearGroups: [.year7], reportedBy: teacher.username,
                                caseHolder: pastoral.username, actionOwner: teacher.username)
        for role in Role.allCases where AccessPolicy.allowed(role).contains(operation) {
            #expect(AccessPolicy.decide(staff(role), operation, other) == .deny("this record belongs to another school"))
        }
    }

    @Test(arguments: Array(recordOperations))
    func trustLevelStaffSpanSchools(_ operation: AccessOperation) {
        #expect(AccessPolicy.decide(trustDSL, operation, RecordScope(school: home, yearGroups: [.year7])) == .allow)
        #expect(AccessPolicy.decide(trustDSL, operation, RecordScope(school: elsewhere, yearGroups: [.year9])) == .allow)
    }

    @Test(arguments: [Role.dsl, .deputy])
    func safeguardingTeamSeeRestrictedRecordsInTheirSchool(_ role: Role) {
        let restricted = RecordScope(school: home, yearGroups: [.year10], restricted: true, caseHolder: "someone.else")
        for operation in AccessPolicy.allowed(role) where operation.touchesRecord {
            #expect(AccessPolicy.decide(staff(role), operation, restricted) == .allow)
        }
    }

    // MARK: Pastoral

    @Test(arguments: [AccessOperation.readConcern, .readChronology, .addAction, .addNote, .completeAction])
    func pastoralInScopeIsAllowed(_ operation: AccessOperation) {
        #expect(AccessPolicy.decide(pastoral, operation, Self.year7) == .allow)
        #expect(AccessPolicy.decide(pastoral, operation, RecordScope(school: home, yearGroups: [.year7, .year8])) == .allow)
    }

    @Test(arguments: [
        [YearGroup.year9],
        [.reception],
        [.year7, .year9], // a concern about two pupils, one outside scope
        [],               // no year group known: refuse rather than guess
    ])
    func pastoralOutOfYearScopeIsRefused(_ years: [YearGroup]) {
        let scope = RecordScope(school: home, yearGroups: years)
        for operation in [AccessOperation.readConcern, .readChronology, .addAction, .addNote, .completeAction] {
            #expect(AccessPolicy.decide(pastoral, operation, scope) == .deny("this pupil is outside your year groups"))
        }
    }

    @Test func pastoralRestrictedIsRefusedUnlessItIsTheirOwnOrTheirCase() {
        let notTheirs = RecordScope(school: home, yearGroups: [.year8], restricted: true, caseHolder: dsl.username)
        let noHolder = RecordScope(school: home, yearGroups: [.year8], restricted: true)
        let theirs = RecordScope(school: home, yearGroups: [.year8], restricted: true, reportedBy: pastoral.username)
        for operation in [AccessOperation.readConcern, .readChronology, .addAction, .addNote] {
            #expect(AccessPolicy.decide(pastoral, operation, notTheirs)
                == .deny("this record is restricted to the safeguarding team"))
            #expect(AccessPolicy.decide(pastoral, operation, noHolder)
                == .deny("this record is restricted to the safeguarding team"))
            #expect(AccessPolicy.decide(pastoral, operation, theirs) == .allow)
            let held = RecordScope(school: home, yearGroups: [.year8], restricted: true, caseHolder: pastoral.username)
            #expect(AccessPolicy.decide(pastoral, operation, held) == .allow)
        }
    }

    @Test func pastoralCaseHolderOutsideYearScopeIsStillRefused() {
        let scope = RecordScope(school: home, yearGroups: [.year11], restricted: true, caseHolder: pastoral.username)
        #expect(AccessPolicy.decide(pastoral, .readChronology, scope) == .deny("this pupil is outside your year groups"))
    }

    @Test func pastoralMayCompleteTheirOwnActionOutsideScope() {
        let owned = RecordScope(school: home, yearGroups: [.year11], restricted: true, actionOwner: pastoral.username)
        let notOwned = RecordScope(school: home, yearGroups: [.year11], actionOwner: dsl.username)
        #expect(AccessPolicy.decide(pastoral, .completeAction, owned) == .allow)
        #expect(AccessPolicy.decide(pastoral, .completeAction, notOwned) == .deny("this pupil is outside your year groups"))
        // Owning an action does not open the rest of the record.
        #expect(AccessPolicy.decide(pastoral, .readChronology, owned) == .deny("this pupil is outside your year groups"))
    }

    @Test func pastoralMayMoveTheirOwnActionButNotAnotherOutsideScope() {
        // Moving a due date is checked as .addAction with the action's owner in scope.
        let owned = RecordScope(school: home, yearGroups: [.year11], actionOwner: pastoral.username)
        let notOwned = RecordScope(school: home, yearGroups: [.year11], actionOwner: dsl.username)
        #expect(AccessPolicy.decide(pastoral, .addAction, owned) == .allow)
        #expect(AccessPolicy.decide(pastoral, .addAction, notOwned) == .deny("this pupil is outside your year groups"))
        #expect(AccessPolicy.decide(pastoral, .manageActions, owned)
            == .deny("the Pastoral lead role may not reassign actions and see everyone's actions"))
        // A member of staff owns actions but sets none, so may not move one either.
        let teachers = RecordScope(school: home, yearGroups: [.year3], actionOwner: teacher.username)
        #expect(AccessPolicy.decide(teacher, .addAction, teachers) == .deny("the Staff role may not add actions"))
    }

    @Test(arguments: [AccessOperation.triage, .close, .amend, .addReferral, .exportChronology, .sarExport, .transfer,
                      .setFlag, .manageActions])
    func pastoralMayNotDoTheDSLsWorkEvenInScope(_ operation: AccessOperation) throws {
        let reason = try #require(denial(AccessPolicy.decide(pastoral, operation, Self.year7)))
        #expect(reason.hasPrefix("the Pastoral lead role may not "))
    }

    // MARK: Staff

    @Test func staffMayReadOnlyConcernsTheyReported() {
        let own = RecordScope(school: home, yearGroups: [.year3], reportedBy: teacher.username)
        let ownRestricted = RecordScope(school: home, yearGroups: [.year3], restricted: true, reportedBy: teacher.username,
                                        caseHolder: dsl.username)
        let others = RecordScope(school: home, yearGroups: [.year3], reportedBy: "t.williams")
        let unknown = RecordScope(school: home, yearGroups: [.year3])
        #expect(AccessPolicy.decide(teacher, .readConcern, own) == .allow)
        #expect(AccessPolicy.decide(teacher, .readConcern, ownRestricted) == .allow)
        #expect(AccessPolicy.decide(teacher, .readConcern, others) == .deny("you may see only the concerns you logged and the actions given to you"))
        #expect(AccessPolicy.decide(teacher, .readConcern, unknown) == .deny("you may see only the concerns you logged and the actions given to you"))
    }

    @Test func staffMayCompleteOnlyActionsTheyOwn() {
        let owned = RecordScope(school: home, yearGroups: [.year3], actionOwner: teacher.username)
        let notOwned = RecordScope(school: home, yearGroups: [.year3], actionOwner: pastoral.username)
        #expect(AccessPolicy.decide(teacher, .completeAction, owned) == .allow)
        #expect(AccessPolicy.decide(teacher, .completeAction, notOwned) == .deny("you may see only the concerns you logged and the actions given to you"))
        // Reporting the concern does not make its actions theirs.
        let reportedOnly = RecordScope(school: home, yearGroups: [.year3], reportedBy: teacher.username,
                                       actionOwner: dsl.username)
        #expect(AccessPolicy.decide(teacher, .completeAction, reportedOnly).isAllowed == false)
        // Owning an action does not let them read the concern behind it.
        #expect(AccessPolicy.decide(teacher, .readConcern, owned) == .deny("you may see only the concerns you logged and the actions given to you"))
    }

    @Test func staffMayNotListTheQueueOrReadAChronology() {
        #expect(AccessPolicy.decide(teacher, .listQueue) == .deny("the Staff role may not see the incoming queue"))
        let own = RecordScope(school: home, yearGroups: [.year3], reportedBy: teacher.username)
        #expect(AccessPolicy.decide(teacher, .readChronology, own) == .deny("the Staff role may not read a pupil's chronology"))
        #expect(AccessPolicy.decide(teacher, .search) == .deny("the Staff role may not search records"))
    }

    @Test func staffMayLogAndListTheirOwnConcerns() {
        #expect(AccessPolicy.decide(teacher, .logConcern) == .allow)
        #expect(AccessPolicy.decide(teacher, .listOwnConcerns) == .allow)
    }

    // MARK: Admin and auditor

    @Test(arguments: [Role.admin, .auditor], Array(recordOperations))
    func adminAndAuditorReadNoRecordContent(_ role: Role, _ operation: AccessOperation) {
        let decision = AccessPolicy.decide(staff(role), operation, Self.year7)
        #expect(denial(decision)?.hasPrefix("the \(role.label) role may not ") == true, "\(role) \(operation): \(decision)")
    }

    @Test func adminAndAuditorKeepTheirOwnWork() {
        // Everyone who works in a school may raise a concern, even without reading any.
        for person in [admin, auditor] {
            #expect(AccessPolicy.decide(person, .logConcern) == .allow)
            #expect(AccessPolicy.decide(person, .listOwnConcerns) == .allow)
        }
        for operation in [AccessOperation.manageStaff, .importPupils, .verifyAudit, .readStatistics, .backup] {
            #expect(AccessPolicy.decide(admin, operation) == .allow)
        }
        for operation in [AccessOperation.readAudit, .verifyAudit, .readStatistics] {
            #expect(AccessPolicy.decide(auditor, operation) == .allow)
        }
        #expect(AccessPolicy.decide(admin, .readAudit) == .deny("the Admin role may not read the audit log"))
        #expect(AccessPolicy.decide(auditor, .readConcern) == .deny("the Auditor role may not read concerns"))
    }

    // MARK: Reasons

    @Test func roleRefusalsReadAsEnglish() {
        #expect(AccessPolicy.decide(deputy, .retentionPurge) == .deny("the Deputy DSL role may not purge records"))
        #expect(AccessPolicy.decide(deputy, .manageStaff) == .deny("the Deputy DSL role may not manage staff"))
        #expect(AccessPolicy.decide(pastoral, .triage) == .deny("the Pastoral lead role may not triage concerns"))
        #expect(AccessPolicy.decide(pastoral, .listQueue) == .deny("the Pastoral lead role may not see the incoming queue"))
        #expect(AccessPolicy.decide(admin, .readChronology) == .deny("the Admin role may not read a pupil's chronology"))
        #expect(AccessPolicy.decide(auditor, .sarExport)
            == .deny("the Auditor role may not handle subject access requests"))
    }

    @Test func everyRefusalIsPlainEnglish() {
        var phrases: [AccessOperation: String] = [:]
        var reasons: [String] = []
        for role in Role.allCases {
            for operation in AccessOperation.allCases {
                for scope in [nil, Self.year7] as [RecordScope?] {
                    guard let reason = denial(AccessPolicy.decide(staff(role), operation, scope)) else { continue }
                    reasons.append(reason)
                    let prefix = "the \(role.label) role may not "
                    if reason.hasPrefix(prefix) {
                        let phrase = String(reason.dropFirst(prefix.count))
                        if let seen = phrases[operation] {
                            #expect(seen == phrase, "\(operation) is described two ways")
                        }
                        phrases[operation] = phrase
                    }
                }
            }
        }
        var disabled = dsl
        disabled.active = false
        reasons.append(denial(AccessPolicy.decide(disabled, .readConcern)) ?? "")
        reasons.append(denial(AccessPolicy.decide(dsl, .readConcern, RecordScope(school: elsewhere))) ?? "")

        for reason in reasons {
            #expect(!reason.isEmpty)
            #expect(!reason.contains("_"), "\"\(reason)\" leaks an identifier")
            #expect(!reason.hasSuffix("."), "\"\(reason)\" should not end with a full stop: it follows \"Not permitted: \"")
            #expect(reason.first?.isLowercase == true, "\"\(reason)\" should continue a sentence")
            for operation in AccessOperation.allCases where operation.rawValue.contains("_") {
                #expect(!reason.contains(operation.rawValue))
            }
            #expect(reason.range(of: "[a-z][A-Z]", options: .regularExpression) == nil, "\"\(reason)\" has camelCase")
        }
        // Every operation some role may not do has its own description.
        let refusedSomewhere = Set(AccessOperation.allCases.filter { op in Role.allCases.contains { !AccessPolicy.allowed($0).contains(op) } })
        #expect(Set(phrases.keys) == refusedSomewhere)
        #expect(Set(phrases.values).count == phrases.count, "two operations share a description")
    }

    @Test func accessDeniedReadsAsASentence() {
        let denied = AccessDenied(operation: .readChronology, reason: "this pupil is outside your year groups")
        #expect(denied.description == "Not permitted: this pupil is outside your year groups")
    }
}

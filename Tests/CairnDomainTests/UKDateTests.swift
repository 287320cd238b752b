import Foundation
import Testing
import CairnDomain

/// An instant given in UTC, built independently of UKDate so that the London conversion is really tested.
fileprivate func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}

@Suite struct UKDateFormatTests {
    @Test func winterDateAndTime() {
        let instant = utc(2026, 11, 22, 14, 5) // GMT: London = UTC
        #expect(UKDate.date(instant) == "22/11/2026")
        #expect(UKDate.dateTime(instant) == "22/11/2026 14:05")
    }

    @Test func summerInstantShowsTheLondonHour() {
        let instant = utc(2026, 7, 1, 13, 5) // BST: London = UTC + 1
        #expect(UKDate.dateTime(instant) == "01/07/2026 14:05")
        #expect(UKDate.date(instant) == "01/07/2026")
    }

    @Test func lateSummerEveningInUTCIsTomorrowInLondon() {
        let instant = utc(2026, 6, 30, 23, 30)
        #expect(UKDate.date(instant) == "01/07/2026")
        #expect(UKDate.dateTime(instant) == "01/07/2026 00:30")
    }

    @Test func padsSingleDigits() {
        #expect(UKDate.dateTime(utc(2027, 1, 5, 9, 3)) == "05/01/2027 09:03")
        #expect(UKDate.date(utc(2027, 1, 5)) == "05/01/2027")
    }

    @Test(arguments: [
        // Clocks go forward at 01:00 UTC on 29 March 2026...
        (utc(2026, 3, 29, 0, 59), "29/03/2026 00:59"),
        (utc(2026, 3, 29, 1, 0), "29/03/2026 02:00"),
        // ...and back at 01:00 UTC on 25 October 2026, so 01:30 happens twice.
        (utc(2026, 10, 25, 0, 30), "25/10/2026 01:30"),
        (utc(2026, 10, 25, 1, 30), "25/10/2026 01:30"),
        (utc(2026, 10, 25, 2, 30), "25/10/2026 02:30"),
    ])
    func acrossTheClockChanges(_ instant: Date, _ expected: String) {
        #expect(UKDate.dateTime(instant) == expected)
    }

    @Test func timeZoneIsLondon() {
        #expect(UKDate.timeZone.identifier == "Europe/London")
        #expect(UKDate.calendar.timeZone.identifier == "Europe/London")
    }
}

@Suite struct UKDateParseTests {
    @Test func parseDateIsMidnightInLondon() {
        #expect(UKDate.parseDate("22/11/2026") == utc(2026, 11, 22))
        #expect(UKDate.parseDate("01/07/2026") == utc(2026, 6, 30, 23, 0)) // midnight BST
        #expect(UKDate.parseDate("  22/11/2026 ") == utc(2026, 11, 22))
    }

    @Test func parseDateTimeIsLondonTime() {
        #expect(UKDate.parseDateTime("22/11/2026 14:05") == utc(2026, 11, 22, 14, 5))
        #expect(UKDate.parseDateTime("01/07/2026 14:05") == utc(2026, 7, 1, 13, 5))
        #expect(UKDate.parseDateTime("01/07/2026 00:00") == utc(2026, 6, 30, 23, 0))
        #expect(UKDate.parseDateTime("31/12/2026 23:59") == utc(2026, 12, 31, 23, 59))
    }

    @Test func leapDayInALeapYear() {
        #expect(UKDate.parseDate("29/02/2028") == utc(2028, 2, 29))
        #expect(UKDate.parseDateTime("29/02/2028 23:59") == utc(2028, 2, 29, 23, 59))
        #expect(UKDate.parseDate("29/02/2000") != nil) // divisible by 400
    }

    @Test func singleDigitDayAndMonthAreAccepted() {
        #expect(UKDate.parseDate("1/7/2026") == UKDate.parseDate("01/07/2026"))
        #expect(UKDate.parseDateTime("5/1/2027 9:03") == utc(2027, 1, 5, 9, 3))
    }

    @Test(arguments: ["22/11/2026", "01/07/2026", "29/02/2028", "31/12/1999", "01/01/2010"])
    func dateRoundTrips(_ text: String) throws {
        let date = try #require(UKDate.parseDate(text))
        #expect(UKDate.date(date) == text)
        #expect(UKDate.dateTime(date) == text + " 00:00")
    }

    @Test(arguments: ["22/11/2026 14:05", "01/07/2026 14:05", "25/10/2026 02:30", "29/03/2026 03:00", "29/02/2028 00:01"])
    func dateTimeRoundTrips(_ text: String) throws {
        let date = try #require(UKDate.parseDateTime(text))
        #expect(UKDate.dateTime(date) == text)
    }

    @Test(arguments: [
        "31/02/2026",   // no such day
        "29/02/2026",   // not a leap year
        "29/02/2100",   // century, not a leap year
        "31/04/2026",
        "32/01/2026",
        "00/01/2026",
        "22/13/2026",
        "22/00/2026",
        "2026-11-22",   // ISO, not how a DSL writes it
        "22/11/26",     // two-digit year
        "22-11-2026",
        "22.11.2026",
        "22//2026",
        "22/11/2026/1",
        "22/11/ 2026",
        "11/2026",
        "22/11/2026 14:05", // a time where only a date is wanted
        "25:00",
        "tomorrow",
        "",
        "   ",
    ])
    func parseDateRejects(_ text: String) {
        #expect(UKDate.parseDate(text) == nil, "\"\(text)\" should not parse as a date")
    }

    @Test(arguments: [
        "22/11/2026 25:00",
        "22/11/2026 24:00",
        "22/11/2026 14:60",
        "22/11/2026 -1:00",
        "22/11/2026 14",
        "22/11/2026 14:05:00",
        "22/11/2026 14.05",
        "22/11/2026 2pm",
        "22/11/2026",       // no time
        "25:00",
        "31/02/2026 10:00",
        "2026-11-22 14:05",
        "2026-11-22T14:05",
        "22/11/26 14:05",
        "",
    ])
    func parseDateTimeRejects(_ text: String) {
        #expect(UKDate.parseDateTime(text) == nil, "\"\(text)\" should not parse as a date and time")
    }
}

@Suite struct AgeTests {
    @Test func countsBirthdaysNotDays() throws {
        let born = try #require(UKDate.parseDate("22/11/2010"))
        #expect(UKDate.age(born: born, at: try #require(UKDate.parseDateTime("21/11/2026 23:59"))) == 15)
        #expect(UKDate.age(born: born, at: try #require(UKDate.parseDateTime("22/11/2026 00:00"))) == 16)
        #expect(UKDate.age(born: born, at: try #require(UKDate.parseDateTime("22/11/2026 09:00"))) == 16)
        #expect(UKDate.age(born: born, at: born) == 0)
    }

    @Test func summerBirthdayCountsFromLondonMidnight() throws {
        let born = try #require(UKDate.parseDate("01/07/2010"))
        // 00:30 BST on the birthday is still 30 June in UTC: the age must already have gone up.
        #expect(UKDate.age(born: born, at: utc(2026, 6, 30, 23, 30)) == 16)
        #expect(UKDate.age(born: born, at: utc(2026, 6, 30, 22, 59)) == 15)
    }

    @Test func leapDayBirthday() throws {
        let born = try #require(UKDate.parseDate("29/02/2012"))
        #expect(UKDate.age(born: born, at: try #require(UKDate.parseDate("27/02/2013"))) == 0)
        #expect(UKDate.age(born: born, at: try #require(UKDate.parseDate("01/03/2013"))) == 1)
        #expect(UKDate.age(born: born, at: try #require(UKDate.parseDate("29/02/2016"))) == 4)
    }

    @Test(arguments: [
        (0.0, "0m"),
        (59.0, "0m"),
        (45.0 * 60, "45m"),
        (3599.0, "59m"),
        (3600.0, "1h"),
        (3.0 * 3600 + 20 * 60, "3h"),
        (86_399.0, "23h"),
        (86_400.0, "1d"),
        (2.0 * 86_400 + 5, "2d"),
        (14.0 * 86_400 - 1, "13d"),
        (14.0 * 86_400, "2w"),
        (35.0 * 86_400, "5w"),
        (41.0 * 86_400, "5w"),
        (-600.0, "0m"), // a start in the future (clock skew) never shows a negative age
    ] as [(Double, String)])
    func shortAge(_ seconds: Double, _ expected: String) {
        let now = utc(2026, 11, 22, 14, 5)
        #expect(UKDate.shortAge(from: now.addingTimeInterval(-seconds), to: now) == expected)
    }
}

@Suite struct YearGroupParsingTests {
    @Test(arguments: [
        ("R", YearGroup.reception),
        ("r", .reception),
        ("Rec", .reception),
        ("Reception", .reception),
        ("RECEPTION", .reception),
        (" Reception ", .reception),
        ("YR", .reception),
        ("Year R", .reception),
        // "0" is how Reception is stored and how some exports number it; "Year 0" can mean nothing else.
        ("0", .reception),
        ("Year 0", .reception),
        ("1", .year1),
        ("7", .year7),
        ("Y7", .year7),
        ("y7", .year7),
        ("Y 7", .year7),
        ("Yr7", .year7),
        ("Yr 7", .year7),
        ("Year 7", .year7),
        ("year7", .year7),
        ("Year  7", .year7),
        ("NC Year 7", .year7),
        ("nc year 7", .year7),
        ("Year 10", .year10),
        ("Y13", .year13),
        ("13", .year13),
    ])
    func accepts(_ text: String, _ expected: YearGroup) {
        #expect(YearGroup(parsing: text) == expected, "\"\(text)\" should be \(expected)")
    }

    @Test(arguments: [
        "14", "Year 14", "Y14", "NC Year 14", // beyond Year 13
        "-1", "Year -1", "00", "-0",
        "", "  ", "Year", "Y", "NC Year",
        "Seven", "Year Seven", "7a", "Year 7a", "Year 7/8", "7.5",
        "N1", "N2", "Nursery", "X",
    ])
    func rejects(_ text: String) {
        #expect(YearGroup(parsing: text) == nil, "\"\(text)\" should not be a year group")
    }

    @Test(arguments: YearGroup.allCases)
    func descriptionAndShortFormParseBack(_ year: YearGroup) {
        #expect(YearGroup(parsing: year.description) == year)
        #expect(YearGroup(parsing: year.short) == year)
    }

    @Test func descriptions() {
        #expect(YearGroup.reception.description == "Reception")
        #expect(YearGroup.reception.short == "R")
        #expect(YearGroup.year7.description == "Year 7")
        #expect(YearGroup.year7.short == "Y7")
        #expect(YearGroup.reception < .year1 && YearGroup.year12 < .year13)
    }
}

@Suite struct ConcernCategoryParsingTests {
    @Test(arguments: ConcernCategory.allCases)
    func rawValueShortFormAndLabelAllParse(_ category: ConcernCategory) {
        #expect(ConcernCategory(parsing: category.rawValue) == category)
        #expect(ConcernCategory(parsing: category.short) == category)
        #expect(ConcernCategory(parsing: category.label) == category)
        #expect(ConcernCategory(parsing: category.label.uppercased()) == category)
        #expect(ConcernCategory(parsing: "  \(category.short)  ") == category)
    }

    @Test(arguments: [
        ("neglect", ConcernCategory.neglect),
        ("Physical abuse", .physical),
        ("DA", .domesticAbuse),
        ("domestic-abuse", .domesticAbuse),
        ("Domestic abuse", .domesticAbuse),
        ("family", .familyCircumstances),
        ("Family circumstances", .familyCircumstances),
        ("mental health", .mentalHealth),
        ("Mental-Health", .mentalHealth),
        ("child-on-child", .childOnChild),
        ("Exploitation (CSE/CCE)", .exploitation),
        ("fgm", .fgm),
        ("Attendance / missing education", .attendance),
    ])
    func acceptsWhatPeopleType(_ text: String, _ expected: ConcernCategory) {
        #expect(ConcernCategory(parsing: text) == expected)
    }

    @Test(arguments: ["", "  ", "abuse", "neglected", "cse", "mental_health", "sexual,online"])
    func rejectsEverythingElse(_ text: String) {
        #expect(ConcernCategory(parsing: text) == nil, "\"\(text)\" should not be a category")
    }

    @Test func noTwoCategoriesShareAName() {
        var seen: [String: ConcernCategory] = [:]
        for category in ConcernCategory.allCases {
            for name in Set([category.rawValue, category.short.lowercased(), category.label.lowercased()]) {
                #expect(seen[name] == nil, "\"\(name)\" names both \(seen[name].map { "\($0)" } ?? "") and \(category)")
                seen[name] = category
            }
        }
    }
}

@Suite struct ConcernReferenceTests {
    @Test(arguments: [
        (2026, 42, "2026-0042"),
        (2026, 1, "2026-0001"),
        (2027, 9999, "2027-9999"),
        (2026, 12345, "2026-12345"), // a busy trust outgrows four digits; nothing is truncated
    ])
    func formatsAndParsesBack(_ year: Int, _ number: Int, _ text: String) throws {
        let reference = ConcernReference(year: year, number: number)
        #expect(reference.description == text)
        let parsed = try #require(ConcernReference(parsing: text))
        #expect(parsed == reference)
        #expect(parsed.year == year && parsed.number == number)
    }

    @Test func parsingToleratesSurroundingSpaceAndMissingZeros() {
        #expect(ConcernReference(parsing: " 2026-0042 ") == ConcernReference(year: 2026, number: 42))
        #expect(ConcernReference(parsing: "2026-42") == ConcernReference(year: 2026, number: 42))
    }

    @Test(arguments: [
        "", "2026", "2026-", "-0042", "26-0042", "02026-0042", "20260042", "2026/0042", "2026 0042",
        "2026-0000", "2026--0042", "-2026-0042", "2026-0042-", "2026-0042-1", "abcd-0042", "2026-00x2",
        "2026-+42", "+202-0042", "2026--42",
    ])
    func rejects(_ text: String) {
        #expect(ConcernReference(parsing: text) == nil, "\"\(text)\" should not be a concern reference")
    }
}

@Suite struct OverdueTests {
    static let due = UKDate.parseDate("22/11/2026")!

    @Test(arguments: [
        ("21/11/2026 10:00", false),
        ("22/11/2026 00:00", false), // due today is not overdue
        ("22/11/2026 16:30", false),
        ("22/11/2026 23:59", false),
        ("23/11/2026 00:00", true),  // due yesterday is
        ("23/11/2026 08:00", true),
        ("01/12/2026 08:00", true),
    ])
    func dueOnTheTwentySecond(_ now: String, _ overdue: Bool) throws {
        let moment = try #require(UKDate.parseDateTime(now))
        #expect(ActionRules.isOverdue(due: Self.due, at: moment) == overdue)
    }

    @Test func dueTodayIsNotOverdueDueYesterdayIs() throws {
        let now = try #require(UKDate.parseDateTime("22/11/2026 09:15"))
        let today = try #require(UKDate.parseDate("22/11/2026"))
        let yesterday = try #require(UKDate.parseDate("21/11/2026"))
        #expect(ActionRules.isOverdue(due: today, at: now) == false)
        #expect(ActionRules.isOverdue(due: yesterday, at: now) == true)
        // A due date stored with a time of day still counts as that whole day.
        #expect(ActionRules.isOverdue(due: today.addingTimeInterval(8 * 3600), at: now) == false)
    }

    @Test func theDayEndsAtLondonMidnightInSummer() throws {
        let due = try #require(UKDate.parseDate("01/07/2026"))
        #expect(ActionRules.isOverdue(due: due, at: utc(2026, 7, 1, 22, 59)) == false) // 23:59 BST on the 1st
        #expect(ActionRules.isOverdue(due: due, at: utc(2026, 7, 1, 23, 0)) == true)   // 00:00 BST on the 2nd
    }

    @Test func cutoffIsTheStartOfTodayInLondon() throws {
        #expect(ActionRules.overdueCutoff(at: utc(2026, 7, 1, 23, 30)) == utc(2026, 7, 1, 23, 0))
        #expect(ActionRules.overdueCutoff(at: utc(2026, 11, 22, 14, 5)) == utc(2026, 11, 22))
        // The store's cutoff query and the rule agree: due before the cutoff means overdue.
        let now = utc(2026, 11, 22, 14, 5)
        for days in -3...3 {
            let due = UKDate.calendar.date(byAdding: .day, value: days, to: try #require(UKDate.parseDate("22/11/2026")))!
            #expect(ActionRules.isOverdue(due: due, at: now) == (due < ActionRules.overdueCutoff(at: now)))
        }
    }

    @Test(arguments: ActionStatus.allCases)
    func onlyOpenActionsAreOverdue(_ status: ActionStatus) throws {
        let action = Action(id: 1, pupil: PupilID(rawValue: 7), concern: nil, description: "Phone mum about attendance",
                            owner: "hoy.patel", due: try #require(UKDate.parseDate("20/11/2026")), status: status)
        #expect(action.isOverdue(at: utc(2026, 11, 22, 9, 0)) == (status == .open))
        #expect(action.isOverdue(at: utc(2026, 11, 20, 9, 0)) == false)
    }
}

import CairnDomain
import Foundation
import Testing

@Suite struct WorkingDaysTests {
    static func at(_ text: String) -> Date {
        UKDate.parseDateTime(text) ?? UKDate.parseDate(text)!
    }

    @Test func theTableHoldsEightWeekdayHolidaysAYearForTheYearsItCovers() {
        for year in WorkingDays.coveredYears {
            let days = WorkingDays.bankHolidays.filter { $0.hasPrefix("\(year)-") }
            #expect(days.count == 8, "\(year) has \(days.count)")
        }
        #expect(WorkingDays.bankHolidays.count == 8 * WorkingDays.coveredYears.count)
        for key in WorkingDays.bankHolidays {
            let parts = key.split(separator: "-").map(String.init)
            let date = Self.at("\(parts[2])/\(parts[1])/\(parts[0])")
            // Substitute days mean a bank holiday is never on a weekend.
            #expect(!UKDate.calendar.isDateInWeekend(date), "\(key) is at a weekend")
            #expect(WorkingDays.isBankHoliday(date))
        }
    }

    @Test(arguments: [
        ("02/03/2026", true),    // Monday
        ("07/03/2026", false),   // Saturday
        ("08/03/2026", false),   // Sunday
        ("03/04/2026", false),   // Good Friday
        ("06/04/2026", false),   // Easter Monday
        ("07/04/2026", true),
        ("28/12/2026", false),   // substitute for Boxing Day on a Saturday
        ("24/12/2027", true),
        ("27/12/2027", false),   // substitute for Christmas Day on a Saturday
        ("03/01/2028", false),   // substitute for New Year's Day on a Saturday
        ("01/01/2029", true),    // beyond the table: only weekends are skipped
    ])
    func workingDays(_ day: String, _ working: Bool) {
        #expect(WorkingDays.isWorkingDay(Self.at(day)) == working)
        // Any time of that London day gives the same answer, late evening included.
        #expect(WorkingDays.isWorkingDay(Self.at(day + " 23:30")) == working)
    }

    @Test(arguments: [
        ("02/03/2026 10:00", "03/03/2026 00:00"),
        ("06/03/2026 16:00", "09/03/2026 00:00"),   // Friday to Monday
        ("02/04/2026 15:00", "07/04/2026 00:00"),   // over Easter
        ("27/03/2026 12:00", "30/03/2026 00:00"),   // over the clocks going forward
        ("23/10/2026 12:00", "26/10/2026 00:00"),   // and back
        ("24/12/2026 09:00", "29/12/2026 00:00"),
        ("24/12/2027 09:00", "29/12/2027 00:00"),
        ("31/12/2027 09:00", "04/01/2028 00:00"),
        ("04/04/2026 10:00", "07/04/2026 00:00"),   // from a Saturday in the Easter weekend
    ])
    func nextWorkingDay(_ from: String, _ expected: String) {
        let next = WorkingDays.nextWorkingDay(after: Self.at(from))
        #expect(UKDate.dateTime(next) == expected)
    }

    @Test func addingWorkingDaysCountsForwardsAndBackwards() {
        let thursday = Self.at("02/04/2026 14:00")
        #expect(UKDate.dateTime(WorkingDays.addingWorkingDays(0, to: thursday)) == "02/04/2026 00:00")
        #expect(UKDate.dateTime(WorkingDays.addingWorkingDays(1, to: thursday)) == "07/04/2026 00:00")
        #expect(UKDate.dateTime(WorkingDays.addingWorkingDays(3, to: thursday)) == "09/04/2026 00:00")
        #expect(UKDate.dateTime(WorkingDays.addingWorkingDays(-1, to: Self.at("07/04/2026 09:00"))) == "02/04/2026 00:00")
        #expect(UKDate.dateTime(WorkingDays.addingWorkingDays(5, to: Self.at("02/03/2026"))) == "09/03/2026 00:00")
        #expect(UKDate.dateTime(WorkingDays.addingWorkingDays(-5, to: Self.at("09/03/2026"))) == "02/03/2026 00:00")
    }

    @Test func theNextWorkingDayEndsAtMidnight() {
        // A referral made on the Thursday before Easter is due a decision by the end of Tuesday.
        #expect(UKDate.dateTime(WorkingDays.endOfNextWorkingDay(after: Self.at("02/04/2026 10:00"))) == "08/04/2026 00:00")
        #expect(UKDate.dateTime(WorkingDays.endOfNextWorkingDay(after: Self.at("06/03/2026 23:59"))) == "10/03/2026 00:00")
    }

    @Test(arguments: [
        ("23/11/2026 08:00", "30/11/2026 00:00"),   // Monday
        ("27/11/2026 17:00", "30/11/2026 00:00"),   // Friday
        ("28/11/2026 10:00", "30/11/2026 00:00"),   // Saturday
        ("29/11/2026 23:00", "30/11/2026 00:00"),   // Sunday night
        ("30/11/2026 00:00", "07/12/2026 00:00"),   // a new week
        ("24/10/2026 12:00", "26/10/2026 00:00"),   // the week the clocks go back
    ])
    func theWeekEndsAsSundayEnds(_ from: String, _ expected: String) {
        #expect(UKDate.dateTime(WorkingDays.endOfWeek(containing: Self.at(from))) == expected)
    }
}

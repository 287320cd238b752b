import Foundation

/// School working days: Monday to Friday, less the bank holidays of England and Wales, counted in
/// Europe/London. Used for deadlines such as "a decision by the end of the next working day".
public enum WorkingDays {
    /// Bank holidays in England and Wales for 2025–2028, as published by GOV.UK (including the
    /// substitute days when a holiday falls at a weekend). A fixed table: outside these years only
    /// weekends are skipped, and a one-off holiday announced later must be added here by hand.
    public static let bankHolidays: Set<String> = [
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26",
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28",
        "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28",
        "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26",
    ]

    /// The years the table above covers.
    public static let coveredYears = 2025...2028

    /// "2026-04-03" for the London calendar day containing `date`.
    static func key(_ date: Date) -> String {
        let c = UKDate.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    public static func isBankHoliday(_ date: Date) -> Bool {
        bankHolidays.contains(key(date))
    }

    /// A weekday in London that is not a bank holiday.
    public static func isWorkingDay(_ date: Date) -> Bool {
        !UKDate.calendar.isDateInWeekend(date) && !isBankHoliday(date)
    }

    /// The start (00:00 London) of the first working day after the day containing `date`.
    public static func nextWorkingDay(after date: Date) -> Date {
        step(from: date, by: 1)
    }

    /// The start of the day `count` working days after the day containing `date` (before it when
    /// negative); zero gives the start of `date`'s own day, working or not.
    public static func addingWorkingDays(_ count: Int, to date: Date) -> Date {
        var day = UKDate.calendar.startOfDay(for: date)
        for _ in 0..<abs(count) { day = step(from: day, by: count > 0 ? 1 : -1) }
        return day
    }

    /// The moment the next working day after `date` ends: midnight at the close of that day.
    public static func endOfNextWorkingDay(after date: Date) -> Date {
        UKDate.calendar.date(byAdding: .day, value: 1, to: nextWorkingDay(after: date))!
    }

    /// The end of Sunday in the week (Monday to Sunday) containing `date`: midnight as Monday begins.
    public static func endOfWeek(containing date: Date) -> Date {
        let calendar = UKDate.calendar
        let today = calendar.startOfDay(for: date)
        let weekday = calendar.component(.weekday, from: today)   // 1 is Sunday, 2 Monday ... 7 Saturday
        let daysToMonday = weekday == 1 ? 1 : 9 - weekday
        return calendar.startOfDay(for: calendar.date(byAdding: .day, value: daysToMonday, to: today)!)
    }

    private static func step(from date: Date, by delta: Int) -> Date {
        let calendar = UKDate.calendar
        var day = calendar.startOfDay(for: date)
        repeat {
            // Noon avoids the clock-change days' 23- and 25-hour lengths, then back to the day's start.
            let noon = calendar.date(byAdding: .hour, value: 12, to: day)!
            day = calendar.startOfDay(for: calendar.date(byAdding: .day, value: delta, to: noon)!)
        } while !isWorkingDay(day)
        return day
    }
}

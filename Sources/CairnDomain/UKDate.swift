import Foundation

/// Dates as a DSL reads and writes them: 22/11/2026, Europe/London time.
public enum UKDate {
    public static let timeZone = TimeZone(identifier: "Europe/London")!

    public static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_GB")
        return calendar
    }

    /// "22/11/2026"
    public static func date(_ date: Date) -> String {
        let c = calendar.dateComponents([.day, .month, .year], from: date)
        return String(format: "%02d/%02d/%04d", c.day!, c.month!, c.year!)
    }

    /// "22/11/2026 14:05"
    public static func dateTime(_ date: Date) -> String {
        let c = calendar.dateComponents([.day, .month, .year, .hour, .minute], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d", c.day!, c.month!, c.year!, c.hour!, c.minute!)
    }

    /// Parses "dd/mm/yyyy" as midnight London time; nil when it is not a real date.
    public static func parseDate(_ text: String) -> Date? {
        parse(text.trimmingCharacters(in: .whitespaces), withTime: false)
    }

    /// Parses "dd/mm/yyyy HH:MM" in London time; nil when it is not a real date and time.
    public static func parseDateTime(_ text: String) -> Date? {
        parse(text.trimmingCharacters(in: .whitespaces), withTime: true)
    }

    private static func parse(_ text: String, withTime: Bool) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == (withTime ? 2 : 1) else { return nil }
        let dmy = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        guard dmy.count == 3, dmy[2].count == 4,
              let day = Int(dmy[0]), let month = Int(dmy[1]), let year = Int(dmy[2]) else { return nil }
        var hour = 0, minute = 0
        if withTime {
            let hm = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
                  (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            hour = h
            minute = m
        }
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        guard let date = calendar.date(from: components) else { return nil }
        // Calendar rolls 31/02 over into March; a real date round-trips.
        let back = calendar.dateComponents([.day, .month, .year], from: date)
        guard back.day == day, back.month == month, back.year == year else { return nil }
        return date
    }

    /// Whole years between a date of birth and a moment, as a person counts birthdays.
    public static func age(born: Date, at moment: Date) -> Int {
        calendar.dateComponents([.year], from: born, to: moment).year ?? 0
    }

    /// Short age of a record for lists: "45m", "3h", "2d", "5w".
    public static func shortAge(from start: Date, to now: Date) -> String {
        let seconds = max(0, now.timeIntervalSince(start))
        switch seconds {
        case ..<3600: return "\(Int(seconds / 60))m"
        case ..<86_400: return "\(Int(seconds / 3600))h"
        case ..<(86_400 * 14): return "\(Int(seconds / 86_400))d"
        default: return "\(Int(seconds / (86_400 * 7)))w"
        }
    }
}

/// "1 entry", "42 entries": a count with its noun in the right number. The plural is the
/// singular with an s unless given.
public func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}

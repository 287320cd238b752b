import CairnDomain

/// What a person typed, made into an FTS5 query that means only "these words". Every word is a
/// quoted string, so nothing typed is FTS5 syntax: quotes, `*`, `^`, `:`, brackets, AND/OR/NOT
/// and NEAR are all just text, and no input can make the query fail. Words must all be present,
/// in any order; the last word, from two letters, also matches the start of a longer word while it
/// is being typed (no space after it yet), so "bru" finds "bruise" and "bruising".
struct SearchQuery: Equatable {
    /// Longer than anyone types into a search box; keeps a pasted essay from becoming a query.
    static let maxLength = 200

    /// The words to find, as typed (quote marks and all).
    let words: [String]
    /// Whether the last word is a prefix.
    let prefix: Bool

    /// Throws `StoreError.invalid` naming the search text when there is nothing to search for
    /// (only spaces or punctuation) or the text is too long.
    init(_ text: String) throws {
        guard text.count <= Self.maxLength else {
            throw StoreError.invalid([FieldProblem(field: Self.field,
                                                   message: "The search text is too long: at most \(Self.maxLength) characters")])
        }
        // Controls (a NUL, an escape) and invisible format characters separate words; they are never part of one.
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: " "
            default: scalar
            }
        }))
        // A "word" with no letter or digit holds nothing the index has: the tokenizer drops punctuation.
        let typed = cleaned.split(whereSeparator: \.isWhitespace).map(String.init)
        words = typed.filter(Self.isSearchable)
        guard !words.isEmpty else {
            throw StoreError.invalid([FieldProblem(field: Self.field, message: "Type a word to search for: letters or numbers")])
        }
        // Still typing the last word: no space after it, and it is one the query keeps. A single
        // letter is not a prefix: it would match most of the index and rank nothing useful.
        prefix = !(cleaned.last?.isWhitespace ?? true) && typed.last.map(Self.isSearchable) == true
            && (typed.last?.count ?? 0) > 1
    }

    private static func isSearchable(_ word: String) -> Bool {
        word.contains { $0.isLetter || $0.isNumber }
    }

    static let field = "search text"

    /// The FTS5 MATCH expression: `"word" "other"*`, each `"` inside a word doubled.
    var match: String {
        words.enumerated().map { index, word in
            "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix && index == words.count - 1 ? "*" : "")
        }.joined(separator: " ")
    }
}

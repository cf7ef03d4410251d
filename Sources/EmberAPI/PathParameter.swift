import EmberCrypto
import Foundation

/// What the document and the router know of a path parameter whatever its type: its name and the
/// form of its text. The document declares `pattern` and `maxLength`; the router answers 400 to any
/// value outside them, by running that same pattern, so the two cannot disagree.
public struct PathParameterSyntax: Sendable {
    public let name: String
    public let pattern: String
    public let maxLength: Int?
    /// What a valid value looks like, for the document and for the 400 a caller gets.
    public let expected: String
    private let expression: NSRegularExpression

    init(name: String, pattern: String, maxLength: Int? = nil, expected: String) {
        self.name = name
        self.pattern = pattern
        self.maxLength = maxLength
        self.expected = expected
        do {
            expression = try NSRegularExpression(pattern: pattern)
        } catch {
            preconditionFailure("the pattern of path parameter \(name) does not compile: \(error)")
        }
    }

    /// Whether `text` has the declared form.
    public func admits(_ text: String) -> Bool {
        if let maxLength, text.count > maxLength { return false }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// A 400 unless `text` has the declared form.
    func check(_ text: String) throws {
        guard admits(text) else { throw APIError.badRequest("\(name) must be \(expected)") }
    }
}

/// A path parameter of a route and the value its text stands for.
public struct PathParameter<Value>: Sendable {
    public let syntax: PathParameterSyntax
    /// Turns text of the declared form into a value; a value the form admits but that means nothing
    /// (an address of another network, a lock that does not decode) is an `APIError.badRequest`.
    private let convert: @Sendable (String, NetworkID) throws -> Value

    init(_ syntax: PathParameterSyntax, convert: @escaping @Sendable (String, NetworkID) throws -> Value) {
        self.syntax = syntax
        self.convert = convert
    }

    /// The value of `text`, or a 400 (`APIError.badRequest`) that says what was expected.
    public func parse(_ text: String, network: NetworkID) throws -> Value {
        try syntax.check(text)
        return try convert(text, network)
    }
}

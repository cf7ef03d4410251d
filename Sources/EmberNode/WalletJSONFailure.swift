import Foundation

/// Why untrusted JSON did not decode, in words for a person: which field is missing or wrong.
func describeJSONFailure(_ error: any Error) -> String {
    guard let decodingError = error as? Swift.DecodingError else { return "not JSON" }
    let path = { (keys: [any CodingKey]) in keys.map(\.stringValue).joined(separator: ".") }
    switch decodingError {
    case .keyNotFound(let key, let context):
        return "the field \(path(context.codingPath + [key])) is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
        return context.codingPath.isEmpty ? "not a JSON object" : "the field \(path(context.codingPath)) has the wrong type"
    case .dataCorrupted(let context):
        return context.codingPath.isEmpty ? "not JSON" : "the field \(path(context.codingPath)) is invalid"
    @unknown default:
        return "not JSON"
    }
}

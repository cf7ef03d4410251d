/// A JSON body the API documents. Its schema is derived from its `Decodable` conformance (see
/// `SchemaRecorder`), so a field added to the type is a field added to the document.
public protocol DocumentedView: Codable, Sendable {
    /// The schema's name under `components/schemas` in `/v1/openapi.json`.
    static var schemaName: String { get }
    /// What the document says about a field beyond its name and type, by field name.
    static var fieldNotes: [String: String] { get }
}

extension DocumentedView {
    public static var fieldNotes: [String: String] { [:] }
}

/// The subset of JSON Schema (as OpenAPI 3.0 writes it) the API's bodies need.
indirect enum JSONSchema: Sendable, Equatable {
    case string
    case integer
    case number
    case boolean
    case array(items: JSONSchema)
    /// `required` lists the fields always present; the others are left out when they have no value.
    case object(properties: [String: JSONSchema], required: Set<String>, notes: [String: String])
    /// A schema named under `components/schemas`.
    case reference(String)

    /// The schema as the OpenAPI document writes it.
    var document: [String: Any] {
        switch self {
        case .string: return ["type": "string"]
        case .integer: return ["type": "integer"]
        case .number: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .array(let items): return ["type": "array", "items": items.document]
        case .reference(let name): return ["$ref": "#/components/schemas/\(name)"]
        case .object(let properties, let required, let notes):
            var rendered = properties.mapValues { $0.document }
            for (name, note) in notes where rendered[name] != nil { rendered[name]?["description"] = note }
            var object: [String: Any] = ["type": "object", "properties": rendered]
            if !required.isEmpty { object["required"] = required.sorted() }
            return object
        }
    }
}

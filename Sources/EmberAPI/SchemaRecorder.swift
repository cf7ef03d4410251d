/// Derives a type's JSON schema from its `Decodable` conformance: it decodes the type from a decoder
/// that answers every request with a placeholder and writes down what was asked for (which fields,
/// which of them only if present, of which types). Views with a name become components and are
/// referred to by `$ref`.
struct SchemaRecorder {
    /// The named schemas met so far, by name.
    private(set) var components: [String: JSONSchema] = [:]

    /// The schema of `View`, recorded as a component (with every view it holds); a `$ref` to it.
    mutating func reference<View: DocumentedView>(to view: View.Type) throws -> JSONSchema {
        try describe(View.self).schema
    }

    /// A placeholder value of `T` and its schema (a `$ref` when `T` is a documented view).
    mutating func describe<T: Decodable>(_ type: T.Type) throws -> (value: T, schema: JSONSchema) {
        let decoder = ShapeDecoder(recorder: self)
        let value = try T(from: decoder)
        self = decoder.recorder
        var shape = decoder.shape ?? .object(properties: [:], required: [], notes: [:])
        guard let documented = T.self as? any DocumentedView.Type else { return (value, shape) }
        if case .object(let properties, let required, _) = shape {
            shape = .object(properties: properties, required: required, notes: documented.fieldNotes)
        }
        components[documented.schemaName] = shape
        return (value, .reference(documented.schemaName))
    }
}

/// Why a type's schema cannot be derived: it decodes in a way a schema of fixed fields cannot say.
struct SchemaDerivationError: Error, CustomStringConvertible {
    let description: String
}

/// The decoder `SchemaRecorder` decodes with; it records the shape the type asked for.
private final class ShapeDecoder: Decoder {
    var recorder: SchemaRecorder
    var shape: JSONSchema?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(recorder: SchemaRecorder) { self.recorder = recorder }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        shape = .object(properties: [:], required: [], notes: [:])
        return KeyedDecodingContainer(ObjectShape<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { ArrayShape(decoder: self) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { ValueShape(decoder: self) }

    /// A placeholder `T`, its schema handed to `record` to write into the shape.
    func decode<T: Decodable>(_ type: T.Type, record: (JSONSchema) -> Void) throws -> T {
        let (value, schema) = try recorder.describe(T.self)
        record(schema)
        return value
    }

    func addField(_ name: String, _ schema: JSONSchema, required isRequired: Bool) {
        guard case .object(var properties, var required, let notes) = shape else { return }
        properties[name] = schema
        if isRequired { required.insert(name) }
        shape = .object(properties: properties, required: required, notes: notes)
    }
}

/// Every field is present; `decodeIfPresent` marks a field as optional and answers nil.
private struct ObjectShape<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ShapeDecoder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decode(T.self) { decoder.addField(key.stringValue, $0, required: true) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optionalField(type, key) }

    // The synthesised conformances call these overloads by name; each is the generic one.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optionalField(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optionalField(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optionalField(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optionalField(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optionalField(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optionalField(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optionalField(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optionalField(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optionalField(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optionalField(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optionalField(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optionalField(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optionalField(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optionalField(type, key) }

    private func optionalField<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        _ = try decoder.decode(T.self) { decoder.addField(key.stringValue, $0, required: false) }
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaDerivationError(description: "field \(key.stringValue) decodes a nested container; give it a type of its own")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SchemaDerivationError(description: "field \(key.stringValue) decodes a nested container; give it a type of its own")
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
}

/// An array of one element, whose schema is the array's items.
private struct ArrayShape: UnkeyedDecodingContainer {
    let decoder: ShapeDecoder
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    init(decoder: ShapeDecoder) {
        self.decoder = decoder
        decoder.shape = .array(items: .object(properties: [:], required: [], notes: [:]))
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try decoder.decode(T.self) { decoder.shape = .array(items: $0) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaDerivationError(description: "an array decodes a nested container; give its elements a type of their own")
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SchemaDerivationError(description: "an array decodes a nested array; give its elements a type of their own")
    }

    mutating func superDecoder() throws -> any Decoder { decoder }
}

/// A scalar: its schema follows the Swift type asked for, its placeholder is zero, false or "".
private struct ValueShape: SingleValueDecodingContainer {
    let decoder: ShapeDecoder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode(_ type: Bool.Type) throws -> Bool { scalar(.boolean, false) }
    func decode(_ type: String.Type) throws -> String { scalar(.string, "") }
    func decode(_ type: Double.Type) throws -> Double { scalar(.number, 0) }
    func decode(_ type: Float.Type) throws -> Float { scalar(.number, 0) }
    func decode(_ type: Int.Type) throws -> Int { scalar(.integer, 0) }
    func decode(_ type: Int8.Type) throws -> Int8 { scalar(.integer, 0) }
    func decode(_ type: Int16.Type) throws -> Int16 { scalar(.integer, 0) }
    func decode(_ type: Int32.Type) throws -> Int32 { scalar(.integer, 0) }
    func decode(_ type: Int64.Type) throws -> Int64 { scalar(.integer, 0) }
    func decode(_ type: UInt.Type) throws -> UInt { scalar(.integer, 0) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { scalar(.integer, 0) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { scalar(.integer, 0) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { scalar(.integer, 0) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { scalar(.integer, 0) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decode(T.self) { decoder.shape = $0 }
    }

    private func scalar<T>(_ schema: JSONSchema, _ placeholder: T) -> T {
        decoder.shape = schema
        return placeholder
    }
}

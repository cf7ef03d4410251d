/// Why a byte string is not the canonical encoding of a value, and in which field decoding stopped.
///
/// Every decoding failure is the sender's fault: the bytes came from outside. The path names the field
/// the way Swift code would reach it, such as `transaction.inputs[3].outpoint.index`.
public struct DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the bytes at the failing field.
    public enum Reason: Hashable, Sendable {
        /// The bytes end before the field does.
        case truncated
        /// The value would extend past the size limit in force (the caller's or the type's own).
        case sizeOverLimit(limit: Int)
        /// A varint with a redundant trailing zero group; only the minimal form is canonical.
        case nonMinimalVarint
        /// A varint whose value does not fit the field (`maxBits` is 128 for amounts).
        case varintTooLarge(maxBits: Int)
        /// A lock or unlock tag this version of the protocol does not define.
        case unknownTag(UInt8)
        /// A transaction or header version other than the one this protocol defines.
        case unsupportedVersion(UInt8)
        /// A list or byte-string length above its limit.
        case countOverLimit(count: UInt128, limit: Int)
        /// Bytes left over after a complete value.
        case trailingBytes(count: Int)
        /// A list that must hold at least one element is empty.
        case emptyList
    }

    /// One step on the way from the outermost value to the failing field.
    public enum PathComponent: Hashable, Sendable {
        case field(String)
        case index(Int)
    }

    /// From the outermost value to the failing field.
    public var path: [PathComponent]
    /// What was wrong there.
    public var reason: Reason

    public init(_ reason: Reason, path: [PathComponent] = []) {
        self.reason = reason
        self.path = path
    }

    /// The failing field as a Swift-like expression, such as `block.transactions[2].outputs[0].data`.
    public var fieldPath: String {
        var text = ""
        for component in path {
            switch component {
            case .field(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    public var description: String {
        let place = path.isEmpty ? "value" : fieldPath
        return "invalid encoding at \(place): \(reason)"
    }

    /// An error at `field`, or at the enclosing path when the value read has no field name of its own.
    public init(_ reason: Reason, at field: String?) {
        self.init(reason, path: field.map { [.field($0)] } ?? [])
    }

    /// This error seen from one level further out.
    public func prefixed(by component: PathComponent) -> DecodingError {
        DecodingError(reason, path: [component] + path)
    }
}

extension DecodingError.Reason: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated: "the bytes end inside this field"
        case .sizeOverLimit(let limit): "the value is longer than its limit of \(limit) bytes"
        case .nonMinimalVarint: "the varint is not in its minimal form"
        case .varintTooLarge(let maxBits): "the varint does not fit in \(maxBits) bits"
        case .unknownTag(let tag): "tag \(tag) is not defined"
        case .unsupportedVersion(let version): "version \(version) is not supported"
        case .countOverLimit(let count, let limit): "length \(count) is over the limit of \(limit)"
        case .trailingBytes(let count): "\(count) bytes follow the end of the value"
        case .emptyList: "the list must not be empty"
        }
    }
}

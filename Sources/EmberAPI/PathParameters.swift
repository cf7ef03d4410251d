import EmberCore
import EmberCrypto
import EmberWire

/// Every path parameter the API's routes use. A route's path names them as `{name}`.
public enum PathParameters {
    /// Bounds the lock a `/v1/locks/{lock}` path makes the node decode; every lock body is far smaller.
    public static let maxLockSize = 4_096

    public static let hash = PathParameter<Hash32>(hashSyntax("hash")) { text, _ in try hashValue(text, "hash") }
    public static let txid = PathParameter<Hash32>(hashSyntax("txid")) { text, _ in try hashValue(text, "txid") }

    public static let height = wholeNumber("height", expected: "a whole number")

    public static let address = PathParameter<Address>(
        PathParameterSyntax(
            name: "address", pattern: addressPattern, maxLength: Bech32m.maxLength,
            expected: "a Bech32m address (" + NetworkID.allCases.map { $0.addressPrefix + "1…" }.joined(separator: ", ") + ")")
    ) { text, network in
        do {
            return try Address.parse(text, expecting: network)
        } catch {
            throw APIError.badRequest("\(error)")
        }
    }

    public static let lock = PathParameter<Lock>(
        PathParameterSyntax(
            name: "lock", pattern: "^([0-9a-fA-F]{2})+$", maxLength: 2 * maxLockSize,
            expected: "a lock's canonical encoding (tag byte, then body) in hex, as `lockHex` in a transaction's outputs, "
                + "at most \(maxLockSize) bytes")
    ) { text, _ in
        guard let bytes = [UInt8](hexString: text) else { throw APIError.badRequest("lock must be an even number of hex digits") }
        return try APIError.decoding("lock") { try Lock.decode(from: bytes, limit: maxLockSize) }
    }

    public static let id = wholeNumber("id", expected: "a whole number, as listed by GET /v1/peers")

    /// The covenant lock tags: 0 is pubKeyHash, whose outputs the address routes list.
    public static let covenantTags: ClosedRange<UInt8> = 1...15

    public static let tag = PathParameter<UInt8>(
        PathParameterSyntax(name: "tag", pattern: "^[0-9]{1,2}$", expected: "a covenant lock tag, 1 to 15 (1 and 2 are channels)")
    ) { text, _ in
        guard let value = UInt8(text), covenantTags.contains(value) else {
            throw APIError.badRequest("tag \(text) is not a covenant lock tag (1 to 15; pubKeyHash outputs are listed by address)")
        }
        return value
    }

    public static let host = PathParameter<String>(
        PathParameterSyntax(
            name: "host", pattern: "^(([0-9]{1,3}\\.){3}[0-9]{1,3}|[0-9a-fA-F.]*:[0-9a-fA-F:.]*)$", maxLength: 45,
            expected: "an IPv4 or IPv6 address, without port or brackets")
    ) { text, _ in
        guard PeerEndpoint.isIPAddress(text) else { throw APIError.badRequest("host must be an IPv4 or IPv6 address") }
        return text
    }

    /// Each parameter's syntax, by the name a path gives it.
    static let all: [String: PathParameterSyntax] = Dictionary(
        uniqueKeysWithValues: [hash.syntax, txid.syntax, height.syntax, address.syntax, lock.syntax, id.syntax, host.syntax, tag.syntax].map { ($0.name, $0) })

    /// Hashes are 64 hex digits, either case.
    static let hashPattern = "^[0-9a-fA-F]{64}$"

    /// Up to 20 digits, no sign: every 64-bit value fits the form, and the few 20-digit values above
    /// 2^64 − 1 pass it and are refused when converted.
    private static func wholeNumber(_ name: String, expected: String) -> PathParameter<UInt64> {
        PathParameter(PathParameterSyntax(name: name, pattern: "^[0-9]{1,20}$", expected: expected)) { text, _ in
            guard let value = UInt64(text) else { throw APIError.badRequest("\(name) \(text) is above 2^64 − 1") }
            return value
        }
    }

    private static func hashSyntax(_ name: String) -> PathParameterSyntax {
        PathParameterSyntax(name: name, pattern: hashPattern, expected: "64 hex digits")
    }

    private static func hashValue(_ text: String, _ name: String) throws -> Hash32 {
        guard let hash = Hash32(hex: text) else { throw APIError.badRequest("\(name) must be 64 hex digits") }
        return hash
    }

    /// A network's prefix, `1`, then the Bech32m alphabet; all lowercase or all uppercase, as Bech32m
    /// allows.
    private static var addressPattern: String {
        let alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
        let prefixes = NetworkID.allCases.map(\.addressPrefix).joined(separator: "|")
        return "^((\(prefixes))1[\(alphabet)]{6,}|(\(prefixes.uppercased()))1[\(alphabet.uppercased())]{6,})$"
    }
}

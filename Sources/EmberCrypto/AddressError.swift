/// Why a string is not an Ember address, phrased for the person who typed or pasted it.
public enum AddressError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not valid Bech32m: too long, bad characters, mixed case, no separator, or a checksum that does
    /// not match (`.malformed(.checksumMismatch)`: the address was mistyped).
    case malformed(Bech32mError)
    /// A prefix that names no Ember network.
    case unknownPrefix(String)
    /// A valid address for another network than the one expected.
    case wrongNetwork(expected: NetworkID, found: NetworkID)
    /// Valid Bech32m with the right prefix but a payload that is not 33 bytes; lengths in characters.
    case wrongLength(expected: Int, found: Int)
    /// A payload whose first byte is not a version this software knows.
    case unsupportedVersion(UInt8)

    public var description: String {
        switch self {
        case .malformed(let error):
            "address " + error.reason
        case .unknownPrefix(let prefix):
            "address prefix '\(prefix)' is not an Ember network (\(knownPrefixes))"
        case .wrongNetwork(let expected, let found):
            "address is for \(found) (prefix \(found.addressPrefix)) but \(expected) "
                + "(prefix \(expected.addressPrefix)) was expected"
        case .wrongLength(let expected, let found):
            "address is \(found) characters long but should be \(expected); a character is missing or extra"
        case .unsupportedVersion(let version):
            "address version \(version) is not supported (this software knows version \(Address.version))"
        }
    }
}

private var knownPrefixes: String {
    NetworkID.allCases.map { "\($0.addressPrefix) for \($0)" }.joined(separator: ", ")
}

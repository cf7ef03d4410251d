/// Where coins are sent: a public-key hash on one network, written in Bech32m (DESIGN.md section 3).
///
/// The Bech32m data are the 33 bytes `[version 0x00] ‖ H(publicKey)` regrouped into 5-bit values with
/// zero padding, under the network's prefix (`em`, `emt`, `emd`).
public struct Address: Hashable, Sendable, CustomStringConvertible {
    /// The only payload version so far; a new version lets a later key type share the format.
    public static let version: UInt8 = 0
    /// Payload bytes: version and public-key hash.
    static let payloadByteCount = 1 + Hash32.byteCount
    /// 5-bit values carrying the payload (264 bits, padded to 265).
    static let payloadValueCount = (payloadByteCount * 8 + 4) / 5

    public let network: NetworkID
    public let publicKeyHash: Hash32

    public init(publicKeyHash: Hash32, network: NetworkID) {
        self.publicKeyHash = publicKeyHash
        self.network = network
    }

    /// The address of `publicKey` on `network`.
    public init(publicKey: PublicKey, network: NetworkID) {
        self.init(publicKeyHash: publicKey.publicKeyHash, network: network)
    }

    /// Parses an address typed or pasted by a person and requires it to be for `network`.
    public static func parse(_ string: String, expecting network: NetworkID) throws(AddressError) -> Address {
        try parse(string, expectedNetwork: network)
    }

    /// Parses an address for any Ember network.
    public static func parse(_ string: String) throws(AddressError) -> Address {
        try parse(string, expectedNetwork: nil)
    }

    /// The prefix is checked before the checksum so that an address of another coin or network is
    /// reported as such rather than as mistyped.
    private static func parse(_ string: String, expectedNetwork: NetworkID?) throws(AddressError) -> Address {
        let parts: Bech32m.Parts
        do { parts = try Bech32m.split(string) } catch { throw .malformed(error) }

        let prefix = parts.humanReadablePartString
        guard let network = NetworkID.allCases.first(where: { $0.addressPrefix == prefix }) else {
            throw .unknownPrefix(prefix)
        }
        if let expectedNetwork, expectedNetwork != network {
            throw .wrongNetwork(expected: expectedNetwork, found: network)
        }
        guard parts.checksumMatches else { throw .malformed(.checksumMismatch) }

        let expectedLength = prefix.count + 1 + payloadValueCount + Bech32m.checksumLength
        let values = parts.values
        guard values.count == payloadValueCount else {
            throw .wrongLength(expected: expectedLength, found: string.count)
        }
        let payload: [UInt8]
        do { payload = try Bech32m.bytes(fromFiveBitValues: values) } catch { throw .malformed(error) }
        guard payload.first == version else { throw .unsupportedVersion(payload.first ?? 0) }
        // 53 values always regroup to 33 bytes; still an error rather than a crash on untrusted input.
        guard let publicKeyHash = Hash32(payload.dropFirst()) else {
            throw .wrongLength(expected: expectedLength, found: string.count)
        }
        return Address(publicKeyHash: publicKeyHash, network: network)
    }

    /// The Bech32m string, lower case.
    public var string: String {
        Bech32m.encode(
            humanReadablePart: network.addressPrefix,
            values: Bech32m.fiveBitValues(fromBytes: [Self.version] + publicKeyHash.bytes)
        )
    }

    public var description: String { string }
}

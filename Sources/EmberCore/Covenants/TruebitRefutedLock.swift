import EmberCrypto

/// The marker a challenger's won game leaves: holds exactly dust, spent only by sweep (mode 11) from 700 000
/// blocks after its creation, readable (DESIGN.md section 18, revised: docs/truebit.md); the body of lock tag 12.
///
/// On the wire: `solutionId 32 | challengerKey 32`.
public struct TruebitRefutedLock: Hashable, Sendable {
    public var solutionId: Hash32
    /// The challenger whose game produced the marker; no rule pays it (the close pays the giver).
    public var challengerKey: RawPublicKey

    public init(solutionId: Hash32, challengerKey: RawPublicKey) {
        self.solutionId = solutionId
        self.challengerKey = challengerKey
    }
}

extension TruebitRefutedLock: CanonicalCodable {
    public static let codecName = "truebitRefuted"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(solutionId)
        writer.writeKey(challengerKey)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TruebitRefutedLock {
        TruebitRefutedLock(
            solutionId: try reader.readHash(field: "solutionId"),
            challengerKey: try reader.readKey(field: "challengerKey")
        )
    }
}

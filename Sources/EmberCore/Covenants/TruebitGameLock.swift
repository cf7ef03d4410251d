import EmberCrypto

/// A verification game between a solver and one challenger, holding the challenger's deposit
/// (DESIGN.md section 18); the body of lock tag 9.
///
/// On the wire: `solutionId 32 | solverKey 32 | challengerKey 32 | lo u64 | loHash 32 | hi u64 | hiHash 32 |
/// pointsHash 32 | solverClock u32 | challengerClock u32`.
public struct TruebitGameLock: Hashable, Sendable {
    public var solutionId: Hash32
    public var solverKey: RawPublicKey
    public var challengerKey: RawPublicKey
    /// The step both sides agree on.
    public var lo: UInt64
    public var loHash: Hash32
    /// The step they disagree on.
    public var hi: UInt64
    public var hiHash: Hash32
    /// The hash of the solver's posted bisection points; 32 zero bytes when none are posted.
    public var pointsHash: Hash32
    public var solverClock: UInt32
    public var challengerClock: UInt32

    public init(
        solutionId: Hash32, solverKey: RawPublicKey, challengerKey: RawPublicKey, lo: UInt64, loHash: Hash32,
        hi: UInt64, hiHash: Hash32, pointsHash: Hash32, solverClock: UInt32, challengerClock: UInt32
    ) {
        self.solutionId = solutionId
        self.solverKey = solverKey
        self.challengerKey = challengerKey
        self.lo = lo
        self.loHash = loHash
        self.hi = hi
        self.hiHash = hiHash
        self.pointsHash = pointsHash
        self.solverClock = solverClock
        self.challengerClock = challengerClock
    }
}

extension TruebitGameLock: CanonicalCodable {
    public static let codecName = "truebitGame"

    public func encode(to writer: inout ByteWriter) {
        writer.writeHash(solutionId)
        writer.writeKey(solverKey)
        writer.writeKey(challengerKey)
        writer.writeUInt64(lo)
        writer.writeHash(loHash)
        writer.writeUInt64(hi)
        writer.writeHash(hiHash)
        writer.writeHash(pointsHash)
        writer.writeUInt32(solverClock)
        writer.writeUInt32(challengerClock)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> TruebitGameLock {
        TruebitGameLock(
            solutionId: try reader.readHash(field: "solutionId"),
            solverKey: try reader.readKey(field: "solverKey"),
            challengerKey: try reader.readKey(field: "challengerKey"),
            lo: try reader.readUInt64(field: "lo"),
            loHash: try reader.readHash(field: "loHash"),
            hi: try reader.readUInt64(field: "hi"),
            hiHash: try reader.readHash(field: "hiHash"),
            pointsHash: try reader.readHash(field: "pointsHash"),
            solverClock: try reader.readUInt32(field: "solverClock"),
            challengerClock: try reader.readUInt32(field: "challengerClock")
        )
    }
}

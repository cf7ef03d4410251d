import BigInt
import EmberCore
import EmberCrypto

/// The header tiers of DESIGN.md section 11: the header alone, then the header against its parent.
extension ConsensusParams {
    /// A block may be this far ahead of our clock; later ones wait: bounds how far a miner can pull the
    /// difficulty window and the time cap forward.
    public static let maxFutureDriftMs: UInt64 = 15_000

    /// Tier 1: canonical target within the maximum, then proof of work against the header's own target.
    ///
    /// Cheap and first, so invalid work costs us one hash. `hash` is the header's block hash, computed
    /// once by the caller.
    public func checkHeaderSanity(_ header: BlockHeader, hash: Hash32) throws(BlockRejection) {
        let target: BigUInt
        do {
            target = try header.target.checkedValue(maximum: maxTarget)
        } catch {
            throw .badTarget(error)
        }
        guard BigUInt(hash: hash) <= target else {
            throw .insufficientWork(hash: hash, target: header.target)
        }
    }

    /// Tier 2: height, timestamp and the exact target of section 7, given the parent and our clock.
    public func checkHeaderContext(_ header: BlockHeader, parent: ParentContext, nowMs: UInt64) throws(BlockRejection) {
        let parentHeader = parent.header
        guard header.height == parentHeader.height &+ 1, parentHeader.height < UInt64.max else {
            throw .wrongHeight(expected: parentHeader.height &+ 1, found: header.height)
        }
        guard header.timestamp > parentHeader.timestamp else {
            throw .timestampNotAfterParent(parent: parentHeader.timestamp, found: header.timestamp)
        }
        let (limit, overflow) = nowMs.addingReportingOverflow(Self.maxFutureDriftMs)
        if !overflow, header.timestamp >= limit {
            throw .timestampInFuture(limit: limit, found: header.timestamp)
        }
        let expected: CompactTarget
        do {
            expected = try difficultyAdjustment.nextTarget(
                parentTarget: parentHeader.target, parentHeight: parentHeader.height,
                parentTimestampMs: parentHeader.timestamp,
                spanStartTimestampMs: parent.spanStartTimestampMs ?? parentHeader.timestamp)
        } catch {
            throw .badTarget(error)
        }
        guard header.target == expected else {
            throw .wrongTarget(expected: expected, found: header.target)
        }
    }
}

/// What checking a header in context needs to know of the chain below it.
public struct ParentContext: Sendable {
    /// The parent's header.
    public var header: BlockHeader
    /// The timestamp of the parent's ancestor at height h − N, when
    /// `DifficultyAdjustment.spanStartHeight(parentHeight:)` names one; nil otherwise.
    public var spanStartTimestampMs: UInt64?

    public init(header: BlockHeader, spanStartTimestampMs: UInt64?) {
        self.header = header
        self.spanStartTimestampMs = spanStartTimestampMs
    }
}

extension BigUInt {
    /// The hash read as an unsigned big-endian 256-bit integer, as proof of work compares it.
    public init(hash: Hash32) {
        let bytes = hash.bytes
        let words = (0..<4).map { wordIndex in
            // BigUInt words run least significant first; the hash's bytes most significant first.
            let start = (3 - wordIndex) * 8
            return bytes[start..<start + 8].reduce(UInt(0)) { $0 << 8 | UInt($1) }
        }
        self.init(words: words)
    }
}

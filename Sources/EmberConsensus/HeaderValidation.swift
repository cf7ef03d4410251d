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
            expected = try nextTarget(after: parent)
        } catch {
            throw .badTarget(error)
        }
        guard header.target == expected else {
            throw .wrongTarget(expected: expected, found: header.target)
        }
    }
}

/// What checking a header in context needs to know of the chain below it: the one place the inputs of
/// the next target (section 7) are assembled.
public struct ParentContext: Sendable {
    /// The parent's header.
    public let header: BlockHeader
    /// The timestamp of the parent's ancestor at height h − N, when
    /// `DifficultyAdjustment.spanStartHeight(parentHeight:)` names one; nil otherwise.
    public let spanStartTimestampMs: UInt64?

    /// The context of a child of `header`; `timestampAtHeight` gives the timestamp of the parent's
    /// ancestor at a height (on the parent's own branch), and is asked only when the span needs one.
    ///
    /// Throws when the ancestor is missing: counting its span as zero would pass a wrong target.
    public init(
        header: BlockHeader, timestampAtHeight: (UInt64) -> UInt64?
    ) throws(MissingAncestorError) {
        self.header = header
        if let height = DifficultyAdjustment.spanStartHeight(parentHeight: header.height) {
            guard let timestamp = timestampAtHeight(height) else {
                throw .spanStart(parentHeight: header.height, ancestorHeight: height)
            }
            spanStartTimestampMs = timestamp
        } else {
            spanStartTimestampMs = nil
        }
    }
}

/// The chain below a parent lacks an ancestor the rules need: the caller's own data is incomplete (a
/// pruned or damaged index), never the sender's fault.
public enum MissingAncestorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The ancestor at `ancestorHeight`, where the difficulty span of a child of the block at
    /// `parentHeight` starts.
    case spanStart(parentHeight: UInt64, ancestorHeight: UInt64)

    public var description: String {
        switch self {
        case .spanStart(let parentHeight, let ancestorHeight):
            "the block at height \(parentHeight) has no known ancestor at height \(ancestorHeight), where its difficulty span starts"
        }
    }
}

extension ConsensusParams {
    /// The target a child of `parent` must carry (section 7).
    public func nextTarget(after parent: ParentContext) throws(TargetRejection) -> CompactTarget {
        let header = parent.header
        return try difficultyAdjustment.nextTarget(
            parentTarget: header.target, parentHeight: header.height, parentTimestampMs: header.timestamp,
            // The initialiser holds the ancestor's timestamp whenever the span is measured.
            spanStartTimestampMs: parent.spanStartTimestampMs ?? header.timestamp)
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

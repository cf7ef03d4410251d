import EmberConsensus
import EmberCore
import EmberCrypto

/// The checks a side makes before it co-signs a state the other side proposed (docs/channels.md,
/// "Updates"): the next version of this channel, well formed as layer 1 requires, signed by the
/// proposer, not taking from the receiver (a payment only ever pays the receiver), and, for an app, a
/// move the app accepts.
public struct UpdateCheck: Sendable {
    public let params: ConsensusParams
    public let record: ChannelRecord

    public init(params: ConsensusParams, record: ChannelRecord) {
        self.params = params
        self.record = record
    }

    /// Checks `proposed`, signed by the other side with `signature`, against the current state; returns
    /// its state hash, which the receiver signs in turn.
    @discardableResult
    public func check(_ proposed: ChannelState, signature: Signature, current: ChannelState) throws(ChannelRefusal) -> Hash32 {
        let hash = try checkTransition(proposed, current: current)
        guard isProposerSignature(signature, of: hash) else { throw .badSignature }
        return hash
    }

    /// Every check of `check` but the proposer's signature, which a batch verifies on every core
    /// (`isProposerSignature`); returns the state hash the signature must cover.
    public func checkTransition(_ proposed: ChannelState, current: ChannelState) throws(ChannelRefusal) -> Hash32 {
        guard !current.isFinal else { throw .channelFinal }
        guard current.version < .max, proposed.version == current.version + 1 else {
            throw .wrongVersion(found: proposed.version, expected: current.version &+ 1)
        }
        do {
            try params.checkWellFormed(proposed, channelId: record.id, amount: record.amount)
        } catch {
            throw .malformed(error.description)
        }
        if !record.params.hasApp {
            guard proposed.appData.isEmpty else { throw .malformed("a payment channel's states carry no app data") }
            let before = Self.paid(to: record.ownPayout, in: current)
            let after = Self.paid(to: record.ownPayout, in: proposed)
            guard after >= before else { throw .takesFromReceiver(before: before, after: after) }
        }
        return proposed.hash(network: record.network)
    }

    /// The index of the first of `signatures` that is not the other side's over the state hash at the same
    /// index of `hashes` (or of the first missing or extra one), checked on every core; nil when every
    /// one verifies. A batch's acknowledgement counts only then.
    public func firstBadSignature(_ signatures: [Signature], over hashes: [Hash32]) -> Int? {
        guard signatures.count == hashes.count else { return min(signatures.count, hashes.count) }
        let valid = ParallelSigning.map(hashes.count) { isProposerSignature(signatures[$0], of: hashes[$0]) }
        return valid.firstIndex(of: false)
    }

    /// Whether `signature` is the other side's over the state hash `hash`.
    public func isProposerSignature(_ signature: Signature, of hash: Hash32) -> Bool {
        guard let peer = try? PublicKey(bytes: record.peerKey.bytes) else { return false }
        return peer.isValidSignature(signature, domain: .channelState, network: record.network, message: hash.bytes)
    }

    /// What `state` pays to `lock` in all.
    public static func paid(to lock: Lock, in state: ChannelState) -> Amount {
        state.balances.filter { $0.lock == lock }.map(\.amount).checkedSum() ?? .zero
    }
}

/// Why a side refused a proposed state; sent back to the proposer in a `refuse` message.
public enum ChannelRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownChannel(Hash32)
    case channelFinal
    case notOpen(ChannelRecord.Status)
    case wrongVersion(found: UInt64, expected: UInt64)
    case malformed(String)
    case badSignature
    case takesFromReceiver(before: Amount, after: Amount)
    case illegalMove(String)
    case busy

    public var description: String {
        switch self {
        case .unknownChannel(let id): "unknown channel \(id)"
        case .channelFinal: "the channel's last state is final; nothing follows it"
        case .notOpen(let status): "the channel is \(status.rawValue), not open"
        case .wrongVersion(let found, let expected): "version \(found) proposed, \(expected) expected"
        case .malformed(let reason): "the state is not well formed: \(reason)"
        case .badSignature: "the proposer's signature does not verify"
        case .takesFromReceiver(let before, let after): "the update lowers the receiver's balance from \(before) to \(after)"
        case .illegalMove(let reason): "the app refuses the move: \(reason)"
        case .busy: "another update of this channel is in flight; try again"
        }
    }
}

import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation

/// Builds every layer-1 transaction of a channel (docs/channels.md, "Spend modes"): dispute, override,
/// settle, conclude and force-move, each paid for by a funding key (fee sponsorship, DESIGN.md section
/// 15), and the cooperative close (`ChannelTransactions+Cooperative.swift`).
///
/// Each verb comes twice: `dispute(_:latest:)` asks the node for the spent output, the tip and the
/// funding key's outputs; `dispute(_:latest:in:)` builds from a `Context` the caller holds (tests build
/// one from a `ChainBuilder`). Every result passed the network's own covenant rule and `checkConnect`
/// in the builder's self-check before it is returned.
public struct ChannelTransactions: Sendable {
    public let sponsor: SponsoredTransactionBuilder
    public let client: NodeAPIClient
    /// Milliseconds since the Unix epoch: funding outputs locked until later are not spent.
    public let clock: @Sendable () -> UInt64

    public init(
        params: ConsensusParams, fundingKey: SigningKey, client: NodeAPIClient,
        clock: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        sponsor = SponsoredTransactionBuilder(params: params, fundingKey: fundingKey)
        self.client = client
        self.clock = clock
    }

    public var params: ConsensusParams { sponsor.params }
    public var network: NetworkID { params.networkID }

    /// Where a transaction spending one channel output is built: that output, the height of the block
    /// that is to include it (the node's tip + 1), the funding key's outputs, and the time.
    public struct Context: Hashable, Sendable {
        public var spent: UnspentOutput
        public var height: UInt64
        public var funding: [WalletOutput]
        public var nowMs: UInt64

        public init(spent: UnspentOutput, height: UInt64, funding: [WalletOutput], nowMs: UInt64) {
            self.spent = spent
            self.height = height
            self.funding = funding
            self.nowMs = nowMs
        }
    }

    /// Which output of the channel a spend takes: the funding output (tag 1) or a dispute (tag 2).
    public enum Spent: Hashable, Sendable {
        case funding
        case dispute(ChannelRecord.Dispute)
    }

    // MARK: - Deadlines

    /// The deadline a dispute or force-move writes when built for the block at `nextHeight`:
    /// `D = nextHeight + W + ⌊W/2⌋`. The rule accepts it in any block at `h ∈ [D − 2W, D − W]`, that is
    /// from ⌈W/2⌉ blocks below `nextHeight` to ⌊W/2⌋ blocks above it: the transaction may wait half a
    /// window to be mined and survives a reorganisation that shortens the chain by half a window.
    /// Saturates instead of trapping (a window is at most 100 000 blocks).
    public static func chosenDeadline(nextHeight: UInt64, window: UInt32) -> UInt64 {
        let (deadline, overflow) = nextHeight.addingReportingOverflow(UInt64(window) + UInt64(window / 2))
        return overflow ? .max : deadline
    }

    // MARK: - Modes, against the node

    /// Mode 2: disputes with `latest`, pinning a dispute with a deadline chosen for the next block.
    public func dispute(_ record: ChannelRecord, latest: CoSignedState) async throws(ChannelTransactionError) -> SponsoredTransaction {
        try dispute(record, latest: latest, in: try await context(spending: .funding, of: record))
    }

    /// Mode 3: overrides `dispute` with `latest` (newer, or as new as a forced dispute); same deadline.
    public func override(
        _ record: ChannelRecord, dispute: ChannelRecord.Dispute, latest: CoSignedState
    ) async throws(ChannelTransactionError) -> SponsoredTransaction {
        try override(record, dispute: dispute, latest: latest, in: try await context(spending: .dispute(dispute), of: record))
    }

    /// Mode 4: settles `dispute` with `state`, the state whose hash it carries, from its deadline on.
    public func settle(
        _ record: ChannelRecord, dispute: ChannelRecord.Dispute, state: ChannelState
    ) async throws(ChannelTransactionError) -> SponsoredTransaction {
        try settle(record, dispute: dispute, state: state, in: try await context(spending: .dispute(dispute), of: record))
    }

    /// Mode 1: closes with a co-signed final state, from the funding output or a dispute not newer than it.
    public func conclude(
        _ record: ChannelRecord, final: CoSignedState, spending spent: Spent
    ) async throws(ChannelTransactionError) -> SponsoredTransaction {
        try conclude(record, final: final, spending: spent, in: try await context(spending: spent, of: record))
    }

    /// Mode 5: the mover's signed `new` state replaces the disputed `old` one under the app's `program`.
    public func forceMove(
        _ record: ChannelRecord, dispute: ChannelRecord.Dispute, old: ChannelState, new: ChannelState, moverSignature: Signature,
        program: [UInt8], maxSteps: UInt32
    ) async throws(ChannelTransactionError) -> SponsoredTransaction {
        try forceMove(
            record, dispute: dispute, old: old, new: new, moverSignature: moverSignature, program: program, maxSteps: maxSteps,
            in: try await context(spending: .dispute(dispute), of: record))
    }

    // MARK: - Modes, from a context

    public func dispute(_ record: ChannelRecord, latest: CoSignedState, in context: Context) throws(ChannelTransactionError) -> SponsoredTransaction {
        let deadline = Self.chosenDeadline(nextHeight: context.height, window: record.params.window)
        let pinned = disputeOutput(record, state: latest.state, deadline: deadline, forced: false)
        return try build(.dispute, spending: record.funding, witness: latest.witness, pinned: [pinned], in: context)
    }

    public func override(
        _ record: ChannelRecord, dispute: ChannelRecord.Dispute, latest: CoSignedState, in context: Context
    ) throws(ChannelTransactionError) -> SponsoredTransaction {
        guard dispute.isOverridden(by: latest.state.version) else {
            throw .notNewer(version: latest.state.version, disputed: dispute.version, forced: dispute.forced)
        }
        let pinned = disputeOutput(record, state: latest.state, deadline: dispute.deadline, forced: false)
        return try build(.override, spending: dispute.outpoint, witness: latest.witness, pinned: [pinned], in: context)
    }

    public func settle(
        _ record: ChannelRecord, dispute: ChannelRecord.Dispute, state: ChannelState, in context: Context
    ) throws(ChannelTransactionError) -> SponsoredTransaction {
        let hash = state.hash(network: network)
        guard hash == dispute.stateHash else { throw .notTheDisputedState(given: hash, disputed: dispute.stateHash) }
        return try build(.settle, spending: dispute.outpoint, witness: Witness(items: [state.encoded]), pinned: state.balances, in: context)
    }

    public func conclude(
        _ record: ChannelRecord, final: CoSignedState, spending spent: Spent, in context: Context
    ) throws(ChannelTransactionError) -> SponsoredTransaction {
        try build(.conclude, spending: outpoint(spent, of: record), witness: final.witness, pinned: final.state.balances, in: context)
    }

    public func forceMove(
        _ record: ChannelRecord, dispute: ChannelRecord.Dispute, old: ChannelState, new: ChannelState, moverSignature: Signature,
        program: [UInt8], maxSteps: UInt32, in context: Context
    ) throws(ChannelTransactionError) -> SponsoredTransaction {
        let deadline = Self.chosenDeadline(nextHeight: context.height, window: record.params.window)
        let pinned = disputeOutput(record, state: new, deadline: deadline, forced: true)
        return try build(
            .forceMove, spending: dispute.outpoint, witness: Witness(items: [old.encoded, new.encoded, moverSignature.bytes]), pinned: [pinned],
            maxSteps: maxSteps, blobs: [program], in: context)
    }

    // MARK: - Parts

    /// The channel output `spent` names: its outpoint.
    public func outpoint(_ spent: Spent, of record: ChannelRecord) -> OutPoint {
        switch spent {
        case .funding: record.funding
        case .dispute(let dispute): dispute.outpoint
        }
    }

    /// The lock of the channel output `spent` names.
    public func lock(_ spent: Spent, of record: ChannelRecord) -> Lock {
        switch spent {
        case .funding: record.channelLock
        case .dispute(let dispute):
            .channelDispute(ChannelDisputeLock(
                channelId: record.id, params: record.params, version: dispute.version, stateHash: dispute.stateHash,
                deadline: dispute.deadline, forced: dispute.forced))
        }
    }

    /// The dispute output a dispute, override or force-move pins: the whole channel amount.
    func disputeOutput(_ record: ChannelRecord, state: ChannelState, deadline: UInt64, forced: Bool) -> Output {
        Output(amount: record.amount, lock: .channelDispute(ChannelDisputeLock(
            channelId: record.id, params: record.params, version: state.version, stateHash: state.hash(network: network),
            deadline: deadline, forced: forced)))
    }

    /// The context of a spend of `spent` now: the output as the node holds it (with its creation
    /// height), the node's tip + 1, and the funding key's outputs.
    public func context(spending spent: Spent, of record: ChannelRecord) async throws(ChannelTransactionError) -> Context {
        let outpoint = outpoint(spent, of: record)
        let lock = lock(spent, of: record)
        let tip: ChainTip
        let found: WalletOutput?
        let funding: [WalletOutput]
        do {
            tip = try await client.tip()
            found = try await client.outputs(under: lock).first { $0.outpoint == outpoint }
            funding = try await client.outputs(of: Address(publicKeyHash: sponsor.fundingKey.publicKey.publicKeyHash, network: network))
        } catch {
            throw .node(error)
        }
        guard tip.network == network else { throw .wrongNetwork(node: tip.network, expected: network) }
        guard let found else { throw .outputNotFound(outpoint) }
        let spentOutput = UnspentOutput(
            output: Output(amount: found.amount, lock: lock, lockTime: found.lockTime), height: found.height, isCoinbase: found.isCoinbase)
        return Context(spent: spentOutput, height: tip.height + 1, funding: funding, nowMs: clock())
    }

    private func build(
        _ mode: CovenantUnlock.ChannelMode, spending outpoint: OutPoint, witness: Witness, pinned: [Output], maxSteps: UInt32 = 0,
        blobs: [[UInt8]] = [], in context: Context
    ) throws(ChannelTransactionError) -> SponsoredTransaction {
        let input = CovenantSpendInput(
            outpoint: outpoint, spent: context.spent,
            unlock: .channel(CovenantUnlock(mode: mode.rawValue, firstOutput: 0, maxSteps: maxSteps)), witness: witness, pinned: pinned)
        do {
            return try sponsor.build(
                CovenantTransactionRequest(covenantInputs: [input], blobs: blobs), funding: context.funding, height: context.height,
                nowMs: context.nowMs)
        } catch {
            throw .sponsorship(error)
        }
    }
}

extension ChannelRecord.Dispute {
    /// Whether a co-signed state of `version` overrides this dispute: newer, or as new as a forced move.
    public func isOverridden(by version: UInt64) -> Bool {
        version > self.version || (version == self.version && forced)
    }
}

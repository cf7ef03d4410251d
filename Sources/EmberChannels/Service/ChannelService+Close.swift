import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import Foundation

extension ChannelService {
    /// Closes the channel cooperatively in one layer-1 transaction: both sides co-sign a final state with
    /// the current balances, then this side publishes its conclude (DESIGN.md section 16, mode 1), paying
    /// the fee from its own outputs. A co-signed final state also ends any dispute of an older state, so
    /// it stays useful even if the peer disputes first (docs/channel-attacks.md, attack 9).
    public func close(_ id: Hash32) async throws -> Hash32 {
        var final = try latestState(of: id)
        if !final.state.isFinal {
            var attempt = 0
            while true {
                let (record, base) = try proposalBase(id)
                var next = base
                next.version = base.version + 1
                next.isFinal = true
                do {
                    final = try await propose(next, record: record)
                    break
                } catch where Self.isBusy(error) && attempt < 20 {
                    attempt += 1
                    try? await Task.sleep(for: .milliseconds(5 * attempt))
                }
            }
        }
        return try await publishConclude(id, final: final)
    }

    /// Publishes the conclude of `final` on the channel's current output (the funding output, or a
    /// dispute of an older state).
    func publishConclude(_ id: Hash32, final: CoSignedState) async throws -> Hash32 {
        var record = try record(id)
        let current = record.dispute?.outpoint ?? record.funding
        let lock: Lock = record.dispute.map { .channelDispute(ChannelDisputeLock(
            channelId: id, params: record.params, version: $0.version, stateHash: $0.stateHash, deadline: $0.deadline, forced: $0.forced)) }
            ?? record.channelLock
        let spent = try await unspent(current, lock: lock)
        let request = CovenantTransactionRequest(covenantInputs: [CovenantSpendInput(
            outpoint: current, spent: spent,
            unlock: .channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.conclude.rawValue, firstOutput: 0)),
            witness: final.witness, pinned: final.state.balances)])
        let transaction = try await sponsorAndSubmit(request)
        record.status = .closing
        record.closingTxid = transaction
        try save(record)
        return transaction
    }

    /// Builds `request` with fees from this side's own outputs and submits it; returns its txid.
    func sponsorAndSubmit(_ request: CovenantTransactionRequest) async throws -> Hash32 {
        let sponsored: SponsoredTransaction
        do {
            sponsored = try await SponsoredTransactionBuilder(params: params, fundingKey: key).build(
                request, client: node, nowMs: UInt64(Date().timeIntervalSince1970 * 1_000))
        } catch {
            throw ChannelServiceError.funding(error.description)
        }
        do {
            return try await node.submit(sponsored.transaction)
        } catch {
            throw ChannelServiceError.node(error.description)
        }
    }

    /// The unspent output at `outpoint` under `lock`, as the node's index of that lock reports it.
    func unspent(_ outpoint: OutPoint, lock: Lock) async throws -> UnspentOutput {
        let outputs: [WalletOutput]
        do {
            outputs = try await node.outputs(under: lock)
        } catch {
            throw ChannelServiceError.node(error.description)
        }
        guard let found = outputs.first(where: { $0.outpoint == outpoint }) else {
            throw ChannelServiceError.node("output \(outpoint.txid.hex):\(outpoint.index) is not confirmed and unspent on the node")
        }
        return UnspentOutput(output: Output(amount: found.amount, lock: lock, lockTime: found.lockTime), height: found.height, isCoinbase: found.isCoinbase)
    }

    /// Waits (up to two minutes) until the node shows the channel's funding output in a block.
    public func waitForFunding(_ id: Hash32) async throws {
        let record = try record(id)
        for _ in 0..<600 {
            if (try? await unspent(record.funding, lock: record.channelLock)) != nil { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
        throw ChannelServiceError.timedOut("the funding transaction \(record.funding.txid.hex) to confirm")
    }
}

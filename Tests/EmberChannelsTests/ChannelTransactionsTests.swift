import EmberChannels
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Testing

/// Every layer-1 verb `ChannelTransactions` builds, mined through the real rules on a ChainBuilder chain.
@Suite("channel transactions on layer 1")
struct ChannelTransactionsTests {
    typealias Fixture = ChannelChainFixture
    static let third = Amount(coins: 3)!
    static let seven = Amount(coins: 7)!

    @Test("dispute, override with a newer state before the deadline, settle from the deadline on: the settled balances are paid")
    func disputeOverrideSettle() throws {
        var fixture = try Fixture()
        let stale = fixture.state(version: 2, toA: Amount(coins: 9)!)
        let newest = fixture.state(version: 5, toA: Self.third)
        let dispute = try fixture.transactions.dispute(fixture.record, latest: fixture.coSigned(stale), in: fixture.context(.funding))
        #expect(dispute.transaction.inputs[0].outpoint == fixture.record.funding)
        try fixture.mine(dispute.transaction)
        fixture.follow(dispute.transaction)
        let disputed = try #require(fixture.record.dispute)
        #expect(disputed.version == 2 && !disputed.forced && disputed.stateHash == stale.hash(network: fixture.network))

        // The older state cannot override; the newer one does, keeping the deadline.
        #expect(throws: ChannelTransactionError.notNewer(version: 2, disputed: 2, forced: false)) {
            try fixture.transactions.override(fixture.record, dispute: disputed, latest: fixture.coSigned(stale), in: fixture.context(.dispute(disputed)))
        }
        let override = try fixture.transactions.override(
            fixture.record, dispute: disputed, latest: fixture.coSigned(newest), in: fixture.context(.dispute(disputed)))
        try fixture.mine(override.transaction)
        fixture.follow(override.transaction)
        let overridden = try #require(fixture.record.dispute)
        #expect(overridden.version == 5 && overridden.deadline == disputed.deadline)

        // Settling the stale state is refused before anything is built; the newest settles at the deadline.
        #expect(throws: ChannelTransactionError.self) {
            try fixture.transactions.settle(fixture.record, dispute: overridden, state: stale, in: fixture.context(.dispute(overridden)))
        }
        try fixture.advance(toNextHeight: overridden.deadline)
        let settle = try fixture.transactions.settle(fixture.record, dispute: overridden, state: newest, in: fixture.context(.dispute(overridden)))
        try fixture.mine(settle.transaction)
        #expect(Array(settle.transaction.outputs.prefix(2)) == newest.balances)
        #expect(fixture.builder.utxos.unspentOutput(at: OutPoint(txid: settle.transaction.txid, index: 0))?.output == newest.balances[0])
    }

    @Test("a settle one block before the deadline is refused by the rule, so none is built")
    func settleTooEarly() throws {
        var fixture = try Fixture()
        let state = fixture.state(version: 1, toA: Self.third)
        let dispute = try fixture.transactions.dispute(fixture.record, latest: fixture.coSigned(state), in: fixture.context(.funding))
        try fixture.mine(dispute.transaction)
        fixture.follow(dispute.transaction)
        let disputed = try #require(fixture.record.dispute)
        try fixture.advance(toNextHeight: disputed.deadline - 1)
        #expect(throws: ChannelTransactionError.self) {
            try fixture.transactions.settle(fixture.record, dispute: disputed, state: state, in: fixture.context(.dispute(disputed)))
        }
    }

    @Test("the chosen deadline is valid from half a window below the next height to half a window above it, and not beyond",
          arguments: [UInt32(2), 3, 4, 7, 30, 720])
    func chosenDeadlineRange(window: UInt32) throws {
        let params = ChainBuilder.fastParams().layer2
        let next: UInt64 = 1_000
        let deadline = ChannelTransactions.chosenDeadline(nextHeight: next, window: window)
        let below = next - UInt64((window + 1) / 2)
        let above = next + UInt64(window / 2)
        for height in below...above {
            #expect(throws: Never.self) { try params.checkChosenDeadline(deadline, window: UInt64(window), height: height) }
        }
        #expect(throws: CovenantRejection.self) { try params.checkChosenDeadline(deadline, window: UInt64(window), height: below - 1) }
        #expect(throws: CovenantRejection.self) { try params.checkChosenDeadline(deadline, window: UInt64(window), height: above + 1) }
    }

    @Test("a dispute built for one height is still mined half a window later")
    func disputeWaits() throws {
        var fixture = try Fixture(window: 6)
        let state = fixture.state(version: 1, toA: Self.third)
        let dispute = try fixture.transactions.dispute(fixture.record, latest: fixture.coSigned(state), in: fixture.context(.funding))
        try fixture.advance(toNextHeight: fixture.nextHeight + 3)
        try fixture.mine(dispute.transaction)
    }

    @Test("conclude closes from the funding output, and ends a dispute not newer than the final state")
    func conclude() throws {
        var fixture = try Fixture()
        let final = fixture.state(version: 9, toA: Self.seven, isFinal: true)
        let direct = try fixture.transactions.conclude(fixture.record, final: fixture.coSigned(final), spending: .funding, in: fixture.context(.funding))
        #expect(Array(direct.transaction.outputs.prefix(2)) == final.balances)
        _ = try fixture.builder.validate(fixture.builder.makeBlock([direct.transaction]))

        let dispute = try fixture.transactions.dispute(
            fixture.record, latest: fixture.coSigned(fixture.state(version: 4, toA: Self.third)), in: fixture.context(.funding))
        try fixture.mine(dispute.transaction)
        fixture.follow(dispute.transaction)
        let disputed = try #require(fixture.record.dispute)
        let fromDispute = try fixture.transactions.conclude(
            fixture.record, final: fixture.coSigned(final), spending: .dispute(disputed), in: fixture.context(.dispute(disputed)))
        try fixture.mine(fromDispute.transaction)
        #expect(fixture.builder.utxos.unspentOutput(at: OutPoint(txid: fromDispute.transaction.txid, index: 1))?.output == final.balances[1])
    }

    @Test("a force-move runs the app and opens a fresh window; a co-signed state of the same version overrides it")
    func forceMove() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 1, toA: Self.third, appData: [1])
        let dispute = try fixture.transactions.dispute(fixture.record, latest: fixture.coSigned(old), in: fixture.context(.funding))
        try fixture.mine(dispute.transaction)
        fixture.follow(dispute.transaction)
        let disputed = try #require(fixture.record.dispute)

        // Version 2 is even: B moves alone.
        let new = fixture.state(version: 2, toA: Self.seven, appData: [2])
        let moverSignature = try Fixture.keyB.sign(domain: .channelState, network: fixture.network, message: new.hash(network: fixture.network).bytes)
        let move = try fixture.transactions.forceMove(
            fixture.record, dispute: disputed, old: old, new: new, moverSignature: moverSignature, program: Fixture.acceptAll, maxSteps: 64,
            in: fixture.context(.dispute(disputed)))
        try fixture.mine(move.transaction)
        guard case .disputed(let forced, .forceMove, let carried) = ChannelSpendOutcome.read(
            move.transaction, txid: move.transaction.txid, input: 0, channelId: fixture.record.id, network: fixture.network)
        else {
            Issue.record("the force-move does not read as one")
            return
        }
        #expect(forced.forced && forced.version == 2 && carried == new)
        #expect(forced.deadline == ChannelTransactions.chosenDeadline(nextHeight: fixture.nextHeight - 1, window: fixture.record.params.window))
        fixture.follow(move.transaction)

        let agreed = fixture.state(version: 2, toA: Self.third, appData: [3])
        let override = try fixture.transactions.override(
            fixture.record, dispute: forced, latest: fixture.coSigned(agreed), in: fixture.context(.dispute(forced)))
        try fixture.mine(override.transaction)
    }

    @Test("a cooperative close is sized with placeholders, signed by both over coopMessage of its txid, and mined; one signer twice is refused")
    func cooperative() throws {
        var fixture = try Fixture()
        let outputs = fixture.state(version: 0, toA: Self.third).balances
        let unsigned = try fixture.transactions.unsignedCooperativeClose(fixture.record, outputs: outputs, in: fixture.context(.funding))
        #expect(Array(unsigned.transaction.outputs.prefix(2)) == outputs)
        let message = ChannelTransactions.coopMessage(channelId: fixture.record.id, txid: unsigned.txid)
        let sigA = try Fixture.keyA.sign(domain: .channelCoop, network: fixture.network, message: message)
        let sigB = try Fixture.keyB.sign(domain: .channelCoop, network: fixture.network, message: message)
        #expect(throws: ChannelTransactionError.self) { try fixture.transactions.insertingCoopSignatures(unsigned, sigA: sigA, sigB: sigA) }
        let signed = try fixture.transactions.insertingCoopSignatures(unsigned, sigA: sigA, sigB: sigB)
        #expect(signed.txid == unsigned.txid)
        // The placeholders had the signatures' size: the fee is exactly the signed close's minimum.
        let params = fixture.builder.params
        #expect(unsigned.fee == params.minimumFee(weight: params.weight(of: signed, size: signed.encoded.count)))
        try fixture.mine(signed)
        #expect(fixture.builder.utxos.unspentOutput(at: fixture.record.funding) == nil)
    }

    @Test("a cooperative close also ends a dispute")
    func cooperativeFromDispute() throws {
        var fixture = try Fixture()
        let dispute = try fixture.transactions.dispute(
            fixture.record, latest: fixture.coSigned(fixture.state(version: 1, toA: Self.third)), in: fixture.context(.funding))
        try fixture.mine(dispute.transaction)
        fixture.follow(dispute.transaction)
        let disputed = try #require(fixture.record.dispute)
        let outputs = fixture.state(version: 0, toA: Self.seven).balances
        let unsigned = try fixture.transactions.unsignedCooperativeClose(
            fixture.record, outputs: outputs, spending: .dispute(disputed), in: fixture.context(.dispute(disputed)))
        let message = ChannelTransactions.coopMessage(channelId: fixture.record.id, txid: unsigned.txid)
        let signed = try fixture.transactions.insertingCoopSignatures(
            unsigned, sigA: Fixture.keyA.sign(domain: .channelCoop, network: fixture.network, message: message),
            sigB: Fixture.keyB.sign(domain: .channelCoop, network: fixture.network, message: message))
        try fixture.mine(signed)
    }
}

import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// DESIGN.md section 15 in the pool: fees and templates count weight (size + ⌈maxSteps / 64⌉), the
/// relay cap bounds declared steps, and transactions from disconnected blocks face consensus caps only.
@Suite("Mempool weight and declared steps")
struct MempoolWeightTests {
    typealias Fixture = MempoolCovenantFixture
    /// These tests declare steps on the test rules' settles, which the channel-spend weight limit
    /// would refuse (tag 1 is the test rules' program lock); MempoolReplacementTests tests that limit.
    static let heavyChannels = MempoolPolicy(maxChannelSpendWeight: .max)

    @Test("fee rates count declared steps: a heavy spend paying more per byte ranks below a light one")
    func ordersByWeight() throws {
        var fixture = try Fixture(policy: Self.heavyChannels)
        // 2^20 steps add 16 384 weight units and the run 65 536 more: 2·10^15 units over ~82 090 units is
        // ~2.4·10^10 per unit,
        // while 5·10^14 units over a payment of ~200 bytes is ~2.5·10^12 per unit.
        let heavy = fixture.settle(fixture.channels[0], maxSteps: 1 << 20, fee: Fixture.fee(200))
        let light = fixture.reader(seed: 4, reads: [], fee: Fixture.fee(50))
        #expect(Fixture.fee(200).units / UInt128(heavy.size) > Fixture.fee(50).units / UInt128(light.size), "heavy must pay more per byte")
        try fixture.add(heavy)
        try fixture.add(light)
        let entry = try #require(fixture.pool.entry(heavy.txid))
        #expect(entry.weight == heavy.size + 16_384 + 65_536)
        #expect(entry.feeRate == FeeRate(fee: Fixture.fee(200), weight: heavy.size + 16_384 + 65_536))

        let selection = fixture.pool.selectTransactions(maxWeight: 1_000_000, maxCount: 10)
        #expect(selection.transactions == [light, heavy])
        #expect(selection.weight == light.size + heavy.size + 16_384 + 65_536)
        #expect(selection.size == light.size + heavy.size)
    }

    @Test("a template is bounded by weight: room for both by bytes is room for the light one only")
    func selectionBoundedByWeight() throws {
        var fixture = try Fixture(policy: Self.heavyChannels)
        let heavy = fixture.settle(fixture.channels[0], maxSteps: 1 << 20, fee: Fixture.fee(2_000))
        let light = fixture.reader(seed: 4, reads: [], fee: Fixture.fee(1))
        try fixture.add(heavy)
        try fixture.add(light)
        let room = heavy.size + light.size + 100
        let selection = fixture.pool.selectTransactions(maxWeight: room, maxCount: 10)
        #expect(selection.transactions == [light])
        #expect(selection.weight <= room)
    }

    @Test("the relay cap: 2^20 declared steps in all are relayed, one more is refused before anything runs")
    func relayCap() throws {
        var fixture = try Fixture(policy: Self.heavyChannels)
        let atCap = fixture.settle(fixture.channels[0], maxSteps: 1 << 20, fee: Fixture.fee(200))
        try fixture.add(atCap)
        let over = fixture.settle(fixture.channels[1], maxSteps: (1 << 20) + 1, fee: Fixture.fee(200))
        let rejection = fixture.rejection(of: over)
        #expect(rejection == .tooManySteps(limit: 1 << 20, found: (1 << 20) + 1))
        #expect(rejection?.isSenderAtFault == false)
        // The cap is on the sum over inputs: two inputs of 2^19 + 1 steps each break it.
        let split = fixture.settleAll([fixture.channels[2], fixture.channels[3]], maxSteps: (1 << 19) + 1, fee: Fixture.fee(400))
        #expect(fixture.rejection(of: split) == .tooManySteps(limit: 1 << 20, found: (1 << 20) + 2))
        #expect(fixture.pooled == [atCap.txid])
    }

    @Test("transactions of disconnected blocks come back under consensus caps (2^24 steps), and a template of them stays within the block weight")
    func returningTransactionsAndBlockWeight() throws {
        var fixture = try Fixture(channelCount: 18, policy: Self.heavyChannels)
        let before = fixture.chain
        // Valid at heights tip + 1 and tip + 2 alike: D = tip + 7 with a window of 5.
        let deadline = fixture.nextHeight + 6
        let heavy = fixture.channels.map {
            fixture.settle($0, deadline: deadline, maxSteps: 1 << 24, fee: Amount(coins: 1)!)
        }
        #expect(fixture.rejection(of: heavy[0]) == .tooManySteps(limit: 1 << 20, found: 1 << 24))
        let first = fixture.chain.makeBlock(Array(heavy[..<9]))
        try fixture.chain.append(first)
        let second = fixture.chain.makeBlock(Array(heavy[9...]))
        try fixture.chain.append(second)

        fixture.pool.reorganised(disconnected: [first, second], connected: [], view: before.utxos, nowMs: fixture.nowMs)
        #expect(fixture.pool.tipHeight == before.tip.header.height)
        #expect(fixture.pooled == Set(heavy.map(\.txid)))

        // 18 × (2^18 + 65 536 + size) weight units is more than 4 MiB: 12 fit, 13 do not.
        let selection = fixture.pool.selectTransactions(maxWeight: .max, maxCount: .max)
        #expect(selection.weight <= 4 * 1_024 * 1_024)
        #expect(selection.transactions.count == 12)
        var chain = before
        try chain.append(chain.makeBlock(selection.transactions))
    }
}

import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// The pool's policy for spends of real channel outputs (docs/mempool.md, "Spends of channel outputs"),
/// against the attacks of docs/channel-attacks.md: 1 (re-running every channel spend on every tip),
/// 2 (pinning an answer behind a heavy spend), 4 (a stale override outbidding a newer one) and 24.
@Suite("Mempool policy for channel spends")
struct MempoolChannelPolicyTests {
    typealias Fixture = ChannelFixture
    static let third = Amount(coins: 3)!

    /// A channel fixture with a pool on top of its chain.
    struct ChannelPool {
        var channel: ChannelFixture
        var pool: MempoolState

        init(_ channel: ChannelFixture) {
            self.channel = channel
            pool = MempoolState(params: channel.builder.params, tipHeight: channel.builder.tip.header.height)
        }

        var params: ConsensusParams { channel.builder.params }
        var pooled: Set<Hash32> { Set(pool.contents.map(\.txid)) }

        @discardableResult
        mutating func add(_ transaction: Transaction) throws(MempoolRejection) -> MempoolAcceptance {
            try pool.add(transaction, view: channel.builder.utxos, nowMs: channel.builder.nowMs)
        }

        mutating func rejection(of transaction: Transaction, sourceLocation: SourceLocation = #_sourceLocation) -> MempoolRejection? {
            pool.rejection(of: transaction, view: channel.builder.utxos, nowMs: channel.builder.nowMs, sourceLocation: sourceLocation)
        }

        /// Mines a block of `transactions` and tells the pool.
        mutating func mine(_ transactions: [Transaction] = []) throws {
            let block = channel.builder.makeBlock(transactions)
            try channel.builder.append(block)
            pool.blockConnected(block, view: channel.builder.utxos, nowMs: channel.builder.nowMs)
        }

        func weight(_ transaction: Transaction) -> Int { params.weight(of: transaction, size: transaction.digests.size) }
    }

    /// A payment channel under a stale dispute (version 1, all to A), confirmed, with an empty pool.
    static func disputedPool() throws -> (Fixture, deadline: UInt64, ChannelPool) {
        var fixture = try Fixture()
        let deadline = try fixture.openDispute(fixture.state(version: 1, toA: Fixture.amount))
        return (fixture, deadline, ChannelPool(fixture))
    }

    /// Seed account `index`'s coin and key: a sponsor of its own, so spends of one channel output
    /// conflict over that output alone.
    static func sponsor(_ fixture: Fixture, _ index: UInt32) -> (OutPoint, SigningKey) {
        (fixture.builder.seedOutPoint(index), SigningKey.devnet(index: index))
    }

    /// An override with `version`, sponsored by seed account `sponsor`'s coin, or by the fixture's
    /// sponsor (key 2, which paid the dispute) when nil.
    static func override(_ fixture: Fixture, version: UInt64, deadline: UInt64, fee: Amount, sponsor: UInt32?, padding: Int = 0) -> Transaction {
        let state = fixture.state(version: version, toA: third)
        return fixture.spend(
            .override, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: deadline)], fee: fee,
            sponsor: sponsor.map { Self.sponsor(fixture, $0) }, padding: padding)
    }

    /// A transaction spending outputs `indices` of `parent` (owned by `key`) back to `key`, less `fee`,
    /// with `padding` dust outputs more.
    static func child(
        of parent: Transaction, indices: [Int], key: SigningKey, fee: Amount, padding: Int = 0, builder: ChainBuilder
    ) -> Transaction {
        let lock = Lock.pubKeyHash(key.publicKey.publicKeyHash)
        let dust = builder.params.dust
        let held = indices.map { parent.outputs[$0].amount }.checkedSum()!
        let rest = held.subtracting(fee)!.subtracting(Amount(units: dust.units * UInt128(padding)))!
        return builder.spend(
            indices.map { (OutPoint(txid: parent.txid, index: UInt32($0)), key) },
            to: Array(repeating: Output(amount: dust, lock: lock), count: padding) + [Output(amount: rest, lock: lock)])
    }

    // MARK: 1. Heights instead of re-runs

    @Test("attack 1: an override stays without being checked again and leaves exactly when the next height reaches the deadline")
    func overrideLeavesAtDeadline() throws {
        var (fixture, deadline, pool) = try Self.disputedPool()
        let override = Self.override(fixture, version: 10, deadline: deadline, fee: Fixture.fee, sponsor: 5)
        try pool.add(override)
        #expect(pool.pool.entry(override.txid)?.validHeights == ValidHeights(validFrom: 0, validBelow: deadline))
        while pool.channel.nextHeight < deadline - 1 { try pool.mine() }
        #expect(pool.pooled == [override.txid], "next height \(pool.channel.nextHeight), deadline \(deadline)")
        // Still valid in the block at deadline − 1: the pool kept a transaction a block can hold.
        #expect(pool.channel.blockRejection(of: override) == nil)
        try pool.mine()
        #expect(pool.channel.nextHeight == deadline)
        #expect(pool.pooled.isEmpty)
        // And the rule agrees: at the deadline the override is no longer valid.
        guard case .transaction(_, .covenant(.ruleBroken(_, let rule, _))) = pool.channel.blockRejection(of: override), rule == "deadline" else {
            Issue.record("the override was not refused for its deadline at the deadline")
            return
        }
    }

    @Test("attack 11: an override mined at the last height comes back from a reorganisation to that height and is dropped")
    func overrideReturningPastItsDeadline() throws {
        var (fixture, deadline, pool) = try Self.disputedPool()
        try fixture.advance(toNextHeight: deadline - 1)
        pool = ChannelPool(fixture)
        let override = Self.override(fixture, version: 10, deadline: deadline, fee: Fixture.fee, sponsor: 5)
        try pool.add(override)
        var branch = fixture.builder
        try pool.mine([override])
        #expect(pool.pooled.isEmpty)
        // Another block at the same height (deadline − 1) wins: the override's next chance is the deadline.
        let rival = branch.makeBlock([], timestamp: branch.tip.header.timestamp + 2 * branch.params.blockTimeMs)
        try branch.append(rival)
        let disconnected = pool.channel.builder.tip
        pool.pool.reorganised(disconnected: [disconnected], connected: [rival], view: branch.utxos, nowMs: branch.nowMs)
        #expect(pool.pool.tipHeight == deadline - 1)
        #expect(pool.pooled.isEmpty)
        #expect(MempoolInvariantTests.problems(in: pool.pool).isEmpty)
    }

    @Test("attack 1: a settle waits for its deadline and a dispute keeps the heights of its chosen deadline")
    func settleAndDisputeHeights() throws {
        var fixture = try Fixture()
        let state = fixture.state(version: 1, toA: Self.third)
        let window = UInt64(Fixture.window)
        let chosen = fixture.nextHeight + 2 * window
        let dispute = fixture.spend(.dispute, witness: fixture.coSigned(state), outputs: [fixture.dispute(state, deadline: chosen)])
        var pool = ChannelPool(fixture)
        try pool.add(dispute)
        // D′ − 2W ≤ h ≤ D′ − W.
        #expect(pool.pool.entry(dispute.txid)?.validHeights == ValidHeights(validFrom: chosen - 2 * window, validBelow: chosen - window + 1))
        while pool.channel.nextHeight < chosen - window { try pool.mine() }
        #expect(pool.pooled == [dispute.txid])
        try pool.mine()
        #expect(pool.pooled.isEmpty)

        let deadline = try fixture.openDispute(state)
        let settle = fixture.spend(.settle, witness: Witness(items: [state.encoded]), outputs: state.balances)
        try fixture.advance(toNextHeight: deadline)
        pool = ChannelPool(fixture)
        try pool.add(settle)
        #expect(pool.pool.entry(settle.txid)?.validHeights == ValidHeights(validFrom: deadline))
        try pool.mine()
        try pool.mine()
        #expect(pool.pooled == [settle.txid])
    }

    // MARK: 2. Pinning

    @Test("attack 2: a heavy, low-rate override of a confirmed dispute cannot pin the honest answer")
    func heavyOverrideRefused() throws {
        var (fixture, deadline, pool) = try Self.disputedPool()
        let heavy = Self.override(fixture, version: 5, deadline: deadline, fee: Fixture.fee, sponsor: nil, padding: 240)
        let weight = pool.weight(heavy)
        #expect(weight > 10_000)
        #expect(pool.rejection(of: heavy) == .channelSpendTooHeavy(weight: weight, limit: 10_000))
        let light = Self.override(fixture, version: 5, deadline: deadline, fee: Fixture.fee, sponsor: nil, padding: 180)
        #expect(pool.weight(light) <= 10_000)
        try pool.add(light)
    }

    @Test("attack 2: a channel spend has one light child; a heavier child or a grandchild is refused, a better-paying sibling replaces it")
    func oneLightChild() throws {
        var (fixture, deadline, pool) = try Self.disputedPool()
        let mallory = Self.override(fixture, version: 5, deadline: deadline, fee: Fixture.fee, sponsor: nil, padding: 150)
        try pool.add(mallory)
        let change = mallory.outputs.count - 1
        let key = SigningKey.devnet(index: 2)
        let builder = fixture.builder
        let heavyChild = Self.child(of: mallory, indices: [change], key: key, fee: Fixture.fee, padding: 220, builder: builder)
        let heavyWeight = pool.weight(heavyChild)
        #expect(heavyWeight > 10_000)
        #expect(pool.rejection(of: heavyChild) == .layer2SpendChildTooHeavy(spend: mallory.txid, weight: heavyWeight, limit: 10_000))
        // The child takes two of the override's dust outputs; a sibling spends its change.
        let childFee = Amount(units: 100_000_000_000_000)
        let child = Self.child(of: mallory, indices: [1, 2], key: key, fee: childFee, builder: builder)
        try pool.add(child)
        let grandchild = Self.child(of: child, indices: [0], key: key, fee: childFee, builder: builder)
        #expect(pool.rejection(of: grandchild) == .layer2SpendHasChild(spend: mallory.txid))
        // A sibling must pay for the child it evicts.
        let cheapSibling = Self.child(of: mallory, indices: [change], key: key, fee: Amount(units: childFee.units / 2), builder: builder)
        guard case .replacementFeeTooLow = pool.rejection(of: cheapSibling) else {
            Issue.record("a sibling paying less than the child was taken")
            return
        }
        let siblingFee = Amount(units: childFee.units * 10)
        let sibling = Self.child(of: mallory, indices: [change], key: key, fee: siblingFee, builder: builder)
        #expect(try pool.add(sibling) == .accepted(txid: sibling.txid, fee: siblingFee, evicted: [child.txid], adoptedOrphans: []))
        #expect(pool.pooled == [mallory.txid, sibling.txid])
        #expect(MempoolInvariantTests.problems(in: pool.pool).isEmpty)
    }

    @Test("attack 2: the honest override replaces a pinning override and its child for exactly their fees plus its own minimum")
    func honestOverrideOutbidsBoundedPin() throws {
        var (fixture, deadline, pool) = try Self.disputedPool()
        // Mallory's stale override near the weight limit at the floor rate, with one child.
        let floor = Amount(units: 10_000_000_000 * 10_000)
        let mallory = Self.override(fixture, version: 5, deadline: deadline, fee: floor, sponsor: nil, padding: 180)
        try pool.add(mallory)
        let probeChild = Self.child(of: mallory, indices: [mallory.outputs.count - 1], key: .devnet(index: 2), fee: floor, builder: fixture.builder)
        let childFloor = Amount(units: 10_000_000_000 * UInt128(pool.weight(probeChild)))
        let child = Self.child(of: mallory, indices: [mallory.outputs.count - 1], key: .devnet(index: 2), fee: childFloor, builder: fixture.builder)
        #expect(pool.weight(child) == pool.weight(probeChild))
        try pool.add(child)
        let probe = Self.override(fixture, version: 10, deadline: deadline, fee: Fixture.fee, sponsor: 5)
        let weight = pool.weight(probe)
        let required = Amount(units: pool.pool.entry(mallory.txid)!.fee.units + pool.pool.entry(child.txid)!.fee.units + 10_000_000_000 * UInt128(weight))
        let short = Self.override(fixture, version: 10, deadline: deadline, fee: Amount(units: required.units - 1), sponsor: 5)
        #expect(pool.weight(short) == weight)
        #expect(pool.rejection(of: short) == .replacementFeeTooLow(required: required, found: Amount(units: required.units - 1)))
        let exact = Self.override(fixture, version: 10, deadline: deadline, fee: required, sponsor: 5)
        try pool.add(exact)
        #expect(pool.pooled == [exact.txid])
    }

    @Test("attack 2: an answer to an unconfirmed dispute evicts the dispute's other child when it pays more")
    func answerEvictsDisputeChild() throws {
        var fixture = try Fixture()
        let stale = fixture.state(version: 1, toA: Fixture.amount)
        let chosen = fixture.nextHeight + UInt64(Fixture.window)
        let dispute = fixture.spend(.dispute, witness: fixture.coSigned(stale), outputs: [fixture.dispute(stale, deadline: chosen)])
        var pool = ChannelPool(fixture)
        try pool.add(dispute)
        let child = Self.child(of: dispute, indices: [dispute.outputs.count - 1], key: .devnet(index: 2), fee: Fixture.fee, builder: fixture.builder)
        try pool.add(child)
        fixture.channel = OutPoint(txid: dispute.txid, index: 0)
        let answerFee = Amount(units: Fixture.fee.units * 10)
        let answer = Self.override(fixture, version: 10, deadline: chosen, fee: answerFee, sponsor: 5)
        #expect(try pool.add(answer) == .accepted(txid: answer.txid, fee: answerFee, evicted: [child.txid], adoptedOrphans: []))
        #expect(pool.pooled == [dispute.txid, answer.txid])
    }

    @Test("attack 2: a force-move of a confirmed dispute may weigh its run and its app beyond 10 000, and no more")
    func forceMoveAllowance() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 4, toA: Self.third)
        try fixture.openDispute(old)
        let new = fixture.state(version: 5, toA: Fixture.amount)
        let fresh = fixture.nextHeight + UInt64(Fixture.window)
        func move(padding: Int) -> Transaction {
            fixture.spend(
                .forceMove, witness: Witness(items: [old.encoded, new.encoded, fixture.signature(Fixture.keyA, of: new)]),
                outputs: [fixture.dispute(new, deadline: fresh, forced: true)], maxSteps: 1_000, blobs: [Fixture.acceptAll],
                padding: padding)
        }
        // ⌈1 000 / 64⌉ + the run weight + the app with its length prefix.
        let limit = 10_000 + 16 + 65_536 + Fixture.acceptAll.count + (Fixture.acceptAll.count < 128 ? 1 : 2)
        var pool = ChannelPool(fixture)
        let heavy = move(padding: 220)
        #expect(pool.weight(heavy) > limit)
        #expect(pool.rejection(of: heavy) == .channelSpendTooHeavy(weight: pool.weight(heavy), limit: limit))
        let light = move(padding: 180)
        #expect(pool.weight(light) > 10_000 + 65_536)
        try pool.add(light)
    }

    @Test("attack 24: a force-move cannot chain to an unconfirmed dispute in the pool, and can once it confirms")
    func forceMoveOnUnconfirmedDispute() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let old = fixture.state(version: 4, toA: Self.third)
        let chosen = fixture.nextHeight + UInt64(Fixture.window)
        let dispute = fixture.spend(.dispute, witness: fixture.coSigned(old), outputs: [fixture.dispute(old, deadline: chosen)])
        var pool = ChannelPool(fixture)
        try pool.add(dispute)
        fixture.channel = OutPoint(txid: dispute.txid, index: 0)
        let new = fixture.state(version: 5, toA: Fixture.amount)
        let move = fixture.spend(
            .forceMove, witness: Witness(items: [old.encoded, new.encoded, fixture.signature(Fixture.keyA, of: new)]),
            outputs: [fixture.dispute(new, deadline: fixture.nextHeight + UInt64(Fixture.window), forced: true)], maxSteps: 16,
            blobs: [Fixture.acceptAll], sponsor: Self.sponsor(fixture, 5))
        #expect(pool.rejection(of: move) == .channelSpendTooHeavy(weight: pool.weight(move), limit: 10_000))
        try pool.mine([dispute])
        // One block later the same deadline is still a chosen one (h + W ≤ D′ ≤ h + 2W).
        let later = fixture.spend(
            .forceMove, witness: Witness(items: [old.encoded, new.encoded, fixture.signature(Fixture.keyA, of: new)]),
            outputs: [fixture.dispute(new, deadline: pool.channel.nextHeight + UInt64(Fixture.window), forced: true)], maxSteps: 16,
            blobs: [Fixture.acceptAll], sponsor: Self.sponsor(fixture, 5))
        try pool.add(later)
    }

    // MARK: 4. Rank

    @Test("attack 4: a stale override cannot outbid a newer one; an equal one, a close, but not a force-move may replace it")
    func replacementRank() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let first = fixture.state(version: 1, toA: Fixture.amount)
        let deadline = try fixture.openDispute(first)
        var pool = ChannelPool(fixture)
        let fee = Fixture.fee
        let honest = Self.override(fixture, version: 10, deadline: deadline, fee: fee, sponsor: 5)
        try pool.add(honest)
        let stale = Self.override(fixture, version: 5, deadline: deadline, fee: Amount(units: fee.units * 10), sponsor: nil)
        guard case .staleChannelReplacement(let replacing, let outpoint, _, _) = pool.rejection(of: stale) else {
            Issue.record("a stale override outbid a newer one")
            return
        }
        #expect(replacing == honest.txid && outpoint == fixture.channel)
        // The same version with another sponsor competes by fee, so nobody pins by posting v10 at the floor.
        let equal = Self.override(fixture, version: 10, deadline: deadline, fee: Amount(units: fee.units * 2), sponsor: 6)
        try pool.add(equal)
        #expect(pool.pooled == [equal.txid])
        let final = fixture.state(version: 10, toA: Self.third, isFinal: true)
        let conclude = fixture.spend(
            .conclude, witness: fixture.coSigned(final), outputs: final.balances, fee: Amount(units: fee.units * 3),
            sponsor: Self.sponsor(fixture, 7))
        try pool.add(conclude)
        #expect(pool.pooled == [conclude.txid])
        let next = fixture.state(version: 2, toA: Fixture.amount)
        let forceMove = fixture.spend(
            .forceMove, witness: Witness(items: [first.encoded, next.encoded, fixture.signature(Fixture.keyB, of: next)]),
            outputs: [fixture.dispute(next, deadline: fixture.nextHeight + UInt64(Fixture.window), forced: true)], maxSteps: 16,
            blobs: [Fixture.acceptAll], fee: Amount(units: fee.units * 1_000), sponsor: Self.sponsor(fixture, 0))
        // Valid on its own: only its rank keeps it out.
        #expect(pool.channel.blockRejection(of: forceMove) == nil)
        guard case .staleChannelReplacement(let closed, _, _, _) = pool.rejection(of: forceMove) else {
            Issue.record("a force-move replaced a conclude")
            return
        }
        #expect(closed == conclude.txid)
    }

    @Test("attack 4: a co-signed state replaces a forced move of its version, and that forced move cannot come back over it")
    func forcedAgainstCoSigned() throws {
        var fixture = try Fixture(app: Fixture.acceptAll)
        let first = fixture.state(version: 1, toA: Fixture.amount)
        try fixture.openDispute(first)
        var pool = ChannelPool(fixture)
        let moved = fixture.state(version: 2, toA: Self.third)
        let fresh = fixture.nextHeight + UInt64(Fixture.window)
        let forceMove = fixture.spend(
            .forceMove, witness: Witness(items: [first.encoded, moved.encoded, fixture.signature(Fixture.keyB, of: moved)]),
            outputs: [fixture.dispute(moved, deadline: fresh, forced: true)], maxSteps: 16, blobs: [Fixture.acceptAll],
            fee: Amount(units: Fixture.fee.units * 200), sponsor: Self.sponsor(fixture, 5))
        try pool.add(forceMove)
        let agreed = fixture.state(version: 2, toA: Fixture.amount)
        let deadlineOfX: UInt64 = {
            guard case .channelDispute(let lock) = fixture.builder.utxos.unspentOutput(at: fixture.channel)!.output.lock else { return 0 }
            return lock.deadline
        }()
        let coSigned = fixture.spend(
            .override, witness: fixture.coSigned(agreed), outputs: [fixture.dispute(agreed, deadline: deadlineOfX)],
            fee: Amount(units: Fixture.fee.units * 300), sponsor: Self.sponsor(fixture, 6))
        try pool.add(coSigned)
        #expect(pool.pooled == [coSigned.txid])
        let again = fixture.spend(
            .forceMove, witness: Witness(items: [first.encoded, moved.encoded, fixture.signature(Fixture.keyB, of: moved)]),
            outputs: [fixture.dispute(moved, deadline: fresh, forced: true)], maxSteps: 16, blobs: [Fixture.acceptAll],
            fee: Amount(units: Fixture.fee.units * 1_000), sponsor: Self.sponsor(fixture, 7))
        guard case .staleChannelReplacement = pool.rejection(of: again) else {
            Issue.record("a forced move replaced the co-signed state of its version")
            return
        }
    }
}

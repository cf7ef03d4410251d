import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// Reads (DESIGN.md section 15): a read exists unspent at its point in the block, is of a readable tag,
/// is neither duplicated nor spent by the same transaction, and never consumes. Also chosen deadlines
/// and declared VM steps, on the test-only rules of `TestCovenants`.
@Suite("Reads, deadlines and declared steps")
struct ReadAndStepRuleTests {
    typealias Framework = CovenantFrameworkTests
    static let bondKey = SigningKey.devnet(index: 4)
    static let bondLock = Lock.plasmaBond(PlasmaBondLock(chainId: Framework.chainId, exitWindow: 10, state: .open))

    /// The framework's set-up plus a plasmaBond of 2 coins, readable.
    static func setupWithBond() throws -> (Framework.Setup, bond: OutPoint) {
        var setup = try Framework.setup()
        let funding = setup.builder.payment(
            from: setup.builder.seedOutPoint(4), key: bondKey, amount: Amount(coins: 2)!, fee: Framework.fee, to: bondLock)
        try setup.builder.append(setup.builder.makeBlock([funding]))
        return (setup, OutPoint(txid: funding.txid, index: 0))
    }

    /// A transaction reading `reads`; it creates a bond of dust, whose test creation rule uses every read
    /// (a read no rule uses is invalid).
    static func reading(_ reads: [OutPoint], setup: Framework.Setup, spending extra: [(OutPoint, Unlock, Witness)] = [], extraIn: Amount = .zero)
        -> Transaction
    {
        let user = Output(amount: setup.builder.params.dust, lock: bondLock)
        return setup.builder.covenantTransaction(
            covenant: extra, plain: [(setup.sponsorCoin, Framework.sponsor)], reads: reads,
            outputs: [user, setup.change(extraIn: extraIn, outputs: [user])])
    }

    func reading(_ reads: [OutPoint], setup: Framework.Setup, spending extra: [(OutPoint, Unlock, Witness)] = [], extraIn: Amount = .zero)
        -> Transaction
    {
        Self.reading(reads, setup: setup, spending: extra, extraIn: extraIn)
    }

    @Test("a read that no rule of the transaction uses is refused: reads are no free data and no free pin on an output")
    func unusedRead() throws {
        let (setup, bond) = try Self.setupWithBond()
        let plain = setup.builder.covenantTransaction(
            covenant: [], plain: [(setup.sponsorCoin, Framework.sponsor)], reads: [bond], outputs: [setup.change(outputs: [])])
        expectRejection([plain], on: setup, .transaction(index: 1, .covenant(.unusedRead(index: 0))))
    }

    func expectRejection(
        _ transactions: [Transaction], on setup: Framework.Setup, _ expected: BlockRejection,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: expected, sourceLocation: sourceLocation) { try setup.builder.validate(setup.builder.makeBlock(transactions)) }
    }

    static let close = Unlock.plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.close.rawValue, firstOutput: 0))

    @Test("a read of an unspent readable output is valid and consumes nothing")
    func validRead() throws {
        var (setup, bond) = try Self.setupWithBond()
        let transaction = reading([bond], setup: setup)
        let effects = try setup.builder.append(setup.builder.makeBlock([transaction]))
        #expect(!effects.spent.contains { $0.0 == bond })
        #expect(setup.builder.utxos.unspentOutput(at: bond) != nil)
    }

    @Test("a read that does not exist is refused")
    func missingRead() throws {
        let (setup, bond) = try Self.setupWithBond()
        let nowhere = OutPoint(txid: bond.txid, index: 7)
        expectRejection([reading([nowhere], setup: setup)], on: setup, .transaction(index: 1, .covenant(.missingRead(nowhere))))
    }

    @Test("a read of an output spent earlier in the same block is refused")
    func readSpentEarlierInBlock() throws {
        let (setup, bond) = try Self.setupWithBond()
        let spender = setup.builder.covenantTransaction(
            covenant: [(bond, Self.close, Framework.empty)], plain: [(setup.builder.seedOutPoint(5), .devnet(index: 5))],
            outputs: [Output(amount: Amount(coins: 999_999)!, lock: .pubKeyHash(SigningKey.devnet(index: 5).publicKey.publicKeyHash))])
        expectRejection([spender, reading([bond], setup: setup)], on: setup, .transaction(index: 2, .covenant(.missingRead(bond))))
        // In the other order the read comes first and is valid.
        var builder = setup.builder
        try builder.append(builder.makeBlock([reading([bond], setup: setup), spender]))
    }

    @Test("a read of an output created earlier in the same block is valid")
    func readCreatedEarlierInBlock() throws {
        var setup = try Framework.setup()
        let funding = setup.builder.payment(
            from: setup.builder.seedOutPoint(4), key: Self.bondKey, amount: Amount(coins: 2)!, fee: Framework.fee, to: Self.bondLock)
        let bond = OutPoint(txid: funding.txid, index: 0)
        try setup.builder.append(setup.builder.makeBlock([funding, reading([bond], setup: setup)]))
    }

    @Test("the same output read twice is refused")
    func duplicateRead() throws {
        let (setup, bond) = try Self.setupWithBond()
        expectRejection([reading([bond, bond], setup: setup)], on: setup, .transaction(index: 1, .covenant(.duplicateRead(bond))))
    }

    @Test("an output both read and spent by one transaction is refused")
    func readAlsoSpent() throws {
        let (setup, bond) = try Self.setupWithBond()
        let transaction = reading([bond], setup: setup, spending: [(bond, Self.close, Framework.empty)], extraIn: Amount(coins: 2)!)
        expectRejection([transaction], on: setup, .transaction(index: 1, .covenant(.readAlsoSpent(bond))))
    }

    @Test("only readable tags may be read: not a pubKeyHash output, not an escrow")
    func readNotReadable() throws {
        let (setup, _) = try Self.setupWithBond()
        let plain = setup.builder.seedOutPoint(6)
        expectRejection([reading([plain], setup: setup)], on: setup, .transaction(index: 1, .covenant(.readNotReadable(plain, lockTag: 0))))
        expectRejection(
            [reading([setup.escrow], setup: setup)], on: setup, .transaction(index: 1, .covenant(.readNotReadable(setup.escrow, lockTag: 3))))
    }

    // MARK: Chosen deadlines

    static let channelLock = Lock.channel(ChannelParams(
        keyA: RawPublicKey(SigningKey.devnet(index: 1).publicKey.bytes)!, keyB: RawPublicKey(SigningKey.devnet(index: 3).publicKey.bytes)!,
        window: 5, app: .zero))

    static func withChannel() throws -> (Framework.Setup, channel: OutPoint) {
        var setup = try Framework.setup()
        let funding = setup.builder.payment(
            from: setup.builder.seedOutPoint(3), key: .devnet(index: 3), amount: Amount(coins: 3)!, fee: Framework.fee, to: channelLock)
        try setup.builder.append(setup.builder.makeBlock([funding]))
        return (setup, OutPoint(txid: funding.txid, index: 0))
    }

    func settle(_ channel: OutPoint, deadline: UInt64, setup: Framework.Setup, maxSteps: UInt32 = 0) -> Transaction {
        let unlock = Unlock.channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.settle.rawValue, firstOutput: 0, maxSteps: maxSteps))
        let item = (0..<8).map { UInt8(truncatingIfNeeded: deadline >> (56 - 8 * $0)) }
        return reading(
            [], setup: setup, spending: [(channel, unlock, Witness(items: [item]))], extraIn: Amount(coins: 3)!)
    }

    @Test("a chosen deadline lies within h + W … h + 2W", arguments: [(-1, false), (0, true), (5, true), (6, false)])
    func chosenDeadline(offset: Int, valid: Bool) throws {
        let (setup, channel) = try Self.withChannel()
        let height = setup.builder.tip.header.height + 1
        let deadline = UInt64(Int(height) + 5 + offset)
        let block = setup.builder.makeBlock([settle(channel, deadline: deadline, setup: setup)])
        if valid {
            _ = try setup.builder.validate(block)
        } else {
            #expect(throws: BlockRejection.transaction(
                index: 1, .covenant(.deadlineOutOfRange(deadline: deadline, earliest: height + 5, latest: height + 10)))) {
                try setup.builder.validate(block)
            }
        }
    }

    @Test("a channel's window must lie within the network's bounds", arguments: [(UInt32(1), false), (2, true), (100_000, true), (100_001, false)])
    func windowBounds(window: UInt32, valid: Bool) throws {
        let setup = try Framework.setup()
        let lock = Lock.channel(ChannelParams(keyA: RawPublicKey(Framework.sponsor.publicKey.bytes)!, keyB: RawPublicKey(Framework.sponsor.publicKey.bytes)!, window: window, app: .zero))
        let funding = setup.builder.payment(from: setup.sponsorCoin, key: Framework.sponsor, amount: Framework.coin, fee: Framework.fee, to: lock)
        let block = setup.builder.makeBlock([funding])
        if valid {
            _ = try setup.builder.validate(block)
        } else {
            #expect(throws: BlockRejection.transaction(index: 1, .covenant(.windowOutOfBounds(found: UInt64(window), minimum: 2, maximum: 100_000)))) {
                try setup.builder.validate(block)
            }
        }
    }

    // MARK: Declared steps and weight

    @Test("declared steps above 2^24 are refused before anything runs")
    func maxStepsLimit() throws {
        let (setup, channel) = try Self.withChannel()
        let deadline = setup.builder.tip.header.height + 1 + 5
        let transaction = settle(channel, deadline: deadline, setup: setup, maxSteps: (1 << 24) + 1)
        expectRejection(
            [transaction], on: setup,
            .transaction(index: 1, .covenant(.maxStepsAboveLimit(input: 0, limit: 1 << 24, found: (1 << 24) + 1))))
    }

    @Test("declared steps are paid for: the minimum fee is minFeeRate × (size + ⌈maxSteps / 64⌉)")
    func feeAtMaxSteps() throws {
        let (setup, channel) = try Self.withChannel()
        let deadline = setup.builder.tip.header.height + 1 + 5
        let transaction = settle(channel, deadline: deadline, setup: setup, maxSteps: 1 << 24)
        let size = transaction.size
        // 2^24 steps are 2^18 weight units, plus 65 536 for the run's pages; the fee paid (100 000 weight
        // units at the minimum rate) does not cover them.
        let required = Amount(units: 10_000_000_000 * UInt128(size + 262_144 + 65_536))
        #expect(setup.builder.params.weight(of: transaction, size: size) == size + 262_144 + 65_536)
        expectRejection([transaction], on: setup, .transaction(index: 1, .feeBelowMinimum(required: required, found: Framework.fee)))
        let cheap = settle(channel, deadline: deadline, setup: setup, maxSteps: 63)
        #expect(setup.builder.params.weight(of: cheap, size: cheap.size) == cheap.size + 1 + 65_536)
        let none = settle(channel, deadline: deadline, setup: setup, maxSteps: 0)
        #expect(setup.builder.params.weight(of: none, size: none.size) == none.size)
    }

    @Test("a block's weight counts declared steps: 17 transactions of 2^24 steps are too heavy")
    func blockWeight() throws {
        let (setup, channel) = try Self.withChannel()
        let deadline = setup.builder.tip.header.height + 1 + 5
        let heavy = (0..<17).map { index in
            var transaction = settle(channel, deadline: deadline + UInt64(index % 6), setup: setup, maxSteps: 1 << 24)
            transaction.outputs[0].data = [UInt8(index)]
            return transaction
        }
        let block = setup.builder.makeBlock(heavy)
        do {
            _ = try setup.builder.validate(block)
            Issue.record("a block of 17 transactions of 2^24 steps was accepted")
        } catch {
            guard case .tooHeavy(let limit, let found) = error else {
                Issue.record("expected tooHeavy, got \(error)")
                return
            }
            #expect(limit == 4 * 1024 * 1024)
            #expect(found > limit)
        }
    }
}

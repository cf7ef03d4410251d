import EmberConsensus
import EmberCore
import EmberCrypto
import EmberVM

/// A devnet chain (window minimum 2) with one funded channel between devnet keys 3 (A) and 4 (B), and a
/// sponsor (key 2) whose coin pays each spend's fee: the set-up every channel rule test starts from, in
/// EmberConsensusTests (blocks) and EmberChainTests (the mempool).
public struct ChannelFixture {
    public static let keyA = SigningKey.devnet(index: 3)
    public static let keyB = SigningKey.devnet(index: 4)
    public static let sponsor = SigningKey.devnet(index: 2)
    public static let fee = Amount(units: 10_000_000_000_000_000)
    public static let amount = Amount(coins: 10)!
    public static let window: UInt32 = 4

    /// Halts with 0 whatever its input: an app that allows every move.
    public static let acceptAll = try! Assembler.assemble("""
        _start:
          li a0, 0
          li a7, 93
          ecall
        """).elf()
    /// Halts with 1: an app that refuses every move.
    public static let refuseAll = try! Assembler.assemble("""
        _start:
          li a0, 1
          li a7, 93
          ecall
        """).elf()

    public var builder: ChainBuilder
    public let params: ChannelParams
    /// The channel's current output (tag 1, then tag 2 after a dispute).
    public var channel: OutPoint
    public var channelId: Hash32
    public var sponsorCoin: OutPoint

    public static var rawA: RawPublicKey { RawPublicKey(keyA.publicKey.bytes)! }
    public static var rawB: RawPublicKey { RawPublicKey(keyB.publicKey.bytes)! }

    public init(app: [UInt8]? = nil, window: UInt32 = ChannelFixture.window) throws {
        builder = ChainBuilder()
        try builder.extend(by: 1)
        params = ChannelParams(keyA: Self.rawA, keyB: Self.rawB, window: window, app: app.map { Blake3.hash($0) } ?? .zero)
        let funding = builder.payment(from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Self.amount, fee: Self.fee, to: .channel(params))
        try builder.append(builder.makeBlock([funding]))
        channel = OutPoint(txid: funding.txid, index: 0)
        channelId = params.channelId(network: builder.params.networkID, funding: channel)
        sponsorCoin = builder.seedOutPoint(2)
    }

    /// The height the next block will have.
    public var nextHeight: UInt64 { builder.tip.header.height + 1 }

    /// A state of this channel splitting its amount as `toA` for A and the rest for B.
    public func state(version: UInt64, toA: Amount, isFinal: Bool = false, appData: [UInt8] = []) -> ChannelState {
        var balances = [Output]()
        if toA > .zero { balances.append(Output(amount: toA, lock: .pubKeyHash(Self.keyA.publicKey.publicKeyHash))) }
        let toB = Self.amount.subtracting(toA)!
        if toB > .zero { balances.append(Output(amount: toB, lock: .pubKeyHash(Self.keyB.publicKey.publicKeyHash))) }
        return ChannelState(channelId: channelId, version: version, isFinal: isFinal, balances: balances, appData: appData)
    }

    public func signature(_ key: SigningKey, of state: ChannelState, network: NetworkID? = nil) -> [UInt8] {
        try! key.sign(domain: .channelState, network: network ?? builder.params.networkID, message: state.hash(network: network ?? builder.params.networkID).bytes).bytes
    }

    /// `[state, sigA, sigB]`.
    public func coSigned(_ state: ChannelState) -> Witness {
        Witness(items: [state.encoded, signature(Self.keyA, of: state), signature(Self.keyB, of: state)])
    }

    public func dispute(_ state: ChannelState, deadline: UInt64, forced: Bool = false) -> Output {
        Output(amount: Self.amount, lock: .channelDispute(ChannelDisputeLock(
            channelId: channelId, params: params, version: state.version, stateHash: state.hash(network: builder.params.networkID),
            deadline: deadline, forced: forced)))
    }

    /// A spend of the channel output in `mode`, with `outputs` first and the sponsor's change last: the
    /// sponsor's coin (by default the fixture's) less `fee`, and `padding` more dust outputs to the
    /// sponsor to make the transaction heavier.
    public func spend(
        _ mode: CovenantUnlock.ChannelMode, witness: Witness, outputs: [Output], firstOutput: UInt64 = 0, maxSteps: UInt32 = 0,
        blobs: [[UInt8]] = [], fee: Amount = ChannelFixture.fee, sponsor: (OutPoint, SigningKey)? = nil, padding: Int = 0
    ) -> Transaction {
        let unlock = Unlock.channel(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput, maxSteps: maxSteps))
        let (coin, key) = sponsor ?? (sponsorCoin, Self.sponsor)
        let dust = builder.params.dust
        let held = builder.utxos.unspentOutput(at: coin)!.output.amount
        let pads = Array(repeating: Output(amount: dust, lock: .pubKeyHash(key.publicKey.publicKeyHash)), count: padding)
        let rest = held.subtracting(fee)!.subtracting(Amount(units: dust.units * UInt128(padding)))!
        let change = Output(amount: rest, lock: .pubKeyHash(key.publicKey.publicKeyHash))
        return builder.covenantTransaction(covenant: [(channel, unlock, witness)], plain: [(coin, key)], outputs: outputs + pads + [change], blobs: blobs)
    }

    /// The sponsor's coin less the fee.
    public var change: Output {
        let held = builder.utxos.unspentOutput(at: sponsorCoin)!.output.amount
        return Output(amount: held.subtracting(Self.fee)!, lock: .pubKeyHash(Self.sponsor.publicKey.publicKeyHash))
    }

    /// Mines `transaction` and moves the channel to its output `channelOutput` (nil when it closed).
    public mutating func confirm(_ transaction: Transaction, channelOutput: UInt32?) throws {
        try builder.append(builder.makeBlock([transaction]))
        if let channelOutput { channel = OutPoint(txid: transaction.txid, index: channelOutput) }
        sponsorCoin = OutPoint(txid: transaction.txid, index: UInt32(transaction.outputs.count - 1))
    }

    /// Extends the chain until the next block has height `height`.
    public mutating func advance(toNextHeight height: UInt64) throws {
        while nextHeight < height { try builder.append(builder.makeBlock()) }
    }

    /// An app channel disputed at version 4 (confirmed), the next state (A's move to version 5, all to A)
    /// and the earliest fresh deadline for a move in the next block.
    public static func disputedGame(
        app: [UInt8] = ChannelFixture.acceptAll
    ) throws -> (fixture: ChannelFixture, old: ChannelState, new: ChannelState, fresh: UInt64) {
        var fixture = try ChannelFixture(app: app)
        let old = fixture.state(version: 4, toA: Amount(coins: 3)!)
        try fixture.openDispute(old)
        return (fixture, old, fixture.state(version: 5, toA: amount), fixture.nextHeight + UInt64(window))
    }

    /// What the next block makes of `transaction`: nil when a block holding it is valid.
    public func blockRejection(of transaction: Transaction) -> BlockRejection? {
        do {
            _ = try builder.validate(builder.makeBlock([transaction]))
            return nil
        } catch {
            return error
        }
    }

    /// Disputes with `state` (deadline = next height + window) and confirms it; returns the deadline.
    @discardableResult
    public mutating func openDispute(_ state: ChannelState) throws -> UInt64 {
        let deadline = nextHeight + UInt64(params.window)
        try confirm(spend(.dispute, witness: coSigned(state), outputs: [dispute(state, deadline: deadline)]), channelOutput: 0)
        return deadline
    }
}

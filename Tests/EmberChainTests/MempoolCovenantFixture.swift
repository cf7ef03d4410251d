import EmberChain
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

/// A chain on the test-only covenant rules (`TestCovenants`) with confirmed covenant outputs to spend
/// and read, an empty mempool on top, and builders for the spends the mempool's §15 rules are about.
///
/// Confirmed by the funding block: `channelCount` channels of 3 coins (window 5, settled with a chosen
/// deadline or force-moved by a program), an escrow of 10 coins (tag 3, exited by burning half), and
/// a readable bond of 2 coins (tag 10, closed at will).
struct MempoolCovenantFixture {
    var chain: ChainBuilder
    var pool: MempoolState
    let channels: [OutPoint]
    let escrow: OutPoint
    let bond: OutPoint

    static let window: UInt32 = 5
    static let channelAmount = Amount(coins: 3)!
    static let keyA = SigningKey.devnet(index: 1), keyB = SigningKey.devnet(index: 3)
    static let sponsor = SigningKey.devnet(index: 2)
    static let recipient = Lock.pubKeyHash(SigningKey.devnet(index: 7).publicKey.publicKeyHash)
    static let chainId = Hash32(Array(repeating: 0xc1, count: 32))!
    static let channelLock = Lock.channel(ChannelParams(
        keyA: RawPublicKey(keyA.publicKey.bytes)!, keyB: RawPublicKey(keyB.publicKey.bytes)!, window: window, app: .zero))
    static let escrowLock = Lock.plasmaOperator(PlasmaOperatorLock(
        chainId: chainId, operatorKey: RawPublicKey(SigningKey.devnet(index: 5).publicKey.bytes)!, nextNumber: 1))
    static let bondLock = Lock.plasmaBond(PlasmaBondLock(chainId: chainId, exitWindow: 10, state: .open))
    /// One unit of `minFeeRate` (10^10 units) per weight unit of this many: every test spend weighs less
    /// before its declared steps.
    static func fee(_ multiple: UInt128) -> Amount { Amount(units: 10_000_000_000 * 1_000 * multiple) }
    /// The minimum fee of `weight` under the devnet's `minFeeRate` of 10^10 units per weight unit.
    static func minimumFee(weight: Int) -> Amount { Amount(units: 10_000_000_000 * UInt128(weight)) }

    init(channelCount: Int = 4, policy: MempoolPolicy = MempoolPolicy(), params: ConsensusParams = TestCovenants.params()) throws {
        chain = ChainBuilder(params: params)
        try chain.extend(by: 1)
        let outputs = Array(repeating: Output(amount: Self.channelAmount, lock: Self.channelLock), count: channelCount)
            + [Output(amount: Amount(coins: 10)!, lock: Self.escrowLock), Output(amount: Amount(coins: 2)!, lock: Self.bondLock)]
        let seed = chain.seedOutPoint(1)
        let held = chain.utxos.unspentOutput(at: seed)!.output.amount
        let change = held.subtracting(outputs.map(\.amount).checkedSum()!)!.subtracting(Self.fee(10))!
        let funding = chain.spend([(seed, Self.keyA)], to: outputs + [Output(amount: change, lock: .pubKeyHash(Self.keyA.publicKey.publicKeyHash))])
        try chain.append(chain.makeBlock([funding]))
        channels = (0..<channelCount).map { OutPoint(txid: funding.txid, index: UInt32($0)) }
        escrow = OutPoint(txid: funding.txid, index: UInt32(channelCount))
        bond = OutPoint(txid: funding.txid, index: UInt32(channelCount + 1))
        pool = MempoolState(params: chain.params, policy: policy, tipHeight: chain.tip.header.height)
    }

    var nowMs: UInt64 { chain.nowMs }
    /// h: the height the pool checks against, the next block's.
    var nextHeight: UInt64 { chain.tip.header.height + 1 }

    // MARK: Spends

    /// Settles `channel` (worth `amount`) with deadline `deadline` (default: the earliest for the next
    /// block), declaring `maxSteps`, paying everything but `fee` to the recipient, plus any `extraOutputs`.
    func settle(
        _ channel: OutPoint, deadline: UInt64? = nil, maxSteps: UInt32 = 0, fee: Amount, amount: Amount = channelAmount,
        data: [UInt8] = []
    ) -> Transaction {
        let deadline = deadline ?? nextHeight + UInt64(Self.window)
        let unlock = Unlock.channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.settle.rawValue, firstOutput: 0, maxSteps: maxSteps))
        let item = (0..<8).map { UInt8(truncatingIfNeeded: deadline >> (56 - 8 * $0)) }
        return chain.covenantTransaction(
            covenant: [(channel, unlock, Witness(items: [item]))],
            outputs: [Output(amount: amount.subtracting(fee)!, lock: Self.recipient, data: data)])
    }

    /// Settles several channels in one transaction, each input declaring `maxSteps`.
    func settleAll(_ channels: [OutPoint], maxSteps: UInt32, fee: Amount) -> Transaction {
        let deadline = nextHeight + UInt64(Self.window)
        let unlock = Unlock.channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.settle.rawValue, firstOutput: 0, maxSteps: maxSteps))
        let item = (0..<8).map { UInt8(truncatingIfNeeded: deadline >> (56 - 8 * $0)) }
        let total = Amount(units: Self.channelAmount.units * UInt128(channels.count))
        return chain.covenantTransaction(
            covenant: channels.map { ($0, unlock, Witness(items: [item])) },
            outputs: [Output(amount: total.subtracting(fee)!, lock: Self.recipient)])
    }

    /// Force-moves `channel` by running `program` on `input` under `maxSteps`.
    func forceMove(_ channel: OutPoint, program: [UInt8], input: [UInt8] = [], maxSteps: UInt32, fee: Amount) -> Transaction {
        let unlock = Unlock.channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.forceMove.rawValue, firstOutput: 0, maxSteps: maxSteps))
        return chain.covenantTransaction(
            covenant: [(channel, unlock, Witness(items: [input]))],
            outputs: [Output(amount: Self.channelAmount.subtracting(fee)!, lock: Self.recipient)], blobs: [program])
    }

    /// Exits the escrow: half of its 10 coins burnt, the other half less `fee` to `lock`.
    func exitEscrow(fee: Amount, to lock: Lock = recipient) -> Transaction {
        let unlock = Unlock.plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.exit.rawValue, firstOutput: 0))
        return chain.covenantTransaction(
            covenant: [(escrow, unlock, Witness(items: []))], outputs: [Output(amount: Amount(coins: 5)!.subtracting(fee)!, lock: lock)])
    }

    /// Closes `bond` (2 coins), paying all but `fee` to the recipient.
    func closeBond(_ bond: OutPoint, fee: Amount) -> Transaction {
        let unlock = Unlock.plasma(CovenantUnlock(mode: CovenantUnlock.PlasmaMode.close.rawValue, firstOutput: 0))
        return chain.covenantTransaction(
            covenant: [(bond, unlock, Witness(items: []))], outputs: [Output(amount: Amount(coins: 2)!.subtracting(fee)!, lock: Self.recipient)])
    }

    /// A payment from seed account `seed` reading `reads`: one coin to the recipient, change back, and with
    /// reads a bond of dust last, whose test creation rule uses them (a read no rule uses is invalid).
    func reader(seed: UInt32, reads: [OutPoint], fee: Amount) -> Transaction {
        let key = SigningKey.devnet(index: seed)
        let outpoint = chain.seedOutPoint(seed)
        let held = chain.utxos.unspentOutput(at: outpoint)!.output.amount
        let user = reads.isEmpty ? [] : [Output(amount: chain.params.dust, lock: Self.bondLock)]
        return chain.covenantTransaction(
            covenant: [], plain: [(outpoint, key)], reads: reads,
            outputs: [
                Output(amount: Amount(coins: 1)!, lock: Self.recipient),
                Output(amount: held.subtracting(Amount(coins: 1)!)!.subtracting(fee)!.subtracting(user.first?.amount ?? .zero)!,
                       lock: .pubKeyHash(key.publicKey.publicKeyHash)),
            ] + user)
    }

    /// A plain transaction from seed account `seed` creating `outputs` (covenant outputs by their
    /// creation rules), change back; its outputs are unconfirmed while it waits in the pool.
    func funding(seed: UInt32, outputs: [Output], fee: Amount) -> Transaction {
        let key = SigningKey.devnet(index: seed)
        let outpoint = chain.seedOutPoint(seed)
        let held = chain.utxos.unspentOutput(at: outpoint)!.output.amount
        let change = held.subtracting(outputs.map(\.amount).checkedSum()!)!.subtracting(fee)!
        return chain.spend([(outpoint, key)], to: outputs + [Output(amount: change, lock: .pubKeyHash(key.publicKey.publicKeyHash))])
    }

    /// Spends output `index` of `parent` (a payment to the recipient) on to the recipient, less `fee`.
    func child(of parent: Transaction, index: UInt32 = 0, fee: Amount) -> Transaction {
        chain.spend(
            [(OutPoint(txid: parent.txid, index: index), .devnet(index: 7))],
            to: [Output(amount: parent.outputs[Int(index)].amount.subtracting(fee)!, lock: Self.recipient)])
    }

    // MARK: The pool

    @discardableResult
    mutating func add(_ transaction: Transaction) throws(MempoolRejection) -> MempoolAcceptance {
        try pool.add(transaction, view: chain.utxos, nowMs: nowMs)
    }

    /// The rejection `add` throws, or nil (recorded as an issue) when it accepts.
    mutating func rejection(of transaction: Transaction, sourceLocation: SourceLocation = #_sourceLocation) -> MempoolRejection? {
        pool.rejection(of: transaction, view: chain.utxos, nowMs: nowMs, sourceLocation: sourceLocation)
    }

    /// Appends `block` to the chain and tells the pool.
    mutating func connect(_ block: Block) throws {
        try chain.append(block)
        pool.blockConnected(block, view: chain.utxos, nowMs: nowMs)
    }

    var pooled: Set<Hash32> { Set(pool.contents.map(\.txid)) }
}

extension MempoolState {
    /// The rejection `add` throws, or nil (recorded as an issue) when it accepts.
    mutating func rejection(
        of transaction: Transaction, view: some UTXOView, nowMs: UInt64, sourceLocation: SourceLocation = #_sourceLocation
    ) -> MempoolRejection? {
        do {
            let acceptance = try add(transaction, view: view, nowMs: nowMs)
            Issue.record("expected a rejection, got \(acceptance)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}

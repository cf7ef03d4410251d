import EmberChannels
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode
import EmberTestSupport
import EmberVM
import Foundation
import Testing

/// A devnet chain (ChainBuilder) with one funded channel between devnet keys 3 (A) and 4 (B), and
/// `ChannelTransactions` paying fees from devnet key 2: where the layer-1 verbs are built and mined.
struct ChannelChainFixture {
    static let keyA = SigningKey.devnet(index: 3)
    static let keyB = SigningKey.devnet(index: 4)
    static let sponsor = SigningKey.devnet(index: 2)
    static let amount = Amount(coins: 10)!
    static let fee = Amount(units: 10_000_000_000_000_000)

    /// Halts with 0 whatever its input: an app that allows every move.
    static let acceptAll = try! Assembler.assemble("""
        _start:
          li a0, 0
          li a7, 93
          ecall
        """).elf()

    var builder: ChainBuilder
    var record: ChannelRecord
    let transactions: ChannelTransactions

    static var rawA: RawPublicKey { RawPublicKey(keyA.publicKey.bytes)! }
    static var rawB: RawPublicKey { RawPublicKey(keyB.publicKey.bytes)! }

    init(window: UInt32 = 4, app: [UInt8]? = nil) throws {
        builder = ChainBuilder()
        try builder.extend(by: 1)
        let params = ChannelParams(keyA: Self.rawA, keyB: Self.rawB, window: window, app: app.map { Blake3.hash($0) } ?? .zero)
        let funding = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: Self.amount, fee: Self.fee, to: .channel(params))
        try builder.append(builder.makeBlock([funding]))
        let outpoint = OutPoint(txid: funding.txid, index: 0)
        let network = builder.params.networkID
        record = ChannelRecord(
            id: params.channelId(network: network, funding: outpoint), network: network, params: params, funding: outpoint,
            amount: Self.amount, side: .a, peerURL: nil, app: app == nil ? "payments" : "app", status: .open)
        // Never asked: every verb here is built from a context taken from the chain builder.
        let unused = NodeAPIClient(baseURL: URL(string: "http://127.0.0.1:9")!)
        transactions = ChannelTransactions(params: builder.params, fundingKey: Self.sponsor, client: unused)
    }

    var network: NetworkID { builder.params.networkID }
    var nextHeight: UInt64 { builder.tip.header.height + 1 }

    /// A state splitting the amount as `toA` for A and the rest for B.
    func state(version: UInt64, toA: Amount, isFinal: Bool = false, appData: [UInt8] = []) -> ChannelState {
        Self.state(channelId: record.id, amount: Self.amount, version: version, toA: toA, isFinal: isFinal, appData: appData)
    }

    static func state(
        channelId: Hash32, amount: Amount, version: UInt64, toA: Amount, isFinal: Bool = false, appData: [UInt8] = []
    ) -> ChannelState {
        ChannelState(
            channelId: channelId, version: version, isFinal: isFinal,
            balances: [
                Output(amount: toA, lock: .pubKeyHash(keyA.publicKey.publicKeyHash)),
                Output(amount: amount.subtracting(toA)!, lock: .pubKeyHash(keyB.publicKey.publicKeyHash)),
            ], appData: appData)
    }

    static func coSigned(_ state: ChannelState, network: NetworkID) -> CoSignedState {
        let hash = state.hash(network: network).bytes
        return CoSignedState(
            state: state, sigA: try! keyA.sign(domain: .channelState, network: network, message: hash),
            sigB: try! keyB.sign(domain: .channelState, network: network, message: hash))
    }

    func coSigned(_ state: ChannelState) -> CoSignedState { Self.coSigned(state, network: network) }

    /// The context of a spend of `spent` in the next block: the output from the chain's UTXO set and the sponsor's outputs.
    func context(_ spent: ChannelTransactions.Spent) throws -> ChannelTransactions.Context {
        let outpoint = transactions.outpoint(spent, of: record)
        let sponsorLock = Lock.pubKeyHash(Self.sponsor.publicKey.publicKeyHash)
        let funding = builder.utxos.outputs.filter { $0.value.output.lock == sponsorLock }.map {
            WalletOutput(outpoint: $0.key, amount: $0.value.output.amount, lockTime: $0.value.output.lockTime, height: $0.value.height,
                         isCoinbase: $0.value.isCoinbase)
        }
        return ChannelTransactions.Context(
            spent: try #require(builder.utxos.unspentOutput(at: outpoint)), height: nextHeight, funding: funding, nowMs: builder.nowMs)
    }

    /// Mines `transaction` in the next block (every tier of the rules checks it).
    mutating func mine(_ transaction: Transaction) throws {
        try builder.append(builder.makeBlock([transaction]))
    }

    /// Mines empty blocks until the next block has height `height`.
    mutating func advance(toNextHeight height: UInt64) throws {
        while nextHeight < height { try builder.append(builder.makeBlock()) }
    }

    /// Follows a dispute, override or force-move into the record, as a guard would.
    mutating func follow(_ transaction: Transaction) {
        guard case .disputed(let dispute, _, _) = ChannelSpendOutcome.read(
            transaction, txid: transaction.txid, input: 0, channelId: record.id, network: network)
        else { return }
        record.status = .disputed
        record.dispute = dispute
    }
}

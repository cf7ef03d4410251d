@testable import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport

/// A Plasma chain on devnet parameters, held as a UTXO view: an operator, its bond, a deposited coin and
/// the child blocks committed so far. Tests build one spend at a time and check it with the covenant
/// framework itself (`checkCovenants`), so pins, burns, used reads and blobs are all enforced.
struct PlasmaFixture {
    static let params = ChainBuilder.fastParams()
    static var network: NetworkID { params.networkID }
    static let operatorKey = SigningKey.devnet(index: 20)
    static let alice = SigningKey.devnet(index: 21)
    static let bob = SigningKey.devnet(index: 22)
    static let carol = SigningKey.devnet(index: 23)
    static let mallory = SigningKey.devnet(index: 24)
    static let window: UInt32 = 10
    static let coinValue = Amount(coins: 5)!
    static let bondAmount = Amount(coins: 3)!
    static var dust: Amount { params.dust }
    static var exitBond: Amount { params.layer2.bondMinimum }

    static func raw(_ key: SigningKey) -> RawPublicKey { RawPublicKey(key.publicKey.bytes)! }
    static func pkh(_ key: SigningKey) -> Lock { .pubKeyHash(Blake3.hash(key.publicKey.bytes)) }
    static func outpoint(_ byte: UInt8, _ index: UInt32 = 0) -> OutPoint {
        OutPoint(txid: Hash32([UInt8](repeating: byte, count: 32))!, index: index)
    }

    static let registerInput = outpoint(0xe0)
    static let chainId = PlasmaChainId.derive(network: network, firstInput: registerInput, operatorKey: raw(operatorKey), exitWindow: window)
    static let depositInput = outpoint(0xd0)
    static let coinId = PlasmaCoinId.derive(
        chainId: chainId, firstInput: depositInput, outputIndex: 0, amount: coinValue, depositorKey: raw(alice))
    static let coinLock = PlasmaCoinLock(chainId: chainId, coinId: coinId, depositorKey: raw(alice), exitWindow: window, firstBlock: 1)

    var utxos = [OutPoint: UnspentOutput]()
    /// Each committed child block's leaves, by number.
    var blocks = [UInt64: [Hash32: Hash32]]()
    var blockOutpoints = [UInt64: OutPoint]()
    let operatorOutpoint = outpoint(0xa0)
    let bondOutpoint = outpoint(0xa1)
    let coinOutpoint = outpoint(0xa2)

    init() {
        utxos[operatorOutpoint] = UnspentOutput(
            output: Output(amount: Self.dust, lock: .plasmaOperator(PlasmaOperatorLock(chainId: Self.chainId, operatorKey: Self.raw(Self.operatorKey), nextNumber: 1))),
            height: 5, isCoinbase: false)
        utxos[bondOutpoint] = UnspentOutput(
            output: Output(amount: Self.bondAmount, lock: .plasmaBond(PlasmaBondLock(chainId: Self.chainId, exitWindow: Self.window, state: .open))),
            height: 5, isCoinbase: false)
        utxos[coinOutpoint] = UnspentOutput(output: Output(amount: Self.coinValue, lock: .plasmaCoin(Self.coinLock)), height: 6, isCoinbase: false)
    }

    // MARK: Child chain

    static func move(_ coin: Hash32 = coinId, parent: UInt64, to owner: SigningKey, by signer: SigningKey) -> ChildTransaction {
        try! ChildTransaction(coinId: coin, parentBlock: parent, newOwnerKey: raw(owner), signedBy: signer, network: network)
    }

    /// Commits child block `number` holding `moves` (and raw `leaves`), as a readable plasmaBlock output.
    mutating func commit(_ number: UInt64, _ moves: [ChildTransaction], leaves: [Hash32: Hash32] = [:]) {
        var all = leaves
        for move in moves { all[move.coinId] = move.leaf }
        blocks[number] = all
        let outpoint = Self.outpoint(0x40, UInt32(number))
        blockOutpoints[number] = outpoint
        let root = SparseMerkleTree(leaves: all).root
        utxos[outpoint] = UnspentOutput(
            output: Output(amount: .zero, lock: .plasmaBlock(PlasmaBlockLock(chainId: Self.chainId, number: number, root: root))),
            height: 6 + number, isCoinbase: false)
    }

    func proof(_ coin: Hash32 = coinId, in number: UInt64) -> [UInt8] {
        SparseMerkleTree(leaves: blocks[number] ?? [:]).proof(for: coin).encoded
    }

    func block(_ number: UInt64) -> OutPoint { blockOutpoints[number]! }

    /// Adds an output to the view.
    mutating func put(_ output: Output, at outpoint: OutPoint, height: UInt64 = 20) {
        utxos[outpoint] = UnspentOutput(output: output, height: height, isCoinbase: false)
    }

    // MARK: Spends

    static func unlock(_ mode: CovenantUnlock.PlasmaMode, firstOutput: UInt64 = 0, recipient: Hash32? = nil) -> Unlock {
        .plasma(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput, recipient: recipient))
    }

    /// A transaction spending `inputs` (outpoint, mode, witness items), reading `reads`, paying `outputs`.
    static func transaction(
        _ inputs: [(OutPoint, Unlock, [[UInt8]])], reads: [OutPoint] = [], outputs: [Output], blobs: [[UInt8]] = []
    ) -> Transaction {
        Transaction(
            version: Transaction.version2, inputs: inputs.map { Input(outpoint: $0.0, unlock: $0.1) }, reads: reads, outputs: outputs,
            blobs: blobs, witnesses: inputs.map { Witness(items: $0.2) })
    }

    /// The framework's verdict at including height `height`.
    func check(_ transaction: Transaction, height: UInt64) throws(CovenantRejection) -> (burnt: Amount, heights: ValidHeights) {
        var spent = [UnspentOutput]()
        for input in transaction.inputs {
            guard let output = utxos[input.outpoint] else { throw .missingRead(input.outpoint) }
            spent.append(output)
        }
        var reads = [UnspentOutput]()
        for read in transaction.reads {
            guard let output = utxos[read] else { throw .missingRead(read) }
            reads.append(output)
        }
        return try Self.params.checkCovenants(
            transaction, txid: transaction.txid, spent: spent, reads: reads, height: height, blockTimestamp: 0)
    }

    func rejection(_ transaction: Transaction, height: UInt64) -> CovenantRejection? {
        do {
            _ = try check(transaction, height: height)
            return nil
        } catch {
            return error
        }
    }

    /// The rule a rejection names (`ruleBroken`), "height" for a height failure, or the case otherwise.
    func broken(_ transaction: Transaction, height: UInt64) -> String? {
        switch rejection(transaction, height: height) {
        case nil: nil
        case .ruleBroken(_, let rule, _): rule
        case .notAtThisHeight: "height"
        case .deadlineOutOfRange: "deadline"
        case let other?: other.description
        }
    }

    static func u64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
}

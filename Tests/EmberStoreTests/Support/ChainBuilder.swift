import EmberCore
import EmberCrypto
import EmberStore
import EmberTestSupport

/// One block of a built chain, with everything a store needs to index, store, connect and disconnect it.
struct ChainStep {
    var block: Block
    var indexEntry: BlockIndexEntry
    var connection: BlockConnection
    var disconnection: BlockDisconnection

    var hash: Hash32 { connection.blockHash }
}

/// Builds chains of random blocks whose transactions spend outputs that exist, and models the UTXO
/// set a store should hold after them. `branch(seed:)` starts a competing branch.
struct ChainBuilder {
    /// A few locks, so address listings have several outputs each.
    static let locks: [Lock] = (1...3).map { .pubKeyHash(Hash32(Array(repeating: UInt8($0), count: 32))!) }

    private var generator: SeededGenerator
    /// The modelled UTXO set after the last block.
    private(set) var utxos: [OutPoint: UTXOEntry] = [:]
    /// The outpoints of `utxos` in a stable order, so random picks replay from the seed.
    private var spendable: [OutPoint] = []
    private(set) var tipHash: Hash32?
    private(set) var nextHeight: UInt64 = 0
    private(set) var utxoSetHash = Hash32.zero
    /// Every txid built so far.
    private(set) var txids: [Hash32] = []

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// The next block on top of the last one: a coinbase and `transactionCount - 1` transactions
    /// spending one or two earlier outputs, some created in the same block. With `blobs`, its last
    /// transaction is a version-2 one publishing them (the store checks no rule, so nothing names them).
    mutating func nextBlock(transactionCount: Int = 4, blobs: [[UInt8]] = []) -> ChainStep {
        let height = nextHeight
        let utxosBefore = utxos
        var createdInBlock: [OutPoint: UTXOEntry] = [:]
        var createdOrder: [OutPoint] = []
        var spentBeforeBlock: [UTXO] = []
        var transactions: [Transaction] = []
        for position in 0..<max(1, transactionCount) {
            let inputCount = position == 0 ? 0 : min(spendable.count, Int.random(in: 1...2, using: &generator))
            var inputs: [Input] = []
            for _ in 0..<inputCount {
                spendable.swapAt(Int.random(in: 0..<spendable.count, using: &generator), spendable.count - 1)
                let outpoint = spendable.removeLast()
                inputs.append(Input(outpoint: outpoint, unlock: RandomValues.unlock(using: &generator)))
                if createdInBlock.removeValue(forKey: outpoint) == nil, let entry = utxosBefore[outpoint] {
                    spentBeforeBlock.append(UTXO(outpoint: outpoint, entry: entry))
                }
                utxos[outpoint] = nil
            }
            let outputs = (0..<Int.random(in: 1...3, using: &generator)).map { _ in randomOutput(height: height) }
            let publishes = !blobs.isEmpty && position == max(1, transactionCount) - 1
            let transaction = Transaction(
                version: publishes ? Transaction.version2 : Transaction.version1, inputs: inputs, reads: [], outputs: outputs,
                blobs: publishes ? blobs : [], witnesses: [])
            let txid = transaction.txid
            txids.append(txid)
            for (index, output) in outputs.enumerated() {
                let outpoint = OutPoint(txid: txid, index: UInt32(index))
                let entry = UTXOEntry(output: output, height: height, isCoinbase: position == 0)
                createdInBlock[outpoint] = entry
                createdOrder.append(outpoint)
                utxos[outpoint] = entry
                spendable.append(outpoint)
            }
            transactions.append(transaction)
        }
        let header = BlockHeader(
            nonce: RandomValues.nonce(using: &generator),
            height: height,
            parent: tipHash ?? .zero,
            txRoot: RandomValues.hash32(using: &generator),
            timestamp: 1_700_000_000_000 + height * 4_000,
            target: CompactTarget(bits: 0x1F00_FFFF)
        )
        let block = Block(header: header, transactions: transactions)
        let previousUTXOSetHash = utxoSetHash
        utxoSetHash = RandomValues.hash32(using: &generator)
        let connection = BlockConnection(
            blockHash: block.hash,
            height: height,
            created: createdOrder.compactMap { outpoint in
                createdInBlock[outpoint].map { UTXO(outpoint: outpoint, entry: $0) }
            },
            spent: spentBeforeBlock,
            txids: transactions.map(\.txid),
            blobs: transactions.enumerated().flatMap { position, transaction in
                transaction.blobs.enumerated().map { PublishedBlob(hash: Blake3.hash($1), position: position, index: $0) }
            },
            addressActivity: AddressActivity.all(in: block, txids: transactions.map(\.txid), spent: spentBeforeBlock)!,
            utxoSetHash: utxoSetHash,
            // These blocks are random, not valid: there is no reward to record.
            supply: nil
        )
        tipHash = block.hash
        nextHeight += 1
        return ChainStep(
            block: block,
            indexEntry: BlockIndexEntry(
                header: header,
                cumulativeWork: Self.work(upTo: height),
                status: .headerValid
            ),
            connection: connection,
            disconnection: BlockDisconnection(reverting: connection, previousUTXOSetHash: previousUTXOSetHash)
        )
    }

    /// A copy of this builder whose next blocks differ from this one's: a competing branch.
    func branch(seed: UInt64) -> ChainBuilder {
        var branch = self
        branch.generator = SeededGenerator(seed: seed)
        return branch
    }

    /// `count` blocks on top of the last one.
    mutating func nextBlocks(_ count: Int, transactionCount: Int = 4) -> [ChainStep] {
        (0..<count).map { _ in nextBlock(transactionCount: transactionCount) }
    }

    /// A stand-in for cumulative work: the height plus one, big-endian, opaque to the store.
    static func work(upTo height: UInt64) -> [UInt8] {
        let value = height + 1
        return (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    private mutating func randomOutput(height: UInt64) -> Output {
        Output(
            amount: Amount(units: UInt128.random(in: 1...100_000_000_000_000_000_000, using: &generator)),
            lock: Self.locks[Int.random(in: 0..<Self.locks.count, using: &generator)],
            lockTime: Bool.random(using: &generator) ? 0 : UInt64.random(in: 1...UInt64.max, using: &generator),
            data: RandomValues.byteString(lengths: 0...8, using: &generator)
        )
    }
}

extension ChainStore {
    /// Indexes, stores and connects `step`, as the chain actor does.
    func append(_ step: ChainStep) throws {
        try insertIndexEntries([step.indexEntry])
        try storeBody(step.block)
        try connect(step.connection)
    }
}

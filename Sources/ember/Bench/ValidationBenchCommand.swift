import ArgumentParser
import Dispatch
import EmberConsensus
import EmberCore
import EmberCrypto
import Foundation

/// `ember bench validate`: full validation of one large block (every tier of DESIGN.md section 11)
/// beside the raw Ed25519 verification rate of the same signatures on the same cores.
struct ValidationBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a block of one-input, two-output transactions; compare with raw signature checks."
    )

    @Option(help: "Transactions in the block, besides the coinbase.")
    var transactions: Int = 5_000

    @Option(help: "Times to repeat each measurement; the best run counts.")
    var rounds: Int = 5

    @Option(help: "v1: plain payments; v2: version-2 payments, each reading a commitment and publishing a 128-byte blob.")
    var mix: ValidationMix = .v1

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        guard (1...19_999).contains(transactions) else { throw commandFailure("--transactions must be 1…19999") }
        guard (1...100).contains(rounds) else { throw commandFailure("--rounds must be 1…100") }
        var params = try ConsensusParams.devnet(maxTargetZeros: 1)
        if mix == .v2 { params = params.withCovenantRules(BenchResultRule.rules) }
        if !json { print("building a block of \(transactions) signed \(mix) transactions…") }
        let fixture = try ValidationFixture(params: params, transactionCount: transactions, mix: mix)

        let clock = ContinuousClock()
        var validateBest = Duration.seconds(1_000)
        var verifyBest = Duration.seconds(1_000)
        for _ in 0..<rounds {
            let start = clock.now
            try fixture.validate()
            validateBest = min(validateBest, clock.now - start)

            let verifyStart = clock.now
            guard fixture.verifyAllSignaturesInParallel() else { throw commandFailure("a fixture signature failed") }
            verifyBest = min(verifyBest, clock.now - verifyStart)
        }
        let validatedPerSecond = Double(transactions) / validateBest.seconds
        let verifiedPerSecond = Double(transactions) / verifyBest.seconds
        let ratio = validatedPerSecond / verifiedPerSecond
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if json {
            print("{\"mix\":\"\(mix)\",\"transactions\":\(transactions),\"cores\":\(cores),\"blockBytes\":\(fixture.blockSize),"
                + "\"validatedTxPerSec\":\(jsonNumber(validatedPerSecond)),"
                + "\"rawVerificationsPerSec\":\(jsonNumber(verifiedPerSecond)),\"ratio\":\(jsonNumber(ratio))}")
            return
        }
        print(String(format: "block: %d %@ transactions, %d bytes, %d cores", transactions, "\(mix)", fixture.blockSize, cores))
        print(String(format: "full validation       %10.0f tx/s   (%.1f ms per block)", validatedPerSecond, validateBest.seconds * 1e3))
        print(String(format: "raw Ed25519 verify    %10.0f sig/s", verifiedPerSecond))
        print(String(format: "ratio                 %10.2f   (target ≥ 0.80)", ratio))
    }
}

/// A block of one-input, two-output payments on top of genesis, with the UTXO view it spends from.
struct ValidationFixture {
    let params: ConsensusParams
    let block: Block
    let view: InMemoryUTXOView
    let signatures: [(PublicKey, Signature, Hash32)]
    let blockSize: Int

    init(params: ConsensusParams, transactionCount: Int, mix: ValidationMix = .v1) throws {
        self.params = params
        let genesis = params.genesisBlock
        let key = SigningKey.devnet(index: 1)
        let lock = Lock.pubKeyHash(key.publicKey.publicKeyHash)
        let unlock = Unlock.publicKey(RawPublicKey(key.publicKey.bytes)!)
        let funding = Amount(coins: 10)!
        let fee = Amount(units: params.minFeeRate.units * 1_000)
        let half = Amount(units: (funding.units - fee.units) / 2)
        var outputs = [OutPoint: UnspentOutput]()
        var transactions = [Transaction]()
        var signatures = [(PublicKey, Signature, Hash32)]()
        for index in 0..<transactionCount {
            let outpoint = OutPoint(txid: Blake3.hash(Array("ember/bench/funding".utf8) + [UInt8(index >> 8), UInt8(index & 0xff)]), index: UInt32(index))
            outputs[outpoint] = UnspentOutput(output: Output(amount: funding, lock: lock), height: 0, isCoinbase: false)
            var transaction = Transaction(
                inputs: [Input(outpoint: outpoint, unlock: unlock)],
                outputs: [Output(amount: half, lock: lock), Output(amount: Amount(units: funding.units - fee.units - half.units), lock: lock)],
                witnesses: [])
            if mix == .v2 {
                let blob = (0..<128).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0) }
                let result = TruebitResultLock(
                    taskId: Blake3.hash(withUnsafeBytes(of: index, Array.init)), solutionId: .zero, outputHash: Blake3.hash(blob))
                transaction = Transaction(
                    version: Transaction.version2, inputs: transaction.inputs, reads: [Self.commitment],
                    outputs: [
                        transaction.outputs[0],
                        Output(amount: Amount(units: transaction.outputs[1].amount.units - params.dust.units), lock: lock),
                        // A result holds exactly dust (docs/truebit.md fix U).
                        Output(amount: params.dust, lock: .truebitResult(result)),
                    ],
                    blobs: [blob], witnesses: [])
            }
            let txid = transaction.txid
            let signature = try key.sign(txid: txid, network: params.networkID)
            transaction.witnesses = [Witness(items: [signature.bytes])]
            transactions.append(transaction)
            signatures.append((key.publicKey, signature, txid))
        }
        if mix == .v2 {
            let block = PlasmaBlockLock(chainId: Blake3.hash(Array("ember/bench/chain".utf8)), number: 1, root: .zero)
            outputs[Self.commitment] = UnspentOutput(output: Output(amount: .zero, lock: .plasmaBlock(block)), height: 0, isCoinbase: false)
        }
        let timestamp = genesis.header.timestamp + params.blockTimeMs
        let reward = try params.reward(target: params.maxTarget, timestampMs: timestamp)
        let coinbase = try params.makeCoinbase(
            height: 1, timestamp: timestamp, reward: reward, fees: Amount(units: fee.units * UInt128(transactionCount)),
            payTo: lock, burningKey: key, spendable: [])
        transactions.insert(coinbase, at: 0)
        var header = BlockHeader(
            nonce: .zero, height: 1, parent: genesis.hash, txRoot: MerkleTree.root(of: transactions.map(\.digests.fullHash)),
            timestamp: timestamp, target: params.maxTarget)
        var counter: UInt64 = 0
        while (try? params.checkHeaderSanity(header, hash: header.hash)) == nil {
            counter += 1
            header.nonce = Nonce(high: 0, middle: 0, low: counter)
        }
        block = Block(header: header, transactions: transactions)
        view = InMemoryUTXOView(outputs)
        self.signatures = signatures
        blockSize = block.encoded.count
    }

    /// The commitment every v2 transaction reads (reads never consume, so one serves them all).
    static let commitment = OutPoint(txid: Blake3.hash(Array("ember/bench/commitment".utf8)), index: 0)

    /// Every tier, as a node runs them on a block from a peer.
    func validate() throws {
        let genesis = params.genesisBlock.header
        try params.checkHeaderSanity(block.header, hash: block.header.hash)
        try params.checkHeaderContext(block.header, parent: ParentContext(header: genesis) { _ in nil }, nowMs: block.header.timestamp)
        let body = try params.checkBlockSanity(block)
        _ = try params.checkBlockConnect(block, body: body, view: view)
    }

    /// The same signatures verified on every core with nothing else around them.
    func verifyAllSignaturesInParallel() -> Bool {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let perWorker = (signatures.count + workers - 1) / workers
        var results = [Bool](repeating: true, count: workers)
        let network = params.networkID
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let range = (worker * perWorker)..<min(signatures.count, (worker + 1) * perWorker)
                slots[worker] = range.allSatisfy { signatures[$0].0.isValidSignature(signatures[$0].1, txid: signatures[$0].2, network: network) }
            }
        }
        return results.allSatisfy { $0 }
    }
}

/// Which transactions fill the benchmark block.
enum ValidationMix: String, ExpressibleByArgument, CustomStringConvertible {
    case v1, v2
    var description: String { rawValue }
}

/// A bench-only creation rule standing in for a layer-2 result: a truebitResult of dust may be created
/// when its outputHash is H(blob 0), which it names, and it uses the transaction's one read. It does what a real rule costs
/// per transaction (one blob hashed) without needing a protocol to be active.
struct BenchResultRule: CovenantRule {
    static let rules = CovenantRules(identity: "bench-v2-mix", rules: [BenchResultRule()])

    var lockTag: UInt8 { Lock.Tag.truebitResult }

    func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        throw .ruleBroken(lockTag: lockTag, rule: "spend", detail: "a result is never spent")
    }

    func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        guard case .truebitResult(let result) = context.output.lock, let blob = context.transaction.blobs.first,
              result.outputHash == Blake3.hash(blob)
        else { throw .ruleBroken(lockTag: lockTag, rule: "creation", detail: "outputHash is not H(blob 0)") }
        return CovenantCreation(namedBlobs: [0], usedReads: Set(context.transaction.reads.indices))
    }
}

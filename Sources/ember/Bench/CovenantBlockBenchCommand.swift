import ArgumentParser
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberVM
import Foundation

/// `ember bench covenant-block`: the worst block of covenant runs a miner can make within the weight
/// limit (DESIGN.md section 15): as many inputs as fit, each declaring 2^24 steps and running a program
/// that halts with 0 at its last step after a random walk over about 4 090 pages. Reported in
/// milliseconds per block beside the same runs outside consensus (the fast path).
struct CovenantBlockBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "covenant-block",
        abstract: "Validate the heaviest block of covenant VM runs the weight limit allows."
    )

    @Option(help: "Times to repeat the measurement; the best run counts.")
    var rounds: Int = 3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    /// 1 048 575 rounds of the 16-instruction walk: 16 777 211 steps with the set-up and the halt.
    static let source = VMConsensusBench.walkSource(haltingAfter: 1_048_575)

    func run() throws {
        guard (1...20).contains(rounds) else { throw commandFailure("--rounds must be 1…20") }
        let params = try ConsensusParams.devnet(maxTargetZeros: 1).withCovenantRules(BenchForceMoveRule.rules)
        let program = try Assembler.assemble(Self.source).elf()
        let maxSteps = params.layer2.maxStepsPerInput
        let key = SigningKey.devnet(index: 1)
        let funding = Amount(coins: 10)!
        let fee = Amount(units: params.minFeeRate.units * 400_000)
        let channel = Lock.channel(ChannelParams(
            keyA: RawPublicKey(key.publicKey.bytes)!, keyB: RawPublicKey(key.publicKey.bytes)!, window: 10, app: Blake3.hash(program)))
        let unlock = Unlock.channel(CovenantUnlock(mode: CovenantUnlock.ChannelMode.forceMove.rawValue, firstOutput: 0, maxSteps: maxSteps))
        var outputs = [OutPoint: UnspentOutput]()
        var transactions = [Transaction]()
        var weight = BlockHeader.encodedSize + 1
        for index in 0..<32 {
            let outpoint = OutPoint(txid: Blake3.hash(Array("ember/bench/channel".utf8) + [UInt8(index)]), index: 0)
            let transaction = Transaction(
                version: Transaction.version2, inputs: [Input(outpoint: outpoint, unlock: unlock)], reads: [],
                outputs: [Output(amount: funding.subtracting(fee)!, lock: .pubKeyHash(key.publicKey.publicKeyHash))],
                blobs: [program], witnesses: [Witness(items: [[UInt8(index)]])])
            let transactionWeight = params.weight(of: transaction, size: transaction.size)
            // The coinbase needs room too.
            guard weight + transactionWeight + 200 <= params.maxBlockWeight else { break }
            weight += transactionWeight
            outputs[outpoint] = UnspentOutput(output: Output(amount: funding, lock: channel), height: 0, isCoinbase: false)
            transactions.append(transaction)
        }
        let genesis = params.genesisBlock
        let timestamp = genesis.header.timestamp + params.blockTimeMs
        let reward = try params.reward(target: params.maxTarget, timestampMs: timestamp)
        let coinbase = try params.makeCoinbase(
            height: 1, timestamp: timestamp, reward: reward, fees: Amount(units: fee.units * UInt128(transactions.count)),
            payTo: .pubKeyHash(key.publicKey.publicKeyHash), burningKey: key, spendable: [])
        let all = [coinbase] + transactions
        let header = BlockHeader(
            nonce: .zero, height: 1, parent: genesis.hash, txRoot: MerkleTree.root(of: all.map(\.digests.fullHash)),
            timestamp: timestamp, target: params.maxTarget)
        let block = Block(header: header, transactions: all)
        let view = InMemoryUTXOView(outputs)
        let compiled = try ConsensusProgram(elf: program)

        let clock = ContinuousClock()
        var blockBest = Duration.seconds(1_000)
        var fastBest = Duration.seconds(1_000)
        var checkedWeight = 0
        for _ in 0..<rounds {
            let start = clock.now
            let body = try params.checkBlockSanity(block)
            _ = try params.checkBlockConnect(block, body: body, view: view)
            blockBest = min(blockBest, clock.now - start)
            checkedWeight = body.weight

            let fastStart = clock.now
            for transaction in transactions {
                let machine = try Machine(program: compiled.program, input: transaction.witnesses[0].items[0])
                machine.run(untilStep: UInt64(maxSteps))
                guard machine.status == .halted, machine.exitCode == 0 else { throw commandFailure("the program did not halt with 0") }
            }
            fastBest = min(fastBest, clock.now - fastStart)
        }
        let runs = transactions.count
        if json {
            print("{\"runs\":\(runs),\"stepsPerRun\":\(maxSteps),\"blockWeight\":\(checkedWeight),"
                + "\"blockMillis\":\(jsonNumber(blockBest.seconds * 1e3)),\"fastPathMillis\":\(jsonNumber(fastBest.seconds * 1e3)),"
                + "\"ratio\":\(jsonNumber(fastBest.seconds / blockBest.seconds))}")
            return
        }
        print("block: \(runs) covenant runs of \(maxSteps) declared steps, weight \(checkedWeight) of \(params.maxBlockWeight)")
        print(String(format: "full validation of the block   %8.0f ms", blockBest.seconds * 1e3))
        print(String(format: "the same runs on the fast path %8.0f ms", fastBest.seconds * 1e3))
        print(String(format: "ratio                          %8.2f", fastBest.seconds / blockBest.seconds))
    }
}

/// A bench-only channel rule: `forceMove` runs blob 0 on witness item 0 under the declared maxSteps and
/// pins nothing, which is the VM cost a real force-move pays without its state checks.
struct BenchForceMoveRule: CovenantRule {
    static let rules = CovenantRules(identity: "bench-force-move", rules: [BenchForceMoveRule()])

    var lockTag: UInt8 { Lock.Tag.channel }

    func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        guard let program = context.transaction.blobs.first, let input = context.witness.items.first else {
            throw .ruleBroken(lockTag: lockTag, rule: "forceMove", detail: "needs blob 0 and witness item 0")
        }
        try context.params.runCovenantProgram(program, input: input, maxSteps: context.unlock.maxSteps, inputIndex: context.inputIndex)
        return CovenantSpend(namedBlobs: [0])
    }

    func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .ruleBroken(lockTag: lockTag, rule: "creation", detail: "bench channels exist only in the view")
    }
}

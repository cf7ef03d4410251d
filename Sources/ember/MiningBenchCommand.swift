import ArgumentParser
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberMiner
import Foundation

/// `ember bench mine`: the real `Miner` on a target no hash meets, with one thread and with all of
/// them, beside the bare kernel loop of `ember bench blake3` measured in the same run.
struct MiningBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mine",
        abstract: "Mining hash rate with 1 and N threads; scaling efficiency against the 1-thread miner."
    )

    /// Below this the threads scale poorly enough to look into (DESIGN.md section 13 wants one core's
    /// rate per core).
    static let efficiencyGoal = 0.9
    /// Time for the threads to start and the caches to warm before counting.
    static let warmUp = Duration.milliseconds(300)

    @Option(help: "Seconds to spend on each of the three measurements.")
    var seconds: Double = 3

    @Option(help: "Worker threads for the all-threads measurement (default: one per core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        guard seconds > 0, seconds <= 600 else { throw commandFailure("--seconds must be between 0 and 600") }
        guard (1...1_024).contains(threads) else { throw commandFailure("--threads must be 1…1024; got \(threads)") }
        let kernel = Blake3Kernel.active
        let duration = Duration.milliseconds(Int(seconds * 1000))
        if !json { print("kernel \(kernel) (\(kernel.lanes) lanes), \(threads) threads on \(ProcessInfo.processInfo.activeProcessorCount) cores") }

        let template = try Self.unreachableTemplate()
        let kernelRate = MiningKernelRate.measure(kernel: kernel, duration: duration)
        let oneThreadRate = Self.minerRate(template: template, threads: 1, kernel: kernel, duration: duration)
        let allThreadsRate = Self.minerRate(template: template, threads: threads, kernel: kernel, duration: duration)
        let minerVsKernel = oneThreadRate / kernelRate
        let efficiency = allThreadsRate / (Double(threads) * oneThreadRate)

        if json {
            let fields: [(String, String)] = [
                ("kernel", "\"\(kernel)\""),
                ("threads", String(threads)),
                ("kernelHashesPerSec", jsonNumber(kernelRate)),
                ("minerHashesPerSecOneThread", jsonNumber(oneThreadRate)),
                ("minerHashesPerSecAllThreads", jsonNumber(allThreadsRate)),
                ("minerVsKernel", jsonNumber(minerVsKernel)),
                ("scalingEfficiency", jsonNumber(efficiency)),
            ]
            print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
            return
        }
        print(String(format: "kernel loop, 1 thread  %9.2f M double hashes/s", kernelRate / 1e6))
        print(String(format: "miner, 1 thread        %9.2f M double hashes/s   (%.2f of the kernel loop)",
                     oneThreadRate / 1e6, minerVsKernel))
        print(String(format: "miner, %d threads %@ %9.2f M double hashes/s", threads,
                     String(repeating: " ", count: max(0, 5 - String(threads).count)), allThreadsRate / 1e6))
        print(String(format: "scaling efficiency     %9.2f   (rate(%d) / (%d × rate(1)); target ≥ %.2f)",
                     efficiency, threads, threads, Self.efficiencyGoal))
    }

    /// A devnet block template on genesis whose target is 1: no hash meets it, so the workers never stop
    /// to hand in a block and every second is spent hashing.
    static func unreachableTemplate() throws -> BlockTemplate {
        let params = try ConsensusParams.devnet()
        let genesis = params.genesisBlock
        let key = SigningKey.devnet(index: 0)
        let template = try TemplateBuilder(params: params).makeTemplate(
            parent: ParentContext(header: genesis.header, spanStartTimestampMs: nil), parentHash: genesis.hash,
            nowMs: genesis.header.timestamp + params.blockTimeMs, transactions: [], fees: .zero,
            payTo: .pubKeyHash(key.publicKey.publicKeyHash), minerKey: key, spendable: [])
        var header = template.header
        header.target = CompactTarget(bits: 0x0101_0000)
        return BlockTemplate(header: header, transactions: template.transactions, reward: template.reward, fees: template.fees)
    }

    /// Hashes per second of a `Miner` with `threads` workers, counted after a warm-up.
    static func minerRate(template: BlockTemplate, threads: Int, kernel: Blake3Kernel, duration: Duration) -> Double {
        let miner = Miner(threadCount: threads, kernel: kernel)
        defer { miner.stop() }
        miner.start(template: template)
        Thread.sleep(forTimeInterval: warmUp.seconds)
        let clock = ContinuousClock()
        let start = clock.now
        let hashesBefore = miner.totalHashes
        Thread.sleep(forTimeInterval: duration.seconds)
        let hashes = miner.totalHashes - hashesBefore
        return Double(hashes) / (clock.now - start).seconds
    }
}

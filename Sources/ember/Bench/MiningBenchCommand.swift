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
        let oneThread = Self.measureMiner(template: template, threads: 1, kernel: kernel, duration: duration)
        let allThreads = Self.measureMiner(template: template, threads: threads, kernel: kernel, duration: duration)
        let oneThreadRate = oneThread.hashesPerSecond
        let allThreadsRate = allThreads.hashesPerSecond
        let minerVsKernel = oneThreadRate / kernelRate
        let efficiency = allThreadsRate / (Double(threads) * oneThreadRate)
        let perCoreEfficiency = allThreads.hashesPerCPUSecond / oneThread.hashesPerCPUSecond

        if json {
            let fields: [(String, String)] = [
                ("kernel", "\"\(kernel)\""),
                ("threads", String(threads)),
                ("kernelHashesPerSec", jsonNumber(kernelRate)),
                ("minerHashesPerSecOneThread", jsonNumber(oneThreadRate)),
                ("minerHashesPerSecAllThreads", jsonNumber(allThreadsRate)),
                ("minerVsKernel", jsonNumber(minerVsKernel)),
                ("scalingEfficiency", jsonNumber(efficiency)),
                ("coresObtainedAllThreads", jsonNumber(allThreads.coresObtained)),
                ("perCoreEfficiency", jsonNumber(perCoreEfficiency)),
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
        print(String(format: "per CPU-second         %9.2f   (the same ratio per CPU-second the process got: %.2f cores of %d)",
                     perCoreEfficiency, allThreads.coresObtained, threads))
        if allThreads.coresObtained < Self.efficiencyGoal * Double(threads) {
            print("the machine is busy: the threads got fewer cores than they asked for, so the scaling figure measures"
                + " the load; the per-CPU-second figure still shows whether the threads slow each other down")
        }
    }

    /// A devnet block template on genesis whose target is 1: no hash meets it, so the workers never stop
    /// to hand in a block and every second is spent hashing.
    static func unreachableTemplate() throws -> BlockTemplate {
        let params = try ConsensusParams.devnet()
        let genesis = params.genesisBlock
        let key = SigningKey.devnet(index: 0)
        let template = try TemplateBuilder(params: params).makeTemplate(
            parent: ParentContext(header: genesis.header) { _ in nil }, parentHash: genesis.hash,
            nowMs: genesis.header.timestamp + params.blockTimeMs, transactions: [], fees: .zero,
            payTo: .pubKeyHash(key.publicKey.publicKeyHash), minerKey: key, spendable: [])
        var header = template.header
        header.target = CompactTarget(bits: 0x0101_0000)
        return BlockTemplate(header: header, transactions: template.transactions, reward: template.reward, fees: template.fees)
    }

    /// What a `Miner` did over one measurement.
    struct MinerMeasurement {
        let hashesPerSecond: Double
        /// Hashes per second of CPU time the whole process got: unlike the wall-clock rate, it does not
        /// fall when other processes take the cores.
        let hashesPerCPUSecond: Double
        /// CPU seconds per wall-clock second: the cores the process actually had.
        let coresObtained: Double
    }

    /// A `Miner` with `threads` workers, counted after a warm-up.
    static func measureMiner(template: BlockTemplate, threads: Int, kernel: Blake3Kernel, duration: Duration) -> MinerMeasurement {
        let miner = Miner(threadCount: threads, kernel: kernel)
        defer { miner.stop() }
        miner.start(template: template)
        Thread.sleep(forTimeInterval: warmUp.seconds)
        let clock = ContinuousClock()
        let start = clock.now
        let cpuBefore = processCPUSeconds()
        let hashesBefore = miner.totalHashes
        Thread.sleep(forTimeInterval: duration.seconds)
        let hashes = Double(miner.totalHashes - hashesBefore)
        let cpu = processCPUSeconds() - cpuBefore
        let wall = (clock.now - start).seconds
        return MinerMeasurement(hashesPerSecond: hashes / wall, hashesPerCPUSecond: hashes / cpu, coresObtained: cpu / wall)
    }

    /// CPU time the process has used, all threads together.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

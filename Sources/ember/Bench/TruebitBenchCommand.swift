import ArgumentParser
import EmberConsensus
import EmberNode
import EmberTruebit
import Foundation

/// `ember bench truebit`: issue 17's dispute figures, one line per run length: the rounds and layer-1 bytes
/// of a whole dispute (post to close, every transaction built by the real builders and checked by the
/// network's rules), each side's time to answer a bisection round from its checkpointed run, the runs'
/// time, and the consensus time of the settling step beside an Ed25519 verification of the same run
/// (`TruebitDisputeBenchmark`).
struct TruebitBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "truebit",
        abstract: "Truebit dispute: rounds, layer-1 bytes and fees, time per bisection round, settle's consensus time vs Ed25519."
    )

    @Option(help: "Run lengths in steps, comma-separated (each at least 17).")
    var steps = "1000000,10000000,100000000"

    @Option(help: "Steps between the runs' checkpoints.")
    var checkpointInterval: UInt64 = TaskRun.defaultCheckpointInterval

    @Option(help: "Checks of the settling step averaged for each consensus figure.")
    var repeats = 2_000

    func run() throws {
        let lengths = steps.split(separator: ",").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard !lengths.isEmpty, lengths.allSatisfy({ ($0 ?? 0) >= 17 && ($0 ?? 0) <= 1 << 34 }) else {
            throw commandFailure("--steps takes run lengths from 17 to 17179869184, comma-separated; found '\(steps)'")
        }
        guard checkpointInterval >= 1, (1...1_000_000).contains(repeats) else {
            throw commandFailure("--checkpoint-interval must be at least 1 and --repeats from 1 to 1000000")
        }
        let params = ConsensusParams.mainnet
        say("Truebit disputes on \(params.networkID) rules (window \(params.layer2.windowMinimum), clock at the minimum for maxSteps = N);")
        say("a loop writing a 1 MiB buffer every iteration; the solver's run lies from about N/2, at the index that makes the game longest.")
        var reports = [TruebitDisputeReport]()
        for length in lengths.compactMap({ $0 }) {
            let options = TruebitDisputeBenchmark.Options(steps: length, checkpointInterval: checkpointInterval, settleRepeats: repeats, params: params)
            do {
                reports.append(try TruebitDisputeBenchmark.run(options, memoryProbe: { residentBytes(of: getpid()) }) { say("  N = \(length): \($0)…") })
            } catch {
                throw commandFailure("N = \(length): \(error)")
            }
        }
        printGames(reports)
        printBytes(reports)
        printRounds(reports)
        printSettle(reports)
        say("")
        say(String(format: "peak resident memory of this process: %.1f MiB (both runs of each N are held until its dispute ends)", Double(peakResidentBytes()) / 1_048_576))
    }

    private func printGames(_ reports: [TruebitDisputeReport]) {
        say("")
        say("dispute (challenge … close); answer = the side's k − 1 state hashes from its run + building, signing and self-checking its move")
        say("          N  rounds  max rounds   bytes  fees (EMB)   solver answer max / mean   challenger max / mean   step answer   runs honest / lying   checkpoints   honest run's memory")
        for report in reports {
            let solver = report.rounds.map(\.solverAnswer), challenger = report.rounds.map(\.challengerAnswer)
            let memory = report.honestRunMemoryBytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "—"
            let fees = report.disputeFees.map { CoinAmount.format($0) } ?? "overflow"
            say(String(format: "%11llu  %6d  %10d  %6d  ", report.steps, report.rounds.count, report.maxRounds, report.disputeBytes)
                + Self.right(fees, 10)
                + String(
                    format: "   %9.1f / %6.1f ms      %7.1f / %6.1f ms   %8.1f ms   %7.2f / %6.2f s   %11llu   ",
                    Self.millis(solver.max()), Self.millis(Self.mean(solver)), Self.millis(challenger.max()), Self.millis(Self.mean(challenger)),
                    report.stepAnswer.seconds * 1_000, report.honestRun.seconds, report.lyingRun.seconds, report.checkpointsPerRun)
                + memory)
        }
        for report in reports where report.rounds.count != report.maxRounds {
            say("  N = \(report.steps): \(report.rounds.count) rounds, fewer than the worst case \(report.maxRounds): a part of one step was chosen early")
        }
    }

    private func printBytes(_ reports: [TruebitDisputeReport]) {
        say("")
        say("layer-1 bytes per transaction (weight = bytes: no Truebit mode runs a program); fees at the minimum rate")
        say("          N   post  commit  reveal  challenge  bisects            chooses            step  close   challenge…close  minimum fee (EMB)")
        for report in reports {
            func sizes(_ kind: TruebitDisputeReport.Kind) -> String { Self.grouped(report.included(kind).map(\.bytes)) }
            let columns = [
                Self.right(sizes(.post), 6), Self.right(sizes(.commit), 7), Self.right(sizes(.reveal), 7), Self.right(sizes(.challenge), 10),
                "  " + Self.left(sizes(.bisect), 17), Self.left(sizes(.choose), 17), Self.right(sizes(.step), 5), Self.right(sizes(.close), 6),
                Self.right(String(report.disputeBytes), 18), "  " + CoinAmount.format(report.disputeMinimumFee),
            ]
            say(String(format: "%11llu", report.steps) + columns.joined(separator: " "))
        }
    }

    private func printRounds(_ reports: [TruebitDisputeReport]) {
        say("")
        say("rounds: range d, parts k, part chosen; each side's hashing and building in ms, with the instructions it replayed from")
        say("checkpoints and what they take at the fast path's rate (the rest of the hashing is restoring checkpoints and Merkle roots)")
        say("          N  round            d   k   j   solver hashes (replayed, at fast path)   build   challenger hashes (replayed, at fast path)   build")
        for report in reports {
            let rate = report.fastPathStepsPerSecond
            for (index, round) in report.rounds.enumerated() {
                say(String(
                    format: "%11llu  %5d  %11llu  %2d  %2d   %13.1f (%9llu, %6.1f ms)  %6.1f   %17.1f (%9llu, %6.1f ms)  %6.1f",
                    report.steps, index + 1, round.hi - round.lo, round.parts, round.chosenPart, round.solverHashing.seconds * 1_000,
                    round.solverReplayedSteps, Double(round.solverReplayedSteps) / rate * 1_000, round.solverBuilding.seconds * 1_000,
                    round.challengerHashing.seconds * 1_000, round.challengerReplayedSteps, Double(round.challengerReplayedSteps) / rate * 1_000,
                    round.challengerBuilding.seconds * 1_000))
            }
            say(String(format: "%11llu  fast path: %.1f M steps/s (the loop without checkpoints or hashes, same run)", report.steps, rate / 1e6))
        }
    }

    private func printSettle(_ reports: [TruebitDisputeReport]) {
        say("")
        say("settle (mode 6, the step proof), mean of --repeats checks; reference: one Ed25519 verification in the same run")
        say("          N  proof bytes (data leaves)   connect µs  sanity+signatures+connect µs  verifyStep µs  Ed25519 verify µs   connect / Ed25519   full / Ed25519")
        for report in reports {
            let settle = report.settle
            let signature = settle.signatureVerification.seconds
            say(String(
                format: "%11llu  %11d (%d)            %10.1f  %28.1f  %13.1f  %17.1f   %17.2f   %14.2f",
                report.steps, settle.proofBytes, settle.proofDataLeaves, settle.connect.seconds * 1e6, settle.fullCheck.seconds * 1e6, settle.verifyStep.seconds * 1e6,
                signature * 1e6, settle.connect.seconds / signature, settle.fullCheck.seconds / signature))
        }
    }

    /// Sizes in order, runs of equal ones written `1008×5`.
    static func grouped(_ sizes: [Int]) -> String {
        var groups = [(size: Int, count: Int)]()
        for size in sizes {
            if let last = groups.last, last.size == size { groups[groups.count - 1].count += 1 } else { groups.append((size, 1)) }
        }
        return groups.map { $0.count == 1 ? "\($0.size)" : "\($0.size)×\($0.count)" }.joined(separator: ", ")
    }

    static func mean(_ durations: [Duration]) -> Duration? {
        durations.isEmpty ? nil : durations.reduce(.zero, +) / durations.count
    }

    static func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
    static func left(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

    static func millis(_ duration: Duration?) -> Double { (duration?.seconds ?? 0) * 1_000 }
}

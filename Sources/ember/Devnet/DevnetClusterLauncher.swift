import ArgumentParser
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a devnet of several `ember node` processes on one machine: starts them, prefixes their output,
/// passes Ctrl-C and SIGTERM on to them, and stops them all when one of them dies.
struct DevnetClusterLauncher {
    let executable: URL
    /// Node i keeps its data in `baseFolder/node-i`.
    let baseFolder: String
    let count: Int
    let apiBasePort: Int
    let p2pBasePort: Int
    let portStride: Int
    let allMine: Bool
    let threads: Int
    /// Peers every node connects to besides its neighbours in the cluster.
    let extraPeers: [String]
    /// The devnet's consensus options, so every node derives the same genesis.
    let consensusArguments: [String]

    /// How long stopped nodes get to shut down cleanly before they are killed.
    static let stopGraceSeconds = 15

    /// One node of the cluster, as the table shows it and the command line starts it.
    struct Member {
        let index: Int
        let p2pPort: Int
        let apiPort: Int
        let mines: Bool
        let arguments: [String]
    }

    var members: [Member] {
        (0..<count).map { index in
            let p2pPort = p2pBasePort + portStride * index
            let apiPort = apiBasePort + portStride * index
            let mines = index == 0 || allMine
            // Node i joins the chain of nodes before it and node 0, so the cluster is connected from the start.
            let neighbours = index == 0 ? [] : Array(Set([index - 1, 0])).sorted(by: >).map { "127.0.0.1:\(p2pBasePort + portStride * $0)" }
            var arguments = ["node", "--network", "devnet"] + consensusArguments
            arguments += ["--data-dir", URL(fileURLWithPath: baseFolder).appendingPathComponent("node-\(index)").path]
            arguments += ["--api-port", "\(apiPort)", "--p2p-port", "\(p2pPort)", "--threads", "\(threads)"]
            arguments += mines ? ["--mine"] : []
            arguments += (neighbours + extraPeers).flatMap { ["--peer", $0] }
            return Member(index: index, p2pPort: p2pPort, apiPort: apiPort, mines: mines, arguments: arguments)
        }
    }

    func run() async throws {
        let members = self.members
        printTable(members)
        let cluster = RunningCluster()
        // The launcher stops on these signals by stopping its nodes first, never by the default action.
        let signalSources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { cluster.stopAll(with: signalNumber) }
            source.resume()
            return source
        }
        defer { signalSources.forEach { $0.cancel() } }

        let (exits, exitsContinuation) = AsyncStream<NodeExit>.makeStream()
        let output = OpenOutputStreams()
        var processes: [Process] = []
        var failed = false
        for member in members where !cluster.isStopping {
            let process = makeProcess(for: member, exits: exitsContinuation, output: output)
            do {
                try process.run()
            } catch {
                failed = report("cannot start node \(member.index) (\(executable.path)): \(error)")
                cluster.stopAll(with: SIGTERM)
                break
            }
            processes.append(process)
            cluster.started(pid: process.processIdentifier, index: member.index)
        }

        var running = processes.count
        if running == 0 { exitsContinuation.finish() }
        for await exit in exits {
            running -= 1
            cluster.exited(index: exit.index)
            let how = exit.byUncaughtSignal ? "was killed by signal \(exit.status)" : "exited with status \(exit.status)"
            if !cluster.isStopping {
                failed = report("node \(exit.index) \(how) unexpectedly; stopping the others")
                cluster.stopAll(with: SIGTERM)
            } else if exit.status != 0 && !(exit.byUncaughtSignal && exit.status == cluster.stopSignal) {
                // A node still starting has no handler yet, so the signal it was sent ends it at once;
                // that is a stop as asked. Any other end is not.
                failed = report("node \(exit.index) \(how) while stopping")
            }
            if running == 0 { break }
        }
        exitsContinuation.finish()
        // The last lines a node printed may still be on their way through its pipes.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(2)
        while !output.allClosed && clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if failed { throw ExitCode.failure }
        say("all \(count) devnet nodes stopped cleanly")
    }

    private func printTable(_ members: [Member]) {
        say("devnet of \(count) nodes, data under \(baseFolder)")
        say("node  P2P port  API                                   mining")
        for member in members {
            let api = "http://127.0.0.1:\(member.apiPort)/v1/info"
            say("\(pad("\(member.index)", 6))\(pad("\(member.p2pPort)", 10))\(pad(api, 38))\(member.mines ? "yes" : "no")")
        }
    }

    /// A process for `member`, its output prefixed onto ours and its end reported on `exits`.
    private func makeProcess(for member: Member, exits: AsyncStream<NodeExit>.Continuation, output: OpenOutputStreams) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = member.arguments
        process.standardInput = FileHandle.nullDevice
        let prefix = "[node \(member.index)] "
        process.standardOutput = PrefixedLineForwarder.pipe(prefix: prefix, to: .standardOutput, streams: output)
        process.standardError = PrefixedLineForwarder.pipe(prefix: prefix, to: .standardError, streams: output)
        let index = member.index
        process.terminationHandler = { finished in
            exits.yield(NodeExit(index: index, status: finished.terminationStatus, byUncaughtSignal: finished.terminationReason == .uncaughtSignal))
        }
        return process
    }

    /// Says what went wrong at once, before the other nodes' last lines, and returns true: the launcher failed.
    private func report(_ failure: String) -> Bool {
        _ = commandFailure(failure)
        return true
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// How one node's process ended.
    struct NodeExit: Sendable {
        let index: Int
        let status: Int32
        let byUncaughtSignal: Bool
    }
}

/// The process ids of the nodes still running and whether the cluster is stopping, shared with the
/// signal handlers, which may run at any moment on another thread.
private final class RunningCluster: Sendable {
    private struct State {
        var pids: [Int: pid_t] = [:]
        /// The signal the nodes were asked to stop with; nil while they run.
        var stopSignal: Int32?
    }
    private let state = Mutex(State())

    var isStopping: Bool { stopSignal != nil }
    var stopSignal: Int32? { state.withLock { $0.stopSignal } }

    /// Records a node just started; one started while the cluster stops is stopped at once.
    func started(pid: pid_t, index: Int) {
        let stopSignal = state.withLock { state in
            state.pids[index] = pid
            return state.stopSignal
        }
        if let stopSignal { kill(pid, stopSignal) }
    }

    /// Forgets a node that exited, so its process id, which the system may reuse, is never signalled.
    func exited(index: Int) {
        _ = state.withLock { $0.pids.removeValue(forKey: index) }
    }

    /// Passes `signalNumber` to every running node, again each second to those still running (a node
    /// can miss it in the instant it installs its own handler), and kills any left after the grace period.
    func stopAll(with signalNumber: Int32) {
        let first: Bool = state.withLock { state in
            guard state.stopSignal == nil else { return false }
            state.stopSignal = signalNumber
            return true
        }
        if first { signalRemaining(signalNumber, resendsLeft: DevnetClusterLauncher.stopGraceSeconds) }
    }

    private func signalRemaining(_ signalNumber: Int32, resendsLeft: Int) {
        let pids = state.withLock { Array($0.pids.values) }
        guard !pids.isEmpty else { return }
        for pid in pids { kill(pid, resendsLeft > 0 ? signalNumber : SIGKILL) }
        guard resendsLeft > 0 else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(1)) { [self] in
            signalRemaining(signalNumber, resendsLeft: resendsLeft - 1)
        }
    }
}

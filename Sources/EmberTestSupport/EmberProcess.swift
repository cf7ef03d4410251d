import Dispatch
import Foundation
import Synchronization

/// One long-running `ember` process for end-to-end tests (an operator, a watcher, a daemon): its output
/// appended to a log file that survives restarts, started again on the same arguments after a kill.
public final class EmberProcess: @unchecked Sendable {
    public let arguments: [String]
    public let log: URL
    /// The port of its HTTP API, when it serves one.
    public let port: Int
    public private(set) var process = Process()
    /// When set, the process runs under `nice -n niceness`, so a load test leaves the cores to the
    /// node processes other suites start at the same time.
    public let niceness: Int?

    public init(arguments: [String], port: Int = 0, log: URL, niceness: Int? = nil) {
        self.arguments = arguments
        self.niceness = niceness
        self.port = port
        self.log = log
    }

    public func start() throws {
        process = Process()
        if let niceness {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
            process.arguments = ["-n", "\(niceness)", try EmberBinary.url().path] + arguments
        } else {
            process.executableURL = try EmberBinary.url()
            process.arguments = arguments
        }
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Stops it at once, as a crash or a pulled plug would.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    public var url: String { "http://127.0.0.1:\(port)" }

    public func get(_ path: String) async -> [String: Any]? {
        guard let (status, json) = try? await LocalHTTP.getJSON(url + path), status == 200 else { return nil }
        return json
    }

    // MARK: - Waiting

    /// Whether `condition` holds within `seconds`, asked every 150 ms.
    public static func eventually(seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(150))
        }
        return false
    }

    /// Mines a block every `every` until `condition` holds (at most `blocks` blocks); a block the node
    /// refuses is an error.
    public static func mineUntil(
        _ node: NodeProcess, blocks: Int, every: Duration = .milliseconds(250), _ condition: () async throws -> Bool
    ) async throws -> Bool {
        for _ in 0..<blocks {
            if try await condition() { return true }
            let mined = try await node.mineBlock()
            guard mined.outcome == "connected" else {
                throw NodeProcess.MiningFailure(description: "the node refused a mined block: \(String(describing: mined.outcome))")
            }
            try? await Task.sleep(for: every)
        }
        return try await condition()
    }

    /// Set when a run of `runEmber` has exited.
    public final class Finished: Sendable {
        let flag = Mutex(false)
        public init() {}
        public var isSet: Bool { flag.withLock { $0 } }
    }

    /// Runs `ember ARGUMENTS` to completion on a Dispatch thread, so the test's own threads stay free to
    /// mine meanwhile; `finished` is set when it exits.
    public static func runEmber(_ arguments: [String], finished: Finished = Finished()) -> Task<EmberBinary.Output, any Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    let result = Result { try EmberBinary.run(arguments) }
                    finished.flag.withLock { $0 = true }
                    continuation.resume(with: result)
                }
            }
        }
    }
}

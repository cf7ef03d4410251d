import EmberChain
import EmberCore
import EmberStore
import EmberTestSupport
import Foundation
import Logging
import Synchronization
import Testing
@testable import EmberNode

@Suite("a node stops on its own store errors")
struct NodeStoreFailureTests {
    static func configuration(folder: URL) -> NodeConfiguration {
        NodeConfiguration(
            dataDir: folder.path, network: NetworkSettings(), apiHost: "127.0.0.1", apiPort: 0, apiKey: nil, mine: false,
            minerKey: nil, threads: 1)
    }

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ember-store-failure-\(UUID().uuidString)")
    }

    @Test("a failed connect stops the run with the store's error, and a restart resumes from the last written block")
    func failedConnectStopsTheNode() async throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reports = ReportLog()
        let node = try await Node(
            configuration: Self.configuration(folder: folder), logger: Logger(label: "test"), report: { reports.append($0) },
            wrapStore: { FailingChainStore(base: $0, failingFromHeight: 3) })
        let running = Task { try await node.run() }

        var blocks = SyntheticChain(params: node.folder.params)
        let (first, second, third) = (try blocks.nextBlock(transactions: 0), try blocks.nextBlock(transactions: 0), try blocks.nextBlock(transactions: 0))
        let nowMs = third.header.timestamp + 1_000
        #expect(try await node.chain.submit(first, nowMs: nowMs) == .connected(tip: first.hash, height: 1))
        #expect(try await node.chain.submit(second, nowMs: nowMs) == .connected(tip: second.hash, height: 2))
        await #expect(throws: ChainError.self) { try await node.chain.submit(third, nowMs: nowMs) }

        let stopped = await Self.outcome(of: running, within: .seconds(20))
        let failure = try #require(stopped as? NodeFailure)
        #expect("\(failure)".contains("disk I/O error (injected by the test)"))
        #expect("\(failure)".contains("connecting block \(third.hash)"))
        #expect(reports.lines.contains { $0.hasPrefix("stopping: ") && $0.contains("disk I/O error") })

        // The database holds the chain up to the last block written; the third block's body was
        // stored before its connect failed, so a restart connects it from the disk.
        let durable = try DataFolder.open(path: folder.path, requested: nil).store.tip()
        #expect(durable?.hash == second.hash)
        #expect(durable?.height == 2)
        let restarted = try await Node(configuration: Self.configuration(folder: folder), logger: Logger(label: "test")) { _ in }
        let tip = await restarted.chain.tip
        #expect(tip.hash == third.hash)
        #expect(tip.header.height == 3)
    }

    /// The error `task` ended with, or nil when it returned; cancels it after `limit`.
    static func outcome(of task: Task<Void, any Error>, within limit: Duration) async -> (any Error)? {
        let watchdog = Task {
            try await Task.sleep(for: limit)
            task.cancel()
        }
        defer { watchdog.cancel() }
        switch await task.result {
        case .success: return nil
        case .failure(let error): return error
        }
    }
}

/// Lines a node reported, collected across tasks.
final class ReportLog: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ line: String) { entries.withLock { $0.append(line) } }
    var lines: [String] { entries.withLock { $0 } }
}

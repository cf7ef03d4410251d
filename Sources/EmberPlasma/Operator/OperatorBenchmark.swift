import AsyncHTTPClient
import EmberCore
import EmberCrypto
import Foundation
import Logging
import NIOCore
import NIOPosix

/// Issue 16's operator figure: child transactions per second through a running operator, durable,
/// beside the raw Ed25519 verification rate of the same run (admission is one verification per move).
///
/// Registers `moves` deposits in a fresh store, signs a first move of each (outside the timing), starts
/// the operator on 127.0.0.1 with its sealing loop, and posts the moves in batches over HTTP with a few
/// requests in flight; the time runs from the first request to the last answer, and every answer
/// arrives only after its accepted moves are committed to SQLite (synchronous = FULL).
public enum OperatorBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public let moves: Int
        public let batchSize: Int
        public let concurrentRequests: Int
        public let seconds: Double
        /// Moves accepted and stored per second, over HTTP.
        public let movesPerSecond: Double
        /// `ChildTransaction.isSigned` per second on one thread, measured in the same run.
        public let verificationsPerSecondPerCore: Double
        public let cores: Int
        /// Blocks sealed by the loop while the moves came in, and after.
        public let sealedBlocks: UInt64

        /// Verifications per second on every core: what admission could reach if it did nothing else.
        public var verificationCeiling: Double { verificationsPerSecondPerCore * Double(cores) }

        public var description: String {
            [
                String(format: "operator admission   %8.0f moves/s  (%d moves in batches of %d, %d requests in flight, %.2f s, over http://127.0.0.1, stored with synchronous = FULL)",
                       movesPerSecond, moves, batchSize, concurrentRequests, seconds),
                String(format: "raw Ed25519 verify   %8.0f /s on 1 core (ChildTransaction.isSigned)", verificationsPerSecondPerCore),
                String(format: "signature ceiling    %8.0f moves/s on this machine's %d cores (verifications/s × cores)", verificationCeiling, cores),
                String(format: "moves / ceiling      %8.2f      (issue 16 asks ≥ 10 000 moves/s)", movesPerSecond / verificationCeiling),
                "blocks sealed        \(sealedBlocks)",
            ].joined(separator: "\n")
        }
    }

    /// Why a run did not measure what it should.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs the benchmark with its store in `folder` (created, and removed afterwards).
    public static func run(
        moves: Int = 100_000, batchSize: Int = ChildTransactionBatch.maxCount, concurrentRequests: Int = 4,
        blockInterval: Duration = .seconds(2), folder: URL, logger: Logger
    ) async throws -> Report {
        guard moves >= 1, (1...ChildTransactionBatch.maxCount).contains(batchSize), concurrentRequests >= 1 else {
            throw Failure(description: "moves ≥ 1, batch size 1…\(ChildTransactionBatch.maxCount) and ≥ 1 request in flight")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let network = NetworkID.devnet
        let store = try OperatorStore(
            path: folder.appendingPathComponent("operator.sqlite").path, chainId: Blake3.hash(Array("bench chain".utf8)), network: network)

        // Sixteen depositors sign every first move; one key per move would only slow the set-up.
        let depositors = (0..<16).map { SigningKey.devnet(index: 100 + UInt32($0)) }
        let receiver = RawPublicKey(SigningKey.devnet(index: 99).publicKey.bytes)!
        let coins = (0..<moves).map { Blake3.hash(Array("bench coin \($0)".utf8)) }
        try store.registerDeposits(coins.enumerated().map { index, coin in
            OperatorStore.Deposit(
                coinId: coin, depositorKey: RawPublicKey(depositors[index % depositors.count].publicKey.bytes)!,
                amount: Amount(units: 1_000_000_000_000_000), firstBlock: 1)
        })
        let signed = ParallelBatch.map(moves) { index in
            try? ChildTransaction(
                coinId: coins[index], parentBlock: 0, newOwnerKey: receiver, signedBy: depositors[index % depositors.count], network: network)
        }
        let transactions = signed.compactMap { $0 }
        guard transactions.count == moves else { throw Failure(description: "signing a move failed") }
        let bodies = stride(from: 0, to: moves, by: batchSize).map { start in
            ChildTransactionBatch.encode(transactions[start..<min(moves, start + batchSize)])
        }

        var quiet = logger
        quiet.logLevel = .warning
        let service = OperatorService(store: store, configuration: .init(blockInterval: blockInterval), logger: quiet)
        // Stopping the listener by cancelling its task makes Hummingbird log an error; nothing failed.
        var serverLogger = logger
        serverLogger.logLevel = .critical
        let (port, serving) = try await OperatorServer(service: service, port: 0, logger: serverLogger).start()
        defer { serving.cancel() }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrentRequests
        let client = HTTPClient(eventLoopGroup: group, configuration: configuration)
        let url = "http://127.0.0.1:\(port)/v1/plasma/transactions"
        let clock = ContinuousClock()
        let start = clock.now
        let accepted: Int
        do {
            accepted = try await post(bodies, to: url, client: client, concurrentRequests: concurrentRequests)
        } catch {
            try? await client.shutdown()
            throw error
        }
        let seconds = (clock.now - start).seconds
        try await client.shutdown()
        try await group.shutdownGracefully()
        guard accepted == moves else { throw Failure(description: "the operator accepted \(accepted) of \(moves) moves") }
        try await service.sealBlock()
        let sealedBlocks = try store.lastBlockNumber()
        guard try store.pendingCount() == 0 else { throw Failure(description: "moves are still pending after the last seal") }

        return Report(
            moves: moves, batchSize: batchSize, concurrentRequests: concurrentRequests, seconds: seconds,
            movesPerSecond: Double(moves) / seconds, verificationsPerSecondPerCore: verificationRate(transactions, owners: depositors),
            cores: ProcessInfo.processInfo.activeProcessorCount, sealedBlocks: sealedBlocks)
    }

    /// Posts every body with up to `concurrentRequests` in flight; returns the moves the answers accepted.
    static func post(_ bodies: [[UInt8]], to url: String, client: HTTPClient, concurrentRequests: Int) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            var accepted = 0
            func send(_ body: [UInt8]) async throws -> Int {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.body = .bytes(ByteBuffer(bytes: body))
                let response = try await client.execute(request, timeout: .seconds(120))
                let answer = try await response.body.collect(upTo: 16 << 20)
                guard response.status == .ok else {
                    throw Failure(description: "the operator answered \(response.status): \(String(buffer: answer))")
                }
                struct Counts: Decodable { let accepted: Int }
                return try JSONDecoder().decode(Counts.self, from: Data(answer.readableBytesView)).accepted
            }
            while next < min(concurrentRequests, bodies.count) {
                let body = bodies[next]
                group.addTask { try await send(body) }
                next += 1
            }
            while let count = try await group.next() {
                accepted += count
                if next < bodies.count {
                    let body = bodies[next]
                    group.addTask { try await send(body) }
                    next += 1
                }
            }
            return accepted
        }
    }

    /// Verifications of real moves per second on this thread, as admission makes them.
    static func verificationRate(_ moves: [ChildTransaction], owners: [SigningKey]) -> Double {
        let count = min(moves.count, 2_000)
        let keys = owners.map { RawPublicKey($0.publicKey.bytes)! }
        let clock = ContinuousClock()
        let start = clock.now
        var valid = 0
        for index in 0..<count where moves[index].isSigned(by: keys[index % keys.count], network: .devnet) { valid += 1 }
        let seconds = (clock.now - start).seconds
        precondition(valid == count, "a move the benchmark signed did not verify")
        return Double(count) / seconds
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

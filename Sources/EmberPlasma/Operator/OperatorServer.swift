import Foundation
import Hummingbird
import Logging
import NIOCore

/// The operator's HTTP listener (the routes of `OperatorRoutes`) and its sealing loop, run together:
/// stopping one stops both.
public struct OperatorServer: Sendable {
    public let service: OperatorService
    public let host: String
    /// The port asked for; 0 lets the system choose, and `start` reports the one bound.
    public let port: Int
    public let logger: Logger
    /// Blocks one `GET /v1/plasma/coins/{coinId}/history` answer covers at most.
    public let maxHistoryBlocks: Int

    /// Bounds a history request's work (a proof per block, and a tree rebuilt for each block no longer in
    /// memory) and its answer (about 16 MiB if every proof were the largest, 8 224 bytes).
    public static let defaultMaxHistoryBlocks = 1_000

    public init(
        service: OperatorService, host: String = "127.0.0.1", port: Int, logger: Logger, maxHistoryBlocks: Int = defaultMaxHistoryBlocks
    ) {
        self.service = service
        self.host = host
        self.port = port
        self.logger = logger
        self.maxHistoryBlocks = min(max(1, maxHistoryBlocks), Self.defaultMaxHistoryBlocks)
    }

    /// The router with every operator route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        OperatorRoutes(service: service, maxHistoryBlocks: maxHistoryBlocks).add(to: router)
        return router
    }

    /// The listener, with the sealing loop as one of its services when `sealing` is set (off for a
    /// caller that seals by hand, such as a test). `onListening` gets the bound port.
    public func application(sealing: Bool = true, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "ember-plasma-operator"),
            services: sealing ? [service] : [],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// Starts serving in a task of its own and returns once the listener is bound, with its port and the
    /// task (cancel it to stop). Throws the bind's error when the listener cannot start.
    public func start(sealing: Bool = true) async throws -> (port: Int, serving: Task<Void, any Error>) {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = self.application(sealing: sealing) { port in continuation.yield(port) }
        let serving = Task {
            defer { continuation.finish() }
            try await application.run()
        }
        for await port in ports { return (port, serving) }
        // The stream ended without a port: the application stopped before listening.
        try await serving.value
        throw OperatorServerError.stoppedBeforeListening(host: host, port: port)
    }
}

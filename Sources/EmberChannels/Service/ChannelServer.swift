import EmberCore
import EmberCrypto
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// The channel service's two listeners: the peer-facing one (the WebSocket other channel services
/// connect to, and the watchtower's intake) and the control API on 127.0.0.1 that `ember channel`
/// commands call. Separate ports, so exposing the first never exposes the second.
public struct ChannelServer: Sendable {
    public let service: ChannelService
    public let peerHost: String
    public let peerPort: Int
    public let controlPort: Int
    public let logger: Logger
    /// Extra routes on the peer-facing listener (the watchtower's).
    public let peerRoutes: @Sendable (Router<BasicWebSocketRequestContext>) -> Void

    /// The largest control request body.
    static let maxBodySize = 64 * 1_024

    public init(
        service: ChannelService, peerHost: String, peerPort: Int, controlPort: Int, logger: Logger,
        peerRoutes: @escaping @Sendable (Router<BasicWebSocketRequestContext>) -> Void = { _ in }
    ) {
        self.service = service
        self.peerHost = peerHost
        self.peerPort = peerPort
        self.controlPort = controlPort
        self.logger = logger
        self.peerRoutes = peerRoutes
    }

    /// Runs both listeners (and `others`) until SIGINT or SIGTERM.
    public func run(with others: [any Service] = []) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [peerApplication(), controlApplication()] + others, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    public func peerApplication() -> some ApplicationProtocol {
        let router = Router(context: BasicWebSocketRequestContext.self)
        let service = self.service
        router.ws("/v1/peer") { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            await service.runLink(inbound: inbound, outbound: outbound)
        }
        peerRoutes(router)
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: ChannelMessage.maxSize))),
            configuration: .init(address: .hostname(peerHost, port: peerPort), serverName: "ember-channels"),
            logger: logger)
    }

    public func controlApplication() -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        ControlRoutes(service: service).add(to: router)
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: controlPort), serverName: "ember-channels-control"),
            logger: logger)
    }
}

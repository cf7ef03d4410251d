import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The dialing side of a peer WebSocket, on SwiftNIO's channel handlers.
///
/// Hummingbird's WebSocket client crashed here in unoptimised builds (docs/channels.md, "Known
/// issues") and pulls in TLS we do not use; this client forwards frames from a plain channel handler
/// into an async stream; the listening side stays Hummingbird's. Binary messages only, each in one
/// frame of at most `maxFrameSize` bytes, masked as RFC 6455 requires of a client.
enum PeerSocketClient {
    enum Failure: Error, CustomStringConvertible {
        case badURL(String)
        case notUpgraded

        var description: String {
            switch self {
            case .badURL(let url): "'\(url)' is not a ws://host:port/path URL"
            case .notUpgraded: "the peer did not accept the WebSocket upgrade within 5 s"
            }
        }
    }

    /// Connects to `url` and runs `body` with the peer's messages and a sender, until `body` returns.
    static func run(
        url: String, maxFrameSize: Int,
        body: @escaping @Sendable (AsyncThrowingStream<[UInt8], any Error>, @escaping @Sendable ([UInt8]) async throws -> Void) async -> Void
    ) async throws {
        let (host, port, path) = try parse(url)
        let (messages, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        let group = MultiThreadedEventLoopGroup.singleton
        let upgraded = group.next().makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: maxFrameSize, automaticErrorHandling: true) { channel, _ in
                        channel.pipeline.addHandler(FrameForwarder(continuation: continuation)).map { upgraded.succeed() }
                    }
                    return channel.pipeline.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes, withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
                .connect(host: host, port: port).get()
        } catch {
            upgraded.fail(error)
            throw error
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Content-Length", value: "0")
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(5)) { upgraded.fail(Failure.notUpgraded) }
        do {
            try await upgraded.futureResult.get()
            timeout.cancel()
        } catch {
            try? await channel.close().get()
            throw error
        }
        let send: @Sendable ([UInt8]) async throws -> Void = { bytes in
            try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: ByteBuffer(bytes: bytes))).get()
        }
        await body(messages, send)
        try? await channel.close().get()
    }

    static func parse(_ url: String) throws -> (host: String, port: Int, path: String) {
        guard url.hasPrefix("ws://") else { throw Failure.badURL(url) }
        let rest = url.dropFirst("ws://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65_535).contains(port) else { throw Failure.badURL(url) }
        return (String(parts[0]), port, path.isEmpty ? "/" : String(path))
    }
}

/// Hands the peer's binary messages to the link; answers pings; ends the stream on anything else.
private final class FrameForwarder: ChannelInboundHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init(continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary where frame.fin:
            continuation.yield(Array(buffer: frame.unmaskedData))
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        default:
            // A close, a text message or a fragmented one: the channel protocol has no use for them.
            continuation.finish()
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }
}

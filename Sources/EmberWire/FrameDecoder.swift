import EmberCrypto
import NIOCore

/// Turns a peer's byte stream into `WireMessage`s, one frame at a time.
///
/// The header is checked as soon as its 13 bytes arrive: a wrong magic or a length over
/// `Frame.maxPayloadSize` fails at once, before the payload is waited for. Errors are `WireError`s; after
/// one the connection should be closed and the peer scored by `WireError.misbehaviourScore`.
///
/// A payload is buffered as its bytes arrive, never reserved by the length its header announces, and
/// what a partial frame holds is reported to the node's `FrameBudget` after every read: a connection the
/// budget drops fails with `FrameBudget.Exceeded`, which is not the peer's fault.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = WireMessage

    /// The network whose magic every frame must carry.
    public let network: NetworkID
    /// Where this connection's buffered bytes count against every other connection's; nil for none.
    public let budget: FrameBudget?

    public init(network: NetworkID, budget: FrameBudget? = nil) {
        self.network = network
        self.budget = budget
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try decodeMessage(from: &buffer) else {
            if let budget, !budget.hold(buffer.readableBytes, for: context.channel) { throw FrameBudget.Exceeded(limit: budget.limit) }
            return .needMoreData
        }
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        // A partial frame left at the end of the stream stays unread; NIO reports it as leftover data.
        try decode(context: context, buffer: &buffer)
    }

    public mutating func decoderRemoved(context: ChannelHandlerContext) {
        budget?.release(context.channel)
    }

    /// Reads one complete frame from `buffer` and decodes its message, or returns nil and reads nothing
    /// while the frame is incomplete.
    public func decodeMessage(from buffer: inout ByteBuffer) throws(WireError) -> WireMessage? {
        guard let header = try FrameHeader(parsing: buffer.readableBytesView, network: network) else { return nil }
        let payloadLength = Int(header.payloadLength)
        guard buffer.readableBytes >= FrameHeader.size + payloadLength else { return nil }
        buffer.moveReaderIndex(forwardBy: FrameHeader.size)
        let payload = buffer.readBytes(length: payloadLength) ?? []
        return try Frame(header: header, payload: payload).message()
    }
}

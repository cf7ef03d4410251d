import EmberCrypto
import NIOCore

/// Writes each outbound `WireMessage` as one frame on `network`.
public struct MessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = WireMessage

    /// The network whose magic every frame carries.
    public let network: NetworkID

    public init(network: NetworkID) {
        self.network = network
    }

    public func encode(data message: WireMessage, out: inout ByteBuffer) {
        out.writeBytes(Frame(network: network, message: message).encoded)
    }
}

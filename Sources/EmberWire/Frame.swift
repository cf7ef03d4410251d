import EmberCrypto

/// One message on the wire: a `FrameHeader` and the payload it describes (DESIGN.md section 13).
public struct Frame: Hashable, Sendable {
    /// Bounds the bytes one frame can make us buffer before checking anything (8 MiB, twice a block).
    public static let maxPayloadSize = 8 * 1_024 * 1_024

    /// What a decoding attempt over a prefix of the stream found.
    public enum DecodingResult: Hashable, Sendable {
        /// The bytes end before the frame does; try again with more.
        case needMoreBytes
        /// A complete frame that took the first `byteCount` bytes.
        case frame(Frame, byteCount: Int)
    }

    public var network: NetworkID
    public var commandCode: UInt8
    public var payload: [UInt8]

    public init(network: NetworkID, commandCode: UInt8, payload: [UInt8]) {
        self.network = network
        self.commandCode = commandCode
        self.payload = payload
    }

    /// The frame that carries `message` on `network`.
    public init(network: NetworkID, message: WireMessage) {
        self.init(network: network, commandCode: message.commandCode, payload: message.encodedPayload)
    }

    /// The header describing this frame's payload.
    public var header: FrameHeader {
        FrameHeader(
            network: network,
            commandCode: commandCode,
            payloadLength: UInt32(truncatingIfNeeded: payload.count),
            checksum: FrameHeader.checksum(of: payload)
        )
    }

    /// The frame's bytes: header, then payload.
    public var encoded: [UInt8] {
        header.encoded + payload
    }

    /// The message in the payload, decoded within its command's limits.
    public func message() throws(WireError) -> WireMessage {
        try WireMessage.decode(commandCode: commandCode, payload: payload)
    }

    /// Decodes the frame at the start of `bytes`, expected on `network`; bytes after it are left alone.
    ///
    /// The header is checked as soon as its 13 bytes are there, and the checksum once the payload is.
    public static func decode(
        from bytes: some Collection<UInt8>,
        network: NetworkID
    ) throws(WireError) -> DecodingResult {
        guard let header = try FrameHeader(parsing: bytes, network: network) else { return .needMoreBytes }
        let frameSize = FrameHeader.size + Int(header.payloadLength)
        guard bytes.count >= frameSize else { return .needMoreBytes }
        let payload = Array(bytes.dropFirst(FrameHeader.size).prefix(Int(header.payloadLength)))
        return .frame(try Frame(header: header, payload: payload), byteCount: frameSize)
    }

    /// A frame from a parsed header and its payload, after checking the payload against the checksum.
    init(header: FrameHeader, payload: [UInt8]) throws(WireError) {
        let checksum = FrameHeader.checksum(of: payload)
        guard checksum == header.checksum else {
            throw .badChecksum(command: header.commandCode, expected: checksum, received: header.checksum)
        }
        self.init(network: header.network, commandCode: header.commandCode, payload: payload)
    }
}

import EmberCore
import EmberCrypto
import EmberTestSupport
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import EmberWire

@Suite("Frame decoder (NIO)")
struct FrameDecoderTests {
    private func frameBuffer(_ messages: [WireMessage], network: NetworkID = .devnet) -> ByteBuffer {
        ByteBuffer(bytes: messages.flatMap { Frame(network: network, message: $0).encoded })
    }

    @Test("the decoder verifier feeds frames byte by byte and in pieces and gets every message back")
    func verifier() throws {
        var generator = SeededGenerator(seed: 21)
        let messages = RandomMessages.oneOfEach(using: &generator) + [.unknown(command: 99, payload: [7, 7])]
        var pairs = messages.map { (frameBuffer([$0]), [$0]) }
        pairs.append((frameBuffer(Array(messages.prefix(4))), Array(messages.prefix(4))))
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            FrameDecoder(network: .devnet)
        }
    }

    @Test("a channel decodes frames and the encoder writes them back")
    func channelRoundTrip() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(network: .devnet)))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MessageEncoder(network: .devnet)))
        var generator = SeededGenerator(seed: 22)
        let messages = RandomMessages.oneOfEach(using: &generator)
        try channel.writeInbound(frameBuffer(messages))
        for message in messages {
            #expect(try channel.readInbound(as: WireMessage.self) == message)
        }
        try channel.writeOutbound(WireMessage.ping(PingMessage(nonce: 3)))
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(written == frameBuffer([.ping(PingMessage(nonce: 3))]))
        #expect(try channel.finish().isClean)
    }

    @Test("an oversize length is refused with only the 13-byte header received")
    func oversizeBeforePayload() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(network: .devnet)))
        let length = UInt32(Frame.maxPayloadSize + 1)
        let header = FrameHeader(network: .devnet, commandCode: 8, payloadLength: length, checksum: [1, 2, 3, 4])
        #expect(throws: WireError.frameTooLarge(length: length, limit: Frame.maxPayloadSize)) {
            try channel.writeInbound(ByteBuffer(bytes: header.encoded))
        }
        _ = try? channel.finish()
    }

    @Test("a length of exactly 8 MiB is waited for, not refused")
    func maximumLengthWaits() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(network: .devnet)))
        let header = FrameHeader(
            network: .devnet,
            commandCode: 200,
            payloadLength: UInt32(Frame.maxPayloadSize),
            checksum: [1, 2, 3, 4]
        )
        try channel.writeInbound(ByteBuffer(bytes: header.encoded))
        #expect(try channel.readInbound(as: WireMessage.self) == nil)
        _ = try? channel.finish()
    }

    @Test("wrong magic, bad checksum and malformed payloads fail the channel with a WireError")
    func channelErrors() throws {
        var badChecksum = Frame(network: .devnet, message: .ping(PingMessage(nonce: 1))).encoded
        badChecksum[12] ^= 0xFF
        let cases: [[UInt8]] = [
            Frame(network: .testnet, message: .verack).encoded,
            badChecksum,
            Frame(network: .devnet, commandCode: WireCommand.ping.rawValue, payload: [1, 2, 3]).encoded,
        ]
        for bytes in cases {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(network: .devnet)))
            let error = #expect(throws: WireError.self) { try channel.writeInbound(ByteBuffer(bytes: bytes)) }
            #expect(error?.misbehaviourScore == MisbehaviourScore.ban)
            _ = try? channel.finish()
        }
    }

    /// Random input, sometimes behind a valid magic and length so that the checksum and payload decoders are
    /// reached too. The NIO decoder and the pure one must agree on every input.
    @Test("10 000 random byte strings never crash the decoder, which agrees with Frame.decode")
    func randomBytes() throws {
        var generator = SeededGenerator(seed: 23)
        let decoder = FrameDecoder(network: .devnet)
        var outcomes: [String: Int] = [:]
        for _ in 0..<10_000 {
            let bytes = randomInput(using: &generator)
            var buffer = ByteBuffer(bytes: bytes)
            let viaBuffer = Result { () throws(WireError) in try decoder.decodeMessage(from: &buffer) }
            let viaFrame = Result { () throws(WireError) -> WireMessage? in
                switch try Frame.decode(from: bytes, network: .devnet) {
                case .needMoreBytes: nil
                case .frame(let frame, _): try frame.message()
                }
            }
            #expect(viaBuffer == viaFrame, "decoders disagree on \(bytes.hexString)")
            switch viaFrame {
            case .success(.some): outcomes["message", default: 0] += 1
            case .success(.none): outcomes["incomplete", default: 0] += 1
            case .failure(let error): outcomes[String(describing: error).prefix(12).description, default: 0] += 1
            }
        }
        // The generator must reach past the header checks, or the test proves little.
        #expect(outcomes["message", default: 0] > 100)
        #expect(outcomes.keys.contains { $0.hasPrefix("frame magic") })
        #expect(outcomes.count >= 5, "outcomes: \(outcomes)")
    }

    @Test("every single-byte corruption of valid frames is refused or decoded, never a crash")
    func corruptedFrames() throws {
        var generator = SeededGenerator(seed: 24)
        let decoder = FrameDecoder(network: .devnet)
        for message in RandomMessages.oneOfEach(using: &generator) {
            let bytes = Frame(network: .devnet, message: message).encoded
            for _ in 0..<200 {
                var corrupted = bytes
                let index = Int.random(in: 0..<corrupted.count, using: &generator)
                corrupted[index] ^= UInt8.random(in: 1...255, using: &generator)
                var buffer = ByteBuffer(bytes: corrupted)
                let result = Result { () throws(WireError) in try decoder.decodeMessage(from: &buffer) }
                if case .success(.some(let decoded)) = result {
                    // Only a changed command byte can still pass the checksum.
                    #expect(index == 4 && decoded.commandCode == corrupted[4])
                }
            }
        }
    }

    private func randomInput(using generator: inout SeededGenerator) -> [UInt8] {
        let tail = RandomValues.bytes(count: Int.random(in: 0...48, using: &generator), using: &generator)
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:
            return tail
        case 1:
            return FrameHeader.magic(for: .devnet) + tail
        default:
            let command = UInt8.random(in: 0...14, using: &generator)
            let checksum = Bool.random(using: &generator)
                ? FrameHeader.checksum(of: tail)
                : RandomValues.bytes(count: 4, using: &generator)
            let announced = Int.random(in: 0..<8, using: &generator) == 0
                ? UInt32.random(in: .min ... .max, using: &generator)
                : UInt32(tail.count)
            let header = FrameHeader(
                network: .devnet,
                commandCode: command,
                payloadLength: announced,
                checksum: checksum
            )
            return header.encoded + tail
        }
    }
}

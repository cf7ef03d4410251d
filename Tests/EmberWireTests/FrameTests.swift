import EmberCore
import EmberCrypto
import EmberTestSupport
import NIOCore
import NIOEmbedded
import Testing

@testable import EmberWire

@Suite("Frames")
struct FrameTests {
    @Test("a verack frame on devnet has the exact layout of DESIGN.md section 13")
    func verackLayout() {
        // The checksum is the start of Blake3 of the empty string, af1349b9f5f9a1a6...
        let expected: [UInt8] = [0x45, 0x4D, 0x42, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0xAF, 0x13, 0x49, 0xB9]
        #expect(Frame(network: .devnet, message: .verack).encoded == expected)
    }

    @Test("a ping frame on mainnet: magic, command, big-endian length, checksum, payload")
    func pingLayout() throws {
        let payload: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let bytes = Frame(network: .mainnet, message: .ping(PingMessage(nonce: 0x0102_0304_0506_0708))).encoded
        let checksum = Array(Blake3.hash(payload).bytes.prefix(4))
        #expect(bytes == [0x45, 0x4D, 0x42, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08] + checksum + payload)
        #expect(try FrameHeader(parsing: bytes, network: .mainnet)?.payloadLength == 8)
        #expect(try FrameHeader(parsing: bytes.prefix(12), network: .mainnet) == nil)
    }

    @Test("a frame is decoded only once complete, and leaves the bytes after it")
    func incompleteAndFollowingBytes() throws {
        let bytes = Frame(network: .testnet, message: .ping(PingMessage(nonce: 9))).encoded
        for length in 0..<bytes.count {
            #expect(try Frame.decode(from: bytes.prefix(length), network: .testnet) == .needMoreBytes)
        }
        let result = try Frame.decode(from: bytes + [0xEE, 0xEE], network: .testnet)
        let expected = Frame(network: .testnet, message: .ping(PingMessage(nonce: 9)))
        #expect(result == .frame(expected, byteCount: bytes.count))
    }

    @Test("a frame for another network or protocol is refused by its magic")
    func wrongMagic() {
        let bytes = Frame(network: .mainnet, message: .verack).encoded
        #expect(throws: WireError.badMagic(expected: [0x45, 0x4D, 0x42, 0x02], received: [0x45, 0x4D, 0x42, 0x00])) {
            try Frame.decode(from: bytes, network: .devnet)
        }
        let http = Array("GET / HTTP/1.1\r\n".utf8)
        #expect(throws: WireError.badMagic(expected: [0x45, 0x4D, 0x42, 0x00], received: Array("GET ".utf8))) {
            try Frame.decode(from: http, network: .mainnet)
        }
    }

    @Test("a payload that does not match its checksum is refused")
    func badChecksum() {
        var bytes = Frame(network: .devnet, message: .ping(PingMessage(nonce: 5))).encoded
        bytes[bytes.count - 1] ^= 0x01
        let error = #expect(throws: WireError.self) { try Frame.decode(from: bytes, network: .devnet) }
        guard case .badChecksum(let command, _, let received) = error else {
            Issue.record("expected a checksum error, got \(String(describing: error))")
            return
        }
        #expect(command == WireCommand.ping.rawValue)
        #expect(received == Array(bytes[9..<13]))
        #expect(error?.misbehaviourScore == MisbehaviourScore.ban)
    }

    @Test("an unknown command yields .unknown with its payload")
    func unknownCommand() throws {
        let frame = Frame(network: .devnet, commandCode: 200, payload: [1, 2, 3])
        guard case .frame(let decoded, _) = try Frame.decode(from: frame.encoded, network: .devnet) else {
            Issue.record("a complete frame was not decoded")
            return
        }
        #expect(try decoded.message() == .unknown(command: 200, payload: [1, 2, 3]))
        #expect(MisbehaviourScore.unknownCommand < MisbehaviourScore.ban)
    }

    @Test("an announced length over 8 MiB is refused from the header alone")
    func oversizeFromHeader() {
        let header = FrameHeader(
            network: .devnet,
            commandCode: WireCommand.block.rawValue,
            payloadLength: UInt32(Frame.maxPayloadSize + 1),
            checksum: [0, 0, 0, 0]
        ).encoded
        #expect(header.count == FrameHeader.size)
        let expected = WireError.frameTooLarge(length: UInt32(Frame.maxPayloadSize + 1), limit: Frame.maxPayloadSize)
        #expect(throws: expected) { try Frame.decode(from: header, network: .devnet) }
        #expect(expected.misbehaviourScore == MisbehaviourScore.ban)
    }

    @Test("errors are phrased for a person and name the values")
    func errorDescriptions() {
        #expect(WireError.frameTooLarge(length: 9_000_000, limit: Frame.maxPayloadSize).description.contains("9000000"))
        let badMagic = WireError.badMagic(expected: [0x45, 0x4D, 0x42, 0x02], received: [0, 0, 0, 0])
        #expect(badMagic.description.contains("454d4202"))
        let malformed = WireError.malformedPayload(.addr, DecodingError(.truncated, path: [.field("addr")]))
        #expect(malformed.description.contains("addr payload is malformed"))
    }
}

import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@testable import EmberWire

@Suite("Wire messages")
struct MessageCodecTests {
    @Test("every message round-trips through a frame with random contents", arguments: 0..<50)
    func roundTrip(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let messages = RandomMessages.oneOfEach(using: &generator)
        #expect(messages.map(\.commandCode) == WireCommand.allCases.map(\.rawValue))
        for message in messages {
            let bytes = Frame(network: .devnet, message: message).encoded
            guard case .frame(let frame, let byteCount) = try Frame.decode(from: bytes, network: .devnet) else {
                Issue.record("a complete frame for \(message.commandCode) was not decoded")
                continue
            }
            #expect(byteCount == bytes.count)
            #expect(try frame.message() == message)
            #expect(frame.encoded == bytes)
        }
    }

    @Test("every command code decodes to the message of that command")
    func commandCodes() throws {
        var generator = SeededGenerator(seed: 7)
        for (command, message) in zip(WireCommand.allCases, RandomMessages.oneOfEach(using: &generator)) {
            #expect(try WireMessage.decode(commandCode: command.rawValue, payload: message.encodedPayload) == message)
        }
    }

    @Test("a version message reads its fields back, and its user agent as text")
    func versionFields() throws {
        let version = VersionMessage(
            network: .testnet,
            genesisHash: Hash32(Array(repeating: 0xAB, count: 32)) ?? .zero,
            bestHeight: 1_234,
            cumulativeWork: [0x01, 0x00],
            nonce: 42,
            userAgent: Array("ember/0.1".utf8)
        )
        let decoded = try VersionMessage.decode(payload: version.encoded)
        #expect(decoded == version)
        #expect(decoded.userAgentText == "ember/0.1")
        #expect(decoded.protocolVersion == VersionMessage.currentProtocolVersion)
    }

    @Test("a version message from an undefined network is malformed")
    func versionUnknownNetwork() {
        var generator = SeededGenerator(seed: 3)
        var payload = RandomMessages.version(using: &generator).encoded
        payload[4] = 9
        let expected = DecodingError(.unknownTag(9), path: [.field("version"), .field("network")])
        #expect(throws: WireError.malformedPayload(.version, expected)) {
            try WireMessage.decode(commandCode: WireCommand.version.rawValue, payload: payload)
        }
    }

    @Test("an inventory item of an undefined kind is malformed")
    func inventoryUnknownKind() throws {
        let payload: [UInt8] = [1, 3] + Array(repeating: 0, count: 32)
        let error = try #require(throws: WireError.self) {
            try WireMessage.decode(commandCode: WireCommand.inventory.rawValue, payload: payload)
        }
        guard case .malformedPayload(.inventory, let decodingError) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(decodingError.reason == .unknownTag(3))
    }

    @Test("empty messages refuse a payload")
    func emptyMessagesRefusePayload() {
        for command in [WireCommand.verack, .getAddr] {
            #expect(throws: WireError.self) {
                try WireMessage.decode(commandCode: command.rawValue, payload: [0])
            }
        }
    }

    @Test("trailing bytes after a message are malformed")
    func trailingBytes() {
        let payload = PingMessage(nonce: 1).encoded + [0]
        #expect(throws: WireError.self) {
            try WireMessage.decode(commandCode: WireCommand.ping.rawValue, payload: payload)
        }
    }

    @Test("an IPv4 address is stored IPv4-mapped and keeps its port and time")
    func peerAddressLayout() throws {
        let address = PeerAddress(ipv4: (10, 1, 2, 3), port: 9_270, lastSeen: 0x0102_0304_0506_0708)
        let mappedIPv4: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF, 10, 1, 2, 3]
        #expect(address.encoded == mappedIPv4 + [0x24, 0x36, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try PeerAddress.decode(from: address.encoded, limit: PeerAddress.encodedSize) == address)
        #expect(PeerAddress(ipBytes: [1, 2, 3], port: 1, lastSeen: 1) == nil)
    }

    @Test("each payload limit matches the largest message it allows")
    func payloadLimitsAreTight() {
        #expect(InventoryMessage.maxPayloadSize == 3 + 50_000 * 33)
        #expect(HeadersMessage.maxPayloadSize == 2 + 2_000 * 109)
        #expect(AddrMessage.maxPayloadSize == 2 + 1_000 * 26)
        #expect(GetHeadersMessage.maxPayloadSize == 1 + 102 * 32)
        let largestVersion = VersionMessage(
            network: .mainnet,
            genesisHash: .zero,
            bestHeight: 0,
            cumulativeWork: Array(repeating: 1, count: VersionMessage.maxCumulativeWorkSize),
            nonce: 0,
            userAgent: Array(repeating: 0x61, count: VersionMessage.maxUserAgentSize)
        )
        #expect(largestVersion.encoded.count == VersionMessage.maxPayloadSize)
    }
}

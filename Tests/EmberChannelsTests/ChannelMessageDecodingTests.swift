import EmberChannels
import EmberCore
import EmberCrypto
import Testing

/// The peer protocol's decoder (docs/channels.md, "Messages"): what a peer sends is decoded under
/// explicit limits, and anything else is refused, never trusted.
@Suite("ChannelMessage: bytes from a peer")
struct ChannelMessageDecodingTests {
    static let update: ChannelMessage = .update(
        state: ChannelState(channelId: Blake3.hash([1]), version: 3, isFinal: false, balances: [
            Output(amount: Amount(coins: 2)!, lock: .pubKeyHash(Blake3.hash([2]))),
        ]),
        signature: try! Signature(bytes: [UInt8](repeating: 9, count: 64)))

    @Test("a message decodes back to itself")
    func roundTrip() throws {
        #expect(try ChannelMessage.decode(peerBytes: Self.update.encoded) == Self.update)
        let refuse = ChannelMessage.refuse(channel: Blake3.hash([3]), version: 7, reason: "no")
        #expect(try ChannelMessage.decode(peerBytes: refuse.encoded) == refuse)
    }

    @Test("an unknown tag, a cut message, a trailing byte and an oversize message are refused")
    func malformed() {
        #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: [11]) }
        #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: [UInt8](Self.update.encoded.dropLast())) }
        #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: Self.update.encoded + [0]) }
        #expect(throws: DecodingError.self) {
            try ChannelMessage.decode(peerBytes: [UInt8](repeating: 0, count: ChannelMessage.maxSize + 1))
        }
        // A refusal's reason is bounded: one byte over the limit is refused.
        // Tag 7 (refuse), channel 32 bytes, version 8 bytes, then a reason of 513 bytes (varint 0x81 0x04).
        #expect(ChannelMessage.maxReasonSize == 512)
        let long = [7] + [UInt8](repeating: 0, count: 40) + [0x81, 0x04] + [UInt8](repeating: 0x61, count: 513)
        #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: long) }
    }
}

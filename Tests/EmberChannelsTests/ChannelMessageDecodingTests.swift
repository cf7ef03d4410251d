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

    static func batch(_ count: Int) -> ChannelMessage {
        guard case .update(let state, let signature) = update else { fatalError("update is an update") }
        return .updateBatch((0..<count).map { index in
            var next = state
            next.version = state.version + UInt64(index)
            return ProposedState(state: next, signature: signature)
        })
    }

    @Test("a batch of updates and its acknowledgement decode back to themselves")
    func batchRoundTrip() throws {
        let batch = Self.batch(ChannelMessage.maxBatch)
        #expect(try ChannelMessage.decode(peerBytes: batch.encoded) == batch)
        let ack = ChannelMessage.ackBatch(
            channel: Blake3.hash([4]), firstVersion: 9, signatures: [UInt8](0..<3).map { try! Signature(bytes: [UInt8](repeating: $0, count: 64)) })
        #expect(try ChannelMessage.decode(peerBytes: ack.encoded) == ack)
    }

    @Test("an empty batch, a batch over maxBatch and an empty acknowledgement are refused")
    func batchBounds() {
        // Tag 11 (updateBatch) with a count of 0; tag 12 (ackBatch), channel, version, a count of 0.
        #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: [11, 0]) }
        #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: [12] + [UInt8](repeating: 0, count: 40) + [0]) }
        #expect(ChannelMessage.maxBatch == 256)
        #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: Self.batch(ChannelMessage.maxBatch + 1).encoded) }
    }

    @Test("an unknown tag, a cut message, a trailing byte and an oversize message are refused")
    func malformed() {
        #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: [13]) }
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

    // Regressions found by the `channel-message` fuzz harness (docs/fuzzing.md); the inputs are in
    // Fuzz/Regressions/channel-message/.

    @Test("a refusal's reason that is not UTF-8 is refused, not decoded with replacement characters")
    func reasonNotUTF8() throws {
        // refuse-reason-not-utf8: tag 7 (refuse), a channel of 32 bytes "0", version 44, then a reason of
        // 32 bytes with 0xff at its third byte. It decoded to a reason holding U+FFFD, which encodes to
        // other bytes (ef bf bd) than the peer sent.
        let input = [7] + [UInt8](repeating: 0x30, count: 32) + [0, 0, 0, 0, 0, 0, 0, 44] + [32] + Array("ve".utf8) + [0xff]
            + Array("{ion 44 proposed, 43 expected".utf8)
        #expect(input.count == 74)
        let error = #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: input) }
        #expect(error?.fieldPath == "channelMessage.reason")
        // Text that is UTF-8, non-ASCII included, still decodes to itself.
        let accented = ChannelMessage.refuse(channel: Blake3.hash([3]), version: 7, reason: "coup refusé ✗")
        #expect(try ChannelMessage.decode(peerBytes: accented.encoded) == accented)
    }

    @Test("an open request's app name that is not UTF-8 is refused")
    func appNotUTF8() throws {
        // open-request-app-not-utf8: tag 1 (openRequest), a zero proposal, zero parameters (keys, window,
        // app), amounts 0 and 0, then an app name of one byte, 0xff.
        let prefix = [1] + [UInt8](repeating: 0, count: 32 + 100) + [0, 0, 1]
        let error = #expect(throws: DecodingError.self) { try ChannelMessage.decode(peerBytes: prefix + [0xff]) }
        #expect(error?.fieldPath == "channelMessage.app")
        // The same message with an app name of "A" decodes and encodes back to its bytes.
        let valid = try ChannelMessage.decode(peerBytes: prefix + [0x41])
        #expect(valid.encoded == prefix + [0x41])
    }

    @Test("a reason over maxReasonSize is cut at a character boundary, so that the peer can decode it")
    func longReasonCutOnCharacter() throws {
        // 511 ASCII bytes, then "é" (c3 a9): a cut at 512 bytes would keep c3 alone, which is not UTF-8.
        let message = ChannelMessage.refuse(channel: Blake3.hash([3]), version: 7, reason: String(repeating: "a", count: 511) + "é…")
        let decoded = try ChannelMessage.decode(peerBytes: message.encoded)
        #expect(decoded == .refuse(channel: Blake3.hash([3]), version: 7, reason: String(repeating: "a", count: 511)))
    }
}

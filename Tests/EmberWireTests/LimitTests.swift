import EmberCore
import EmberCrypto
import EmberTestSupport
import Testing

@testable import EmberWire

/// Each list limit accepts exactly its maximum and refuses one more. Over-limit payloads are written by hand:
/// `ByteWriter` does not check limits, so encoding an oversized message gives the bytes a hostile peer sends.
@Suite("Wire limits")
struct LimitTests {
    /// The payload is refused through the frame path (by the size limit or the count limit, whichever
    /// trips first) and, read without a size limit, by the count limit itself.
    private func expectCountOverLimit<Payload: WirePayload>(
        _ type: Payload.Type,
        payload: [UInt8],
        limit: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try WireMessage.decode(commandCode: Payload.command.rawValue, payload: payload)
            Issue.record("an over-limit \(Payload.command) payload was accepted", sourceLocation: sourceLocation)
        } catch .malformedPayload(let failedCommand, _) {
            #expect(failedCommand == Payload.command, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        var reader = ByteReader(payload)
        do {
            _ = try Payload.decode(from: &reader)
            Issue.record("an over-limit \(Payload.command) list was read", sourceLocation: sourceLocation)
        } catch {
            let expected = DecodingError.Reason.countOverLimit(count: UInt128(limit + 1), limit: limit)
            #expect(error.reason == expected, sourceLocation: sourceLocation)
        }
    }

    /// A message built from `limit` of `elements` is accepted; one built from all `limit + 1` is refused.
    private func expectLimit<Payload: WirePayload, Element>(
        _ limit: Int,
        of elements: [Element],
        sourceLocation: SourceLocation = #_sourceLocation,
        make: ([Element]) -> Payload
    ) throws {
        try #require(elements.count == limit + 1, sourceLocation: sourceLocation)
        let full = make(Array(elements.prefix(limit)))
        let decoded = try WireMessage.decode(commandCode: Payload.command.rawValue, payload: full.encoded)
        #expect(decoded.knownPayload as? Payload == full, sourceLocation: sourceLocation)
        let overLimit = make(elements).encoded
        expectCountOverLimit(Payload.self, payload: overLimit, limit: limit, sourceLocation: sourceLocation)
    }

    @Test("getheaders takes 101 locator hashes, not 102")
    func locatorLimit() throws {
        var generator = SeededGenerator(seed: 10)
        let hashes = (0..<102).map { _ in RandomValues.hash32(using: &generator) }
        try expectLimit(101, of: hashes) { GetHeadersMessage(locator: $0) }
    }

    @Test("headers takes 2 000 headers, not 2 001")
    func headersLimit() throws {
        var generator = SeededGenerator(seed: 11)
        let headers = (0..<2_001).map { _ in RandomValues.blockHeader(using: &generator) }
        try expectLimit(2_000, of: headers) { HeadersMessage(headers: $0) }
    }

    @Test("inv, getdata and notfound take 50 000 items, not 50 001")
    func inventoryLimits() throws {
        var generator = SeededGenerator(seed: 12)
        let items = RandomMessages.inventoryItems(count: 50_001, using: &generator)
        try expectLimit(50_000, of: items) { InventoryMessage(items: $0) }
        try expectLimit(50_000, of: items) { GetDataMessage(items: $0) }
        try expectLimit(50_000, of: items) { NotFoundMessage(items: $0) }
    }

    @Test("addr takes 1 000 addresses, not 1 001")
    func addrLimit() throws {
        var generator = SeededGenerator(seed: 13)
        let addresses = (0..<1_001).map { _ in RandomMessages.peerAddress(using: &generator) }
        try expectLimit(1_000, of: addresses) { AddrMessage(addresses: $0) }
    }

    @Test("version takes a 256-byte user agent, not 257")
    func userAgentLimit() throws {
        var generator = SeededGenerator(seed: 14)
        let version = RandomMessages.version(using: &generator)
        try expectLimit(256, of: Array(repeating: UInt8(0x61), count: 257)) { userAgent in
            var message = version
            message.userAgent = userAgent
            return message
        }
    }

    @Test("version takes 64 bytes of cumulative work, not 65")
    func cumulativeWorkLimit() throws {
        var generator = SeededGenerator(seed: 15)
        let version = RandomMessages.version(using: &generator)
        try expectLimit(64, of: Array(repeating: UInt8(0xFF), count: 65)) { work in
            var message = version
            message.cumulativeWork = work
            return message
        }
    }
}

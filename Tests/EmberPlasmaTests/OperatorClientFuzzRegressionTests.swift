import EmberCore
import EmberCrypto
import EmberLayer2
import EmberPlasma
import Foundation
import Testing

/// Inputs of the `operator-answer` fuzz harness (docs/fuzzing.md) that broke the client, replayed from
/// Fuzz/Regressions/operator-answer/: `request u8 ‖ number u64 ‖ status u16 ‖ body`, big-endian, the
/// body being the operator's answer and the number the block asked for.
@Suite("Operator client: fuzz regressions")
struct OperatorClientFuzzRegressionTests {
    /// The coin the harness asks about.
    static let coin = Blake3.hash(Array("operator-answer coin".utf8))

    struct Replay {
        let request: UInt8
        let number: UInt64
        let status: Int
        let body: String

        init(_ name: String) throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Fuzz/Regressions/operator-answer/\(name)")
            let bytes = [UInt8](try Data(contentsOf: url))
            try #require(bytes.count > 11)
            request = bytes[0]
            number = bytes[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            status = Int(bytes[9]) << 8 | Int(bytes[10])
            body = try #require(String(bytes: bytes[11...], encoding: .utf8))
        }

        func client(body: String? = nil) -> OperatorClient {
            OperatorClient(transport: FixedAnswer(status: status, body: Data((body ?? self.body).utf8)), description: "fuzz regression")
        }
    }

    /// Answers every request with the same status and body.
    struct FixedAnswer: NodeAPITransport {
        let status: Int
        let body: Data

        func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
            NodeAPIResponse(status: status, body: body)
        }
    }

    @Test("a history page whose entry is for block UInt64.max is read, where counting the block after it overflowed")
    func historyAtTheLastBlock() async throws {
        // history-last-block: a history request from block 2^64 − 1, answered 200 with one entry, a proof
        // of non-inclusion for that block. The client counted the block due after each entry with `+ 1`
        // and trapped after this one.
        let replay = try Replay("history-last-block")
        #expect(replay.request == 2 && replay.number == .max && replay.status == 200)
        let page = try await replay.client().history(of: Self.coin, from: .max)
        #expect(page.entries.map(\.0) == [.max])
        #expect(page.entries.first?.1.move == nil)
        #expect(page.next == nil)

        // No entry and no next page can follow the last block.
        let entry = try #require(replay.body.firstRange(of: #"{"block""#).map { String(replay.body[$0.lowerBound...].dropLast(2)) })
        let twice = replay.body.replacingOccurrences(of: entry, with: entry + "," + entry)
        await #expect(throws: OperatorClientError.badAnswer(
            path: "/v1/plasma/coins/\(Self.coin.hex)/history?from=\(UInt64.max)", reason: "entry for block \(UInt64.max) after block \(UInt64.max)"
        )) { try await replay.client(body: twice).history(of: Self.coin, from: .max) }
        let withNext = replay.body.replacingOccurrences(of: #"{"coinId""#, with: #"{"next":0,"coinId""#)
        await #expect(throws: OperatorClientError.badAnswer(
            path: "/v1/plasma/coins/\(Self.coin.hex)/history?from=\(UInt64.max)", reason: "the next page starts at 0, after the last possible block"
        )) { try await replay.client(body: withNext).history(of: Self.coin, from: .max) }
    }

    @Test("an operator's refusal message is cut to 300 Unicode scalars, even when they make one character")
    func refusalMessageOfOneCharacter() async throws {
        // refusal-message-one-character: a status request answered 503 with an error of "a" and 400
        // combining acute accents, one character of 401 scalars, which the cut to 300 characters kept whole.
        let replay = try Replay("refusal-message-one-character")
        #expect(replay.request == 0 && replay.status == 503)
        let error = await #expect(throws: OperatorClientError.self) { try await replay.client().status() }
        guard case .refused(_, let status, let message) = error else {
            Issue.record("expected a refusal, got \(String(describing: error))")
            return
        }
        #expect(status == 503)
        #expect(message == "a" + String(repeating: "\u{301}", count: 299))
    }
}

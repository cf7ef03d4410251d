import EmberCore
import EmberCrypto
import EmberNode
import EmberTestSupport
import Foundation
import Testing

private let address = SigningKey.devnet(index: 0).publicKey.address(on: .devnet)
private let hashA = String(repeating: "ab", count: 32)
private let hashB = String(repeating: "cd", count: 32)

@Suite("node API client")
struct NodeClientTests {
    /// Runs `body` against a server answering with `handler`, stopping the server afterwards.
    static func withServer<Result>(
        _ handler: @escaping @Sendable (FakeNodeServer.Request) -> FakeNodeServer.Reply,
        _ body: (NodeClient, FakeNodeServer) async throws -> Result
    ) async throws -> Result {
        let server = try FakeNodeServer(handler: handler)
        defer { server.stop() }
        return try await body(NodeClient(baseURL: server.url, timeout: 10), server)
    }

    /// The error a request throws; records an issue when it succeeds.
    static func failure<Value>(_ request: () async throws(WalletNodeError) -> Value) async -> WalletNodeError? {
        do {
            let value = try await request()
            Issue.record("expected an error, got \(value)")
            return nil
        } catch {
            return error
        }
    }

    @Test("info, balance, outputs and history decode, ignoring fields they do not know")
    func reads() async throws {
        let handler: @Sendable (FakeNodeServer.Request) -> FakeNodeServer.Reply = { request in
            switch request.path {
            case "/v1/info":
                return .json(#"{"network":"devnet","networkID":2,"height":123,"tip":"\#(hashA)","peers":4}"#)
            case "/v1/addresses/\(address)/balance":
                return .json(#"{"address":"\#(address)","balance":"1500000000000000000","spendable":"1000000000000000000","outputCount":3}"#)
            case "/v1/addresses/\(address)/outputs":
                return .json(#"""
                    {"address":"\#(address)","outputs":[
                     {"txid":"\#(hashA)","index":0,"amount":"1000000000000000000","lockTime":0,"height":5,"coinbase":false},
                     {"txid":"\#(hashB)","index":7,"amount":"500000000000000000","lockTime":99,"height":6,"coinbase":true,"extra":1}]}
                    """#)
            case "/v1/addresses/\(address)/history?limit=2":
                return .json(#"""
                    {"address":"\#(address)","entries":[
                     {"txid":"\#(hashA)","height":6,"blockHash":"\#(hashB)","timestamp":1788220804000,"received":"5","sent":"0"}]}
                    """#)
            default:
                return .json(#"{"error":"not found"}"#, status: 404)
            }
        }
        try await Self.withServer(handler) { client, server in
            let info = try await client.info()
            let balance = try await client.balance(of: address)
            let outputs = try await client.outputs(of: address)
            let history = try await client.history(of: address, limit: 2)
            #expect(info == NodeInfo(network: .devnet, height: 123, tip: Hash32(hex: hashA)!))
            #expect(balance == AddressBalance(
                balance: Amount(units: 1_500_000_000_000_000_000), spendable: Amount(units: 1_000_000_000_000_000_000),
                outputCount: 3))
            #expect(outputs == [
                WalletOutput(outpoint: OutPoint(txid: Hash32(hex: hashA)!, index: 0), amount: Amount(units: 1_000_000_000_000_000_000), height: 5),
                WalletOutput(
                    outpoint: OutPoint(txid: Hash32(hex: hashB)!, index: 7), amount: Amount(units: 500_000_000_000_000_000),
                    lockTime: 99, height: 6, isCoinbase: true),
            ])
            #expect(history == [
                AddressHistoryEntry(
                    txid: Hash32(hex: hashA)!, height: 6, blockHash: Hash32(hex: hashB)!, timestampMs: 1_788_220_804_000,
                    received: Amount(units: 5), sent: .zero),
            ])
            #expect(server.receivedRequests.map(\.method) == ["GET", "GET", "GET", "GET"])
        }
    }

    @Test("transaction status: mempool, confirmed, unknown")
    func status() async throws {
        let handler: @Sendable (FakeNodeServer.Request) -> FakeNodeServer.Reply = { request in
            switch request.path {
            case "/v1/transactions/\(hashA)": .json(#"{"txid":"\#(hashA)","status":"mempool"}"#)
            case "/v1/transactions/\(hashB)": .json(#"{"txid":"\#(hashB)","status":"confirmed","height":9,"blockHash":"\#(hashA)"}"#)
            default: .json(#"{"error":"unknown transaction"}"#, status: 404)
            }
        }
        try await Self.withServer(handler) { client, _ in
            let inMempool = try await client.status(of: Hash32(hex: hashA)!)
            let confirmed = try await client.status(of: Hash32(hex: hashB)!)
            let unknown = try await client.status(of: .zero)
            #expect(inMempool == .mempool)
            #expect(confirmed == .confirmed(height: 9, blockHash: Hash32(hex: hashA)!))
            #expect(unknown == nil)
        }
    }

    @Test("a refused submission carries the node's error and detail, on one line")
    func refusedSubmission() async throws {
        let handler: @Sendable (FakeNodeServer.Request) -> FakeNodeServer.Reply = { _ in
            .json(#"{"error":"transaction rejected","detail":"input 0:\nalready spent"}"#, status: 400)
        }
        let transaction = Transaction(inputs: [], outputs: [], witnesses: [])
        try await Self.withServer(handler) { client, server in
            let error = await Self.failure { () async throws(WalletNodeError) in try await client.submit(transaction) }
            #expect(error?.description == "the node refused the request (HTTP 400): transaction rejected: input 0: already spent")
            let request = try #require(server.receivedRequests.first)
            #expect(request.method == "POST" && request.path == "/v1/transactions")
            #expect(String(decoding: request.body, as: UTF8.self) == #"{"hex":"\#(transaction.encoded.hexString)"}"#)
        }
    }

    @Test("answers that are not what the contract says are refused, not trusted", arguments: [
        (#"{"networkID":2,"height":1}"#, "the node's answer to /v1/info cannot be read: the field tip is missing"),
        (#"{"networkID":9,"height":1,"tip":"\#(hashA)"}"#, "the node's answer to /v1/info cannot be read: unknown network id 9"),
        (#"{"networkID":2,"height":"one","tip":"\#(hashA)"}"#, "the node's answer to /v1/info cannot be read: the field height has the wrong type"),
        (#"{"networkID":2,"height":1,"tip":"xyz"}"#, "the node's answer to /v1/info cannot be read: tip is not 64 hex digits"),
        ("<html>", "the node's answer to /v1/info cannot be read: not JSON"),
    ])
    func malformedInfo(body: String, message: String) async throws {
        try await Self.withServer({ _ in .json(body) }) { client, _ in
            let error = await Self.failure { () async throws(WalletNodeError) in try await client.info() }
            #expect(error?.description == message)
        }
    }

    @Test("amounts must be whole numbers of units", arguments: ["-5", "+5", "1.5", "", "1e3", String(repeating: "9", count: 41)])
    func malformedAmount(amount: String) async throws {
        let body = #"{"balance":"\#(amount)","spendable":"0","outputCount":0}"#
        try await Self.withServer({ _ in .json(body) }) { client, _ in
            let error = await Self.failure { () async throws(WalletNodeError) in try await client.balance(of: address) }
            #expect(error == .badResponse(path: "/v1/addresses/\(address)/balance", reason: "balance is not a whole number of units"))
        }
    }

    @Test("a reply larger than the limit is cut off")
    func oversizedReply() async throws {
        let huge = Data(repeating: 0x20, count: NodeClient.maxResponseBytes + 1)
        try await Self.withServer({ _ in FakeNodeServer.Reply(status: 200, body: huge) }) { client, _ in
            let error = await Self.failure { () async throws(WalletNodeError) in try await client.info() }
            #expect(error == .badResponse(path: "/v1/info", reason: "more than \(NodeClient.maxResponseBytes) bytes"))
        }
    }

    @Test("no node listening gives a message that says where and what to do")
    func unreachable() async throws {
        let server = try FakeNodeServer { _ in .json("{}") }
        let url = server.url
        server.stop()
        let error = await Self.failure { () async throws(WalletNodeError) in try await NodeClient(baseURL: url).info() }
        let message = try #require(error?.description)
        #expect(message.hasPrefix("cannot reach the node at \(url.absoluteString): "))
        #expect(message.contains("is `ember devnet` running?"))
    }

    @Test("a refused connection is reported at once, not after the request's time-out")
    func refusedAtOnce() async throws {
        let (error, waited) = try await PortAllocator.withRefusingPort { port in
            let url = URL(string: "http://127.0.0.1:\(port)")!
            // HTTP clients that retry a refused connection until the deadline would take the whole 600 s;
            // the bound below leaves room for a loaded test run's stalls (65 s and 151 s seen).
            let started = ContinuousClock.now
            let error = await Self.failure { () async throws(WalletNodeError) in try await NodeClient(baseURL: url, timeout: 600).info() }
            return (error, ContinuousClock.now - started)
        }
        #expect(error?.description.contains("Connection refused") == true, "\(String(describing: error))")
        #expect(waited < .seconds(300), "waited \(waited)")
    }

    @Test("the default URLs and --node values", arguments: [
        ("http://127.0.0.1:19271", true), ("https://node.example:443/", true), ("ftp://x", false), ("127.0.0.1:19271", false),
        ("http://", false), ("not a url", false),
    ])
    func urls(text: String, valid: Bool) {
        #expect((NodeClient.parseURL(text) != nil) == valid)
        #expect(NodeClient.defaultURL(for: .devnet).absoluteString == "http://127.0.0.1:19271")
        #expect(NodeClient.defaultURL(for: .mainnet).absoluteString == "http://127.0.0.1:9271")
    }
}

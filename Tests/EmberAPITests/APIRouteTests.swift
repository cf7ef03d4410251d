import EmberAPI
import EmberConsensus
import EmberCore
import EmberCrypto
import EmberNode
import EmberTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The REST API in process (Hummingbird's router framework) and over a real socket, against a real node
/// on a temporary SQLite folder.
@Suite("REST API")
struct APIRouteTests {
    static func makeNode(apiKey: String? = nil) async throws -> (Node, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-api-\(UUID().uuidString)")
        let configuration = NodeConfiguration(
            dataDir: folder.path, network: NetworkSettings(), apiHost: "127.0.0.1", apiPort: 0, apiKey: apiKey, mine: false,
            minerKey: SigningKey.devnet(index: 0), threads: 1)
        let node = try await Node(configuration: configuration, logger: Logger(label: "test")) { _ in }
        return (node, folder)
    }

    static func application(_ node: Node) -> some ApplicationProtocol {
        Application(router: node.apiRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]) ?? [:]
    }

    static func body(_ object: [String: String]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    /// A payment from devnet seed account 1, signed, spending its genesis output.
    static func seedPayment(params: ConsensusParams, amount: Amount) throws -> Transaction {
        let key = SigningKey.devnet(index: 1)
        let genesis = params.genesisBlock.transactions[0]
        let funding = genesis.outputs[2].amount
        let fee = Amount(units: params.minFeeRate.units * 1_000)
        var transaction = Transaction(
            inputs: [Input(outpoint: OutPoint(txid: genesis.txid, index: 2), unlock: .publicKey(RawPublicKey(key.publicKey.bytes)!))],
            outputs: [
                Output(amount: amount, lock: .pubKeyHash(SigningKey.devnet(index: 5).publicKey.publicKeyHash)),
                Output(amount: funding.subtracting(amount)!.subtracting(fee)!, lock: .pubKeyHash(key.publicKey.publicKeyHash)),
            ], witnesses: [])
        transaction.witnesses = [Witness(items: [try key.sign(txid: transaction.txid, network: params.networkID).bytes])]
        return transaction
    }

    @Test("info, blocks, balances and outputs answer from the node")
    func reads() async throws {
        let (node, folder) = try await Self.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seedAddress = SigningKey.devnet(index: 1).publicKey.address(on: .devnet).string
        try await Self.application(node).test(.router) { client in
            try await client.execute(uri: "/v1/info", method: .get) { response in
                #expect(response.status == .ok)
                let info = Self.json(response.body)
                #expect(info["network"] as? String == "devnet" && info["height"] as? Int == 0)
            }
            try await client.execute(uri: "/v1/blocks/height/0", method: .get) { response in
                #expect(Self.json(response.body)["hash"] as? String == node.folder.params.genesisBlock.hash.hex)
            }
            try await client.execute(uri: "/v1/addresses/\(seedAddress)/balance", method: .get) { response in
                #expect(Self.json(response.body)["balance"] as? String == "1000000000000000000000000")
            }
            try await client.execute(uri: "/v1/addresses/\(seedAddress)/outputs", method: .get) { response in
                #expect((Self.json(response.body)["outputs"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("ember_chain_height 0"))
            }
        }
    }

    @Test("malformed requests get a JSON 4xx, never a 5xx", arguments: [
        ("/v1/nope", HTTPRequest.Method.get, nil as String?, 404),
        ("/v1/blocks/xyz", .get, nil, 400),
        ("/v1/blocks/height/minus-one", .get, nil, 400),
        ("/v1/blocks/" + String(repeating: "ab", count: 32), .get, nil, 404),
        ("/v1/addresses/emd1qqqqqq/balance", .get, nil, 400),
        ("/v1/addresses/em1notdevnet/outputs", .get, nil, 400),
        ("/v1/addresses/\(SigningKey.devnet(index: 1).publicKey.address(on: .devnet).string)/history?limit=0", .get, nil, 400),
        ("/v1/transactions", .post, "not json", 400),
        ("/v1/transactions", .post, "{\"hex\":\"zz\"}", 400),
        ("/v1/transactions", .post, "{\"hex\":\"00\"}", 400),
        ("/v1/transactions", .post, "{\"hex\":\"" + String(repeating: "00", count: Transaction.maxSize + 2_100) + "\"}", 413),
        ("/v1/mining/submit", .post, "{\"hex\":\"0102\"}", 400),
        ("/v1/transactions/" + String(repeating: "cd", count: 32), .get, nil, 404),
    ])
    func malformed(path: String, method: HTTPRequest.Method, body: String?, status: Int) async throws {
        let (node, folder) = try await Self.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.application(node).test(.router) { client in
            try await client.execute(uri: path, method: method, body: body.map { ByteBuffer(string: $0) }) { response in
                #expect(Int(response.status.code) == status)
                let error = Self.json(response.body)
                #expect(error["error"] is String && error["detail"] is String, "\(String(buffer: response.body))")
            }
        }
    }

    @Test("a valid transaction is accepted once, then refused as a conflict; the mempool shows it")
    func submitTransaction() async throws {
        let (node, folder) = try await Self.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let transaction = try Self.seedPayment(params: node.folder.params, amount: Amount(coins: 3)!)
        let hex = transaction.encoded.hexString
        try await Self.application(node).test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, body: Self.body(["hex": hex])) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response.body)["txid"] as? String == transaction.txid.hex)
            }
            try await client.execute(uri: "/v1/transactions", method: .post, body: Self.body(["hex": hex])) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/v1/mempool", method: .get) { response in
                #expect(Self.json(response.body)["count"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/transactions/\(transaction.txid.hex)", method: .get) { response in
                #expect(Self.json(response.body)["status"] as? String == "mempool")
            }
        }
    }

    @Test("every route in the OpenAPI document is served, and nothing else is")
    func openAPIMatchesRouter() async throws {
        let (node, folder) = try await Self.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let genesis = node.folder.params.genesisBlock.hash.hex
        let examples = [
            "{hash}": genesis, "{height}": "0", "{txid}": node.folder.params.genesisBlock.transactions[0].txid.hex,
            "{address}": SigningKey.devnet(index: 1).publicKey.address(on: .devnet).string, "{id}": "1", "{host}": "10.0.0.9",
            "{lock}": "00" + SigningKey.devnet(index: 1).publicKey.publicKeyHash.hex,
        ]
        try await Self.application(node).test(.router) { client in
            var document: [String: Any] = [:]
            try await client.execute(uri: "/v1/openapi.json", method: .get) { response in document = Self.json(response.body) }
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(Set(paths.keys) == Set(APIRoute.all.map(\.path)))
            for (path, operations) in paths {
                let concrete = examples.reduce(path) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
                for (method, operation) in operations {
                    // A 503 is documented where the node may lack what the route needs (PoLW coins, networking).
                    let mayBeUnavailable = ((operation as? [String: Any])?["responses"] as? [String: Any])?["503"] != nil
                    let httpMethod = HTTPRequest.Method(rawValue: method.uppercased())!
                    try await client.execute(uri: concrete, method: httpMethod, body: httpMethod == .post ? Self.body(["hex": "00"]) : nil) { response in
                        let detail = Self.json(response.body)["detail"] as? String ?? ""
                        #expect(!detail.hasPrefix("no route"), "\(method) \(path) is documented but not served")
                        #expect(response.status.code < 500 || (mayBeUnavailable && response.status == .serviceUnavailable),
                                "\(method) \(path): \(response.status)")
                    }
                }
            }
            try await client.execute(uri: "/v1/undocumented", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("with an API key, wallet and mining routes need it and read routes do not")
    func apiKey() async throws {
        let (node, folder) = try await Self.makeNode(apiKey: "s3cret")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.application(node).test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, body: Self.body(["hex": "00"])) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/mining/template", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/transactions", method: .post, headers: [HTTPField.Name("X-Ember-API-Key")!: "s3cret"],
                                     body: Self.body(["hex": "00"])) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/info", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("over a real socket")
    func liveSocket() async throws {
        let (node, folder) = try await Self.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.application(node).test(.live) { client in
            try await client.execute(uri: "/v1/info", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response.body)["network"] as? String == "devnet")
            }
            try await client.execute(uri: "/v1/nope", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

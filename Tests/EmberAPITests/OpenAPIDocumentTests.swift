@testable import EmberAPI
import EmberConsensus
import EmberCore
import EmberCrypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The OpenAPI document against what the server does: every field of every answer, every path
/// parameter's pattern, and the 405 for a method a path does not declare.
@Suite("REST API: the OpenAPI document")
struct OpenAPIDocumentTests {
    static var document: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any]) ?? [:] }
    static var schemas: [String: Any] { ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:] }

    /// One value of each body the API answers or reads, with every optional field set and every list
    /// non-empty, so each documented field can be looked for.
    static func samples() throws -> [String: any Encodable] {
        let params = try ConsensusParams.devnet()
        let genesis = params.genesisBlock
        let lock = Lock.pubKeyHash(SigningKey.devnet(index: 1).publicKey.publicKeyHash)
        let version2 = Transaction(
            version: Transaction.version2,
            inputs: [Input(outpoint: OutPoint(txid: genesis.transactions[0].txid, index: 2), unlock: .publicKey(RawPublicKey(Array(repeating: 1, count: 32))!))],
            reads: [OutPoint(txid: genesis.transactions[0].txid, index: 1)],
            outputs: [Output(amount: Amount(coins: 2)!, lock: lock, lockTime: 5, data: [])],
            blobs: [[1, 2, 3]], witnesses: [Witness(items: [])])
        let unspent = UnspentOutput(output: genesis.transactions[0].outputs[2], height: 0, isCoinbase: true)
        let output = OutputView(outpoint: OutPoint(txid: genesis.transactions[0].txid, index: 2), unspent: unspent)
        let peer = PeerView(
            id: 1, address: "127.0.0.1:19280", direction: "outbound", handshakeComplete: true, userAgent: "/ember:0.1/", bestHeight: 42,
            score: 0, blocksInFlight: 2, pingMs: 1.5, connectedAtMs: 1_700_000_000_000)
        return [
            "NodeInfo": NodeInfoView(
                network: "devnet", networkID: 2, genesis: genesis.hash.hex, height: 0, tip: genesis.hash.hex, tipTimestamp: 1, target: "1",
                difficulty: "1", estimatedHashRate: "1", polwActive: false, polwThresholdHashRate: "1", minted: "0", burnt: "0",
                mempoolTransactions: 0, mining: false, minerHashRate: 0.5),
            "Block": BlockView(block: genesis, active: true, reward: .zero, burnt: .zero, includeHex: true),
            "Transaction": TransactionView(transaction: version2, confirmedIn: (1, genesis.hash), network: .devnet),
            "Balance": BalanceView(address: "emd1…", balance: .zero, spendable: .zero, outputCount: 1),
            "Outputs": OutputsView(address: "emd1…", outputs: [output]),
            "History": HistoryView(address: "emd1…", entries: [HistoryEntryView(
                txid: genesis.transactions[0].txid, height: 0, blockHash: genesis.hash, timestamp: 1, received: .zero, sent: .zero)]),
            "LockOutputs": LockOutputsView(lock: lock, network: .devnet, outputs: [output]),
            "Blob": BlobView(hash: .zero, txid: .zero, blockHash: .zero, height: 1, bytes: [1, 2, 3]),
            "Mempool": MempoolView(count: 1, bytes: 100, transactions: [MempoolEntryView(txid: .zero, size: 100, fee: .zero)]),
            "MiningTemplate": MiningTemplateView(block: genesis, targetValue: "1", reward: .zero, burnt: .zero, fees: .zero),
            "BlockSubmission": BlockSubmissionView(hash: genesis.hash, outcome: "connected", height: 1),
            "SubmittedTransaction": SubmittedTransactionView(txid: genesis.transactions[0].txid.hex),
            "Peers": PeersView(peers: [peer], bans: [BanView(host: "10.0.0.9", untilMs: 1, reason: "spam")]),
            "PeerConnection": PeerConnectionBody(address: "127.0.0.1:19270"),
            "Ban": BanBody(host: "10.0.0.9", seconds: 60, reason: "spam"),
            "HexBody": HexBody(hex: "00"),
            "Error": ErrorView(error: "not found", detail: "no block"),
            "BlockSummaries": BlockSummariesView(summaries: [try BlockSummaries.summary(
                of: BlockView(block: genesis, active: true, reward: .zero, burnt: .zero, includeHex: false), params: params)]),
            "CovenantOutputs": CovenantOutputsView(lockTag: 1, scannedFrom: 0, scannedTo: 1, outputs: [CovenantOutputView(
                txid: genesis.transactions[0].txid.hex, index: 0, amount: "1", lockTime: 0, lockTag: 1, lockHex: "01", height: 1,
                blockHash: genesis.hash.hex, unspent: true)]),
        ]
    }

    static func encoded(_ value: any Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value), options: [.fragmentsAllowed])
    }

    /// Where `json` and `schema` disagree: fields the JSON has and the schema lacks, fields the
    /// schema requires and the JSON lacks, objects or lists where the other has something else.
    static func mismatches(_ json: Any, _ schema: [String: Any], at place: String = "") -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let named = schemas[name] as? [String: Any] else { return ["\(place): no schema \(name)"] }
            return mismatches(json, named, at: place)
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = json as? [String: Any] else { return ["\(place): an object is documented, the JSON has \(json)"] }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            let required = Set(schema["required"] as? [String] ?? [])
            var found = object.keys.filter { properties[$0] == nil }.map { "\(place).\($0): in the JSON, not in the document" }
            found += required.filter { object[$0] == nil }.map { "\(place).\($0): documented as always present, not in the JSON" }
            for (key, value) in object {
                if let property = properties[key] { found += mismatches(value, property, at: "\(place).\(key)") }
            }
            return found
        case "array":
            guard let array = json as? [Any] else { return ["\(place): a list is documented, the JSON has \(json)"] }
            guard !array.isEmpty else { return ["\(place): the sample's list is empty, so its items go unchecked"] }
            let items = schema["items"] as? [String: Any] ?? [:]
            return array.enumerated().flatMap { mismatches($1, items, at: "\(place)[\($0)]") }
        case "string":
            return json is String ? [] : ["\(place): a string is documented, the JSON has \(json)"]
        default:
            return json is [Any] || json is [String: Any] || json is String ? ["\(place): a number or boolean is documented, the JSON has \(json)"] : []
        }
    }

    /// The schema a route answers with, or reads, as the document declares it.
    static func schema(of route: APIRoute, request: Bool) throws -> [String: Any] {
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()])
        let content: [String: Any]?
        if request {
            content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]
        } else {
            content = ((operation["responses"] as? [String: Any])?[String(route.successStatus.code)] as? [String: Any])?["content"] as? [String: Any]
        }
        return try #require((content?["application/json"] as? [String: Any])?["schema"] as? [String: Any], "\(route.method) \(route.path)")
    }

    @Test("every JSON answer and body of every route has exactly the fields its schema documents")
    func answersMatchTheDocument() throws {
        let samples = try Self.samples()
        for route in APIRoute.all {
            if case .json(let view) = route.answer {
                let sample = try #require(samples[view.schemaName], "no sample \(view.schemaName) for \(route.method) \(route.path)")
                let found = Self.mismatches(try Self.encoded(sample), try Self.schema(of: route, request: false), at: view.schemaName)
                #expect(found.isEmpty, "\(route.method) \(route.path): \(found)")
            }
            if let body = route.body {
                let sample = try #require(samples[body.type.schemaName], "no sample \(body.type.schemaName)")
                let found = Self.mismatches(try Self.encoded(sample), try Self.schema(of: route, request: true), at: body.type.schemaName)
                #expect(found.isEmpty, "\(route.method) \(route.path) body: \(found)")
            }
        }
        let error = Self.mismatches(try Self.encoded(try #require(samples["Error"])), ["$ref": "#/components/schemas/Error"])
        #expect(error.isEmpty, "\(error)")
    }

    @Test("the check catches a field the document lacks and a documented field the JSON lacks, however deep")
    func checkCatchesDrift() throws {
        let schema: [String: Any] = [
            "type": "object", "required": ["txid", "outputs"],
            "properties": ["txid": ["type": "string"], "height": ["type": "integer"],
                           "outputs": ["type": "array", "items": ["$ref": "#/components/schemas/Output"]]],
        ]
        let output = try Self.encoded(OutputView(
            outpoint: OutPoint(txid: .zero, index: 0),
            unspent: UnspentOutput(output: Output(amount: .zero, lock: .pubKeyHash(.zero)), height: 0, isCoinbase: false)))
        #expect(Self.mismatches(["txid": "ab", "outputs": [output]], schema).isEmpty)
        #expect(Self.mismatches(["txid": "ab", "outputs": [output], "fee": "1"], schema) == [".fee: in the JSON, not in the document"])
        #expect(Self.mismatches(["outputs": [output]], schema) == [".txid: documented as always present, not in the JSON"])
        var grown = try #require(output as? [String: Any])
        grown["spentBy"] = "cd"
        #expect(Self.mismatches(["txid": "ab", "outputs": [grown]], schema) == [".outputs[0].spentBy: in the JSON, not in the document"])
        #expect(Self.mismatches(["txid": "ab", "outputs": [Any]()], schema) == [".outputs: the sample's list is empty, so its items go unchecked"])
    }

    @Test("optional fields are documented but not required; the rest are required")
    func optionalFields() throws {
        let output = try #require(Self.schemas["TransactionOutput"] as? [String: Any])
        let required = Set(output["required"] as? [String] ?? [])
        #expect(required == ["amount", "lockTime", "lockTag", "lockHex"])
        #expect((output["properties"] as? [String: Any])?["address"] != nil)
        let ban = try #require(Self.schemas["Ban"] as? [String: Any])
        #expect(Set(ban["required"] as? [String] ?? []) == ["host"])
    }

    /// Each path parameter with a value of its form that means something and a value outside its form.
    static let parameterCases: [(name: String, valid: String, invalid: String)] = [
        ("hash", String(repeating: "aB", count: 32), String(repeating: "ab", count: 31)),
        ("txid", String(repeating: "cd", count: 32), "xyz"),
        ("height", "175", "-1"),
        ("address", SigningKey.devnet(index: 1).publicKey.address(on: .devnet).string, "emd1qqqqqb"),
        ("lock", "00" + String(repeating: "42", count: 32), "0"),
        ("id", "7", "first"),
        ("host", "2001:db8::7", "not-an-ip"),
        ("tag", "1", "100"),
    ]

    static func parse(_ name: String, _ text: String) throws {
        switch name {
        case "hash": _ = try PathParameters.hash.parse(text, network: .devnet)
        case "txid": _ = try PathParameters.txid.parse(text, network: .devnet)
        case "height": _ = try PathParameters.height.parse(text, network: .devnet)
        case "address": _ = try PathParameters.address.parse(text, network: .devnet)
        case "lock": _ = try PathParameters.lock.parse(text, network: .devnet)
        case "id": _ = try PathParameters.id.parse(text, network: .devnet)
        case "host": _ = try PathParameters.host.parse(text, network: .devnet)
        case "tag": _ = try PathParameters.tag.parse(text, network: .devnet)
        default: Issue.record("no parser for \(name)")
        }
    }

    @Test("each path parameter's documented pattern admits what the parser accepts and the server refuses the rest with 400",
          arguments: parameterCases)
    func pathParameter(name: String, valid: String, invalid: String) throws {
        let documented = APIRoute.all.flatMap { route -> [[String: Any]] in
            let paths = Self.document["paths"] as? [String: [String: [String: Any]]]
            return paths?[route.path]?[route.method.rawValue.lowercased()]?["parameters"] as? [[String: Any]] ?? []
        }.filter { $0["name"] as? String == name }
        #expect(!documented.isEmpty, "no route documents {\(name)}")
        for parameter in documented {
            let schema = try #require(parameter["schema"] as? [String: Any])
            let pattern = try #require(schema["pattern"] as? String, "{\(name)} is documented without a pattern")
            let expression = try NSRegularExpression(pattern: pattern)
            func matches(_ text: String) -> Bool {
                let fits = (schema["maxLength"] as? Int).map { text.count <= $0 } ?? true
                return fits && expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }
            #expect(matches(valid) && !matches(invalid), "{\(name)}: \(pattern)")
        }
        #expect(throws: Never.self) { try Self.parse(name, valid) }
        do {
            try Self.parse(name, invalid)
            Issue.record("{\(name)} accepted \(invalid)")
        } catch let error as APIError {
            #expect(error.status == .badRequest)
            #expect(error.detail.hasPrefix(name), "\(error.detail)")
        }
    }

    @Test("the server refuses a value outside a parameter's pattern with 400, before the handler runs", arguments: [
        ("/v1/blocks/height/99999999999999999999999", HTTPRequest.Method.get),
        ("/v1/peers/-1", .delete),
        ("/v1/bans/peer.example.com", .delete),
        ("/v1/addresses/EMD1qqqqqqqqqq/balance", .get),
    ])
    func outsideThePattern(path: String, method: HTTPRequest.Method) async throws {
        try await PeerRouteTests.application(RecordingPeerAdministration(connected: [])).test(.router) { client in
            try await client.execute(uri: path, method: method) { response in
                #expect(response.status == .badRequest, "\(method) \(path): \(String(buffer: response.body))")
            }
        }
    }

    @Test("a method a declared path does not answer gets 405 with an Allow header; an unknown path 404", arguments: [
        ("/v1/info", HTTPRequest.Method.delete, "GET" as String?),
        ("/v1/peers", .put, "GET, POST"),
        ("/v1/bans", .get, "POST"),
        ("/v1/blocks/" + String(repeating: "ab", count: 32), .post, "GET"),
        ("/v1//transactions/", .get, "POST"),
        ("/v1/peers/7", .get, "DELETE"),
        ("/v1/nope", .get, nil),
        ("/v1/peers/7/extra", .delete, nil),
    ])
    func methodNotAllowed(path: String, method: HTTPRequest.Method, allow: String?) async throws {
        try await PeerRouteTests.application(RecordingPeerAdministration(connected: [])).test(.router) { client in
            try await client.execute(uri: path, method: method) { response in
                #expect(response.status == (allow == nil ? .notFound : .methodNotAllowed), "\(method) \(path)")
                #expect(response.headers[.allow] == allow)
                let error = try JSONDecoder().decode(ErrorView.self, from: Data(response.body.readableBytesView))
                #expect(!error.detail.isEmpty)
            }
        }
    }
}

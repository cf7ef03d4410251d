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

/// The routes the explorer page reads in bulk (block summaries, covenant outputs by tag), the request
/// counter in `/metrics`, and the page's files, against a real node on a temporary SQLite folder.
@Suite("REST API: explorer")
struct ExplorerRouteTests {
    /// A node whose every block is past the PoLW threshold (H_T = 1 H/s), with the parameters of
    /// `ChainBuilder.polwParams()` so the builder's blocks are valid on it.
    static func makePolwNode() async throws -> (Node, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-explorer-\(UUID().uuidString)")
        let network = NetworkSettings(blockTimeMs: 1_000, maxTargetZeros: 1, polwThresholdHashRate: "1", coinbaseLockupMs: 10_000)
        let configuration = NodeConfiguration(
            dataDir: folder.path, network: network, apiHost: "127.0.0.1", apiPort: 0, apiKey: nil, mine: false,
            minerKey: SigningKey.devnet(index: 0), threads: 1)
        let node = try await Node(configuration: configuration, logger: Logger(label: "test")) { _ in }
        return (node, folder)
    }

    /// Blocks 1…3 on the node, block 2 funding a channel (lock tag 1); returns the funding transaction.
    static func extendWithChannel(_ node: Node, client: some TestClientProtocol) async throws -> Transaction {
        var builder = ChainBuilder(params: node.folder.params)
        try builder.extend(by: 1)
        let channel = ChannelParams(keyA: ChannelFixture.rawA, keyB: ChannelFixture.rawB, window: ChannelFixture.window, app: .zero)
        let funding = builder.payment(
            from: builder.seedOutPoint(1), key: .devnet(index: 1), amount: ChannelFixture.amount, fee: ChannelFixture.fee, to: .channel(channel))
        try builder.append(builder.makeBlock([funding]))
        try builder.extend(by: 1)
        for block in builder.blocks.dropFirst() {
            let outcome = try await client.execute(
                uri: "/v1/mining/submit", method: .post, body: APIRouteTests.body(["hex": block.encoded.hexString])
            ) { APIRouteTests.json($0.body)["outcome"] as? String }
            #expect(outcome == "connected", "block \(block.header.height)")
        }
        return funding
    }

    @Test("block summaries come newest first, linked by parent, with PoLW, difficulty and hash rate from the node's parameters")
    func summaries() async throws {
        let (node, folder) = try await Self.makePolwNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await APIRouteTests.application(node).test(.router) { client in
            _ = try await Self.extendWithChannel(node, client: client)
            let (status, body) = try await ProtocolV2RouteTests.get(client, "/v1/blocks/height/3/summaries?limit=10")
            #expect(status == 200)
            let summaries = try #require(body["summaries"] as? [[String: Any]])
            #expect(summaries.map { $0["height"] as? Int } == [3, 2, 1, 0])
            for (newer, older) in zip(summaries, summaries.dropFirst()) {
                #expect(newer["parent"] as? String == older["hash"] as? String)
            }
            #expect(summaries.map { $0["transactionCount"] as? Int } == [1, 2, 1, 1])
            for summary in summaries.prefix(3) {
                #expect(summary["polw"] as? Bool == true, "block \(summary["height"] ?? "?") is past H_T = 1 H/s")
                #expect((UInt128(summary["burnt"] as? String ?? "") ?? 0) > 0)
                #expect((Double(summary["hashRate"] as? String ?? "") ?? 0) >= 1)
                #expect((Double(summary["difficulty"] as? String ?? "") ?? 0) >= 1)
            }
            let block = try await ProtocolV2RouteTests.get(client, "/v1/blocks/height/2")
            #expect(summaries[1]["hash"] as? String == block.json["hash"] as? String)
            #expect(summaries[1]["burnt"] as? String == block.json["burnt"] as? String)

            let two = try await ProtocolV2RouteTests.get(client, "/v1/blocks/height/3/summaries?limit=2")
            #expect((two.json["summaries"] as? [[String: Any]])?.map { $0["height"] as? Int } == [3, 2])
            let absent = try await ProtocolV2RouteTests.get(client, "/v1/blocks/height/4/summaries")
            #expect(absent.status == 404)
        }
    }

    @Test("summaries refuse a count outside 1…1000 with 400 before reading any block", arguments: ["0", "1001", "-1", "ten", ""])
    func summaryLimit(limit: String) async throws {
        let (node, folder) = try await Self.makePolwNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await APIRouteTests.application(node).test(.router) { client in
            let answer = try await ProtocolV2RouteTests.get(client, "/v1/blocks/height/0/summaries?limit=\(limit)")
            #expect(answer.status == 400)
            #expect((answer.json["detail"] as? String)?.contains("limit") == true)
        }
    }

    @Test("covenant outputs by tag list a channel's funding output as unspent, and nothing under another tag")
    func covenantOutputs() async throws {
        let (node, folder) = try await Self.makePolwNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await APIRouteTests.application(node).test(.router) { client in
            let funding = try await Self.extendWithChannel(node, client: client)
            let channels = try await ProtocolV2RouteTests.get(client, "/v1/covenants/1/outputs")
            #expect(channels.status == 200)
            #expect(channels.json["scannedFrom"] as? Int == 0 && channels.json["scannedTo"] as? Int == 3)
            let outputs = try #require(channels.json["outputs"] as? [[String: Any]])
            #expect(outputs.count == 1)
            #expect(outputs.first?["txid"] as? String == funding.txid.hex)
            #expect(outputs.first?["index"] as? Int == 0 && outputs.first?["height"] as? Int == 2)
            #expect(outputs.first?["unspent"] as? Bool == true && outputs.first?["lockTag"] as? Int == 1)
            #expect(outputs.first?["lockHex"] as? String == funding.outputs[0].lock.encoded.hexString)
            let disputes = try await ProtocolV2RouteTests.get(client, "/v1/covenants/2/outputs")
            #expect((disputes.json["outputs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a tag outside the covenant tags 1…15 is a 400 naming the tag", arguments: ["0", "16", "99", "x", "100"])
    func covenantTag(tag: String) async throws {
        let (node, folder) = try await Self.makePolwNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await APIRouteTests.application(node).test(.router) { client in
            let answer = try await ProtocolV2RouteTests.get(client, "/v1/covenants/\(tag)/outputs")
            #expect(answer.status == 400)
            #expect((answer.json["detail"] as? String)?.hasPrefix("tag") == true, "\(answer.json)")
        }
    }

    @Test("/metrics counts the /v1 requests served, and not the explorer's files or itself")
    func requestCounter() async throws {
        let (node, folder) = try await Self.makePolwNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await APIRouteTests.application(node).test(.router) { client in
            for path in ["/v1/info", "/v1/blocks/height/0", "/v1/blocks/height/9", "/explorer", "/explorer/app.js", "/metrics"] {
                _ = try await ProtocolV2RouteTests.get(client, path)
            }
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains("\nember_api_requests_total 3\n"), "\(metrics)")
        }
    }

    @Test("/explorer serves its page and modules, none of which loads anything from another host")
    func explorerFiles() async throws {
        let (node, folder) = try await Self.makePolwNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            ("/explorer", "text/html"), ("/explorer/", "text/html"), ("/explorer/style.css", "text/css"),
            ("/explorer/api.js", "text/javascript"), ("/explorer/charts.js", "text/javascript"),
            ("/explorer/pages.js", "text/javascript"), ("/explorer/app.js", "text/javascript"),
        ]
        try await APIRouteTests.application(node).test(.router) { client in
            for (path, type) in files {
                let (status, contentType, body) = try await client.execute(uri: path, method: .get) { response in
                    (response.status, response.headers[.contentType] ?? "", String(buffer: response.body))
                }
                #expect(status == .ok && contentType.hasPrefix(type), "\(path): \(status) \(contentType)")
                // The only absolute URL is SVG's namespace name, which nothing fetches.
                let absolute = body.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                #expect(!absolute.contains("http://") && !absolute.contains("https://") && !absolute.contains("//cdn"), "\(path) names another host")
            }
            let page = try await client.execute(uri: "/explorer", method: .get) { String(buffer: $0.body) }
            #expect(page.contains("<script type=\"module\" src=\"/explorer/app.js\">"))
        }
    }
}

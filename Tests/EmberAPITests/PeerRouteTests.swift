import EmberAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/v1/peers` and `/v1/bans`: against a recording peer network, and against a real node that runs
/// without networking.
@Suite("REST API: peers and bans")
struct PeerRouteTests {
    static let firstPeer = PeerView(
        id: 1, address: "127.0.0.1:19280", direction: "outbound", handshakeComplete: true, userAgent: "/ember:0.1/",
        bestHeight: 42, score: 0, blocksInFlight: 2, pingMs: 1.5, connectedAtMs: 1_700_000_000_000)
    static let keyHeader = HTTPField.Name("X-Ember-API-Key")!

    static func application(_ peers: RecordingPeerAdministration?, apiKey: String? = nil) -> some ApplicationProtocol {
        let router = APIRouter.make(backend: PeerOnlyBackend(peerAdministration: peers), apiKey: apiKey)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func peersView(_ buffer: ByteBuffer) throws -> PeersView {
        try JSONDecoder().decode(PeersView.self, from: Data(buffer.readableBytesView))
    }

    static func errorDetail(_ buffer: ByteBuffer) -> String {
        (try? JSONDecoder().decode(ErrorView.self, from: Data(buffer.readableBytesView)))?.detail ?? "not the JSON error shape: \(String(buffer: buffer))"
    }

    @Test("GET /v1/peers lists the connected peers and the bans")
    func list() async throws {
        let peers = RecordingPeerAdministration(connected: [Self.firstPeer])
        await peers.ban(host: "10.0.0.9", seconds: 60, reason: "spam")
        try await Self.application(peers).test(.router) { client in
            try await client.execute(uri: "/v1/peers", method: .get) { response in
                #expect(response.status == .ok)
                let view = try Self.peersView(response.body)
                #expect(view.peers == [Self.firstPeer])
                #expect(view.bans == [BanView(host: "10.0.0.9", untilMs: RecordingPeerAdministration.nowMs + 60_000, reason: "spam")])
            }
        }
    }

    @Test("POST /v1/peers passes a well-formed address on and answers 202", arguments: [
        ("127.0.0.1:19270", "127.0.0.1:19270"),
        ("localhost:9270", "localhost:9270"),
        ("[::1]:9270", "[::1]:9270"),
        ("[2001:db8::7]:65535", "[2001:db8::7]:65535"),
    ])
    func connect(address: String, passedOn: String) async throws {
        let peers = RecordingPeerAdministration(connected: [])
        try await Self.application(peers).test(.router) { client in
            try await client.execute(uri: "/v1/peers", method: .post, body: Self.body("{\"address\":\"\(address)\"}")) { response in
                #expect(response.status == .accepted)
                let answer = try JSONDecoder().decode(PeerConnectionBody.self, from: Data(response.body.readableBytesView))
                #expect(answer.address == passedOn)
            }
        }
        #expect(await peers.connectionRequests == [passedOn])
    }

    @Test("POST /v1/peers refuses a malformed body or address with 400 and a detail", arguments: [
        ("not json", "the body must be JSON {\"address\": \"HOST:PORT\"}"),
        ("{\"host\":\"127.0.0.1\"}", "the body must be JSON {\"address\": \"HOST:PORT\"}"),
        ("{\"address\":\"127.0.0.1\"}", "is not HOST:PORT"),
        ("{\"address\":\"127.0.0.1:0\"}", "is not HOST:PORT"),
        ("{\"address\":\"127.0.0.1:65536\"}", "is not HOST:PORT"),
        ("{\"address\":\"127.0.0.1:+80\"}", "is not HOST:PORT"),
        ("{\"address\":\"1.2.3:9270\"}", "is not HOST:PORT"),
        ("{\"address\":\"seed.example.com:9270\"}", "is not HOST:PORT"),
        ("{\"address\":\"::1:9270\"}", "is not HOST:PORT"),
        ("{\"address\":\"[::1]9270\"}", "is not HOST:PORT"),
        ("{\"address\":\"[127.0.0.1]:9270\"}", "is not HOST:PORT"),
    ])
    func connectMalformed(body: String, detail: String) async throws {
        let peers = RecordingPeerAdministration(connected: [])
        try await Self.application(peers).test(.router) { client in
            try await client.execute(uri: "/v1/peers", method: .post, body: Self.body(body)) { response in
                #expect(response.status == .badRequest)
                #expect(Self.errorDetail(response.body).contains(detail))
            }
        }
        #expect(await peers.connectionRequests.isEmpty)
    }

    @Test("a body beyond 4 KiB is refused with 413 before it is decoded")
    func oversizedBody() async throws {
        let reason = String(repeating: "x", count: 5_000)
        try await Self.application(RecordingPeerAdministration(connected: [])).test(.router) { client in
            try await client.execute(uri: "/v1/bans", method: .post, body: Self.body("{\"host\":\"10.0.0.9\",\"reason\":\"\(reason)\"}")) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("DELETE /v1/peers/{id} closes a connected peer, 404 for an unknown one, 400 for a non-number")
    func disconnect() async throws {
        let peers = RecordingPeerAdministration(connected: [Self.firstPeer])
        try await Self.application(peers).test(.router) { client in
            try await client.execute(uri: "/v1/peers/99", method: .delete) { response in
                #expect(response.status == .notFound)
                #expect(Self.errorDetail(response.body) == "no connected peer 99")
            }
            try await client.execute(uri: "/v1/peers/first", method: .delete) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/peers/1", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/peers", method: .get) { response in
                let view = try Self.peersView(response.body)
                #expect(view.peers.isEmpty)
            }
        }
    }

    @Test("POST /v1/bans bans, DELETE /v1/bans/{host} lifts it once, then answers 404")
    func banAndUnban() async throws {
        let peers = RecordingPeerAdministration(connected: [])
        try await Self.application(peers).test(.router) { client in
            try await client.execute(uri: "/v1/bans", method: .post, body: Self.body("{\"host\":\"10.0.0.9\",\"seconds\":60,\"reason\":\"spam\"}")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/bans", method: .post, body: Self.body("{\"host\":\"2001:db8::7\"}")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/peers", method: .get) { response in
                let bans = try Self.peersView(response.body).bans
                #expect(bans.map(\.host) == ["10.0.0.9", "2001:db8::7"])
                #expect(bans.first?.untilMs == RecordingPeerAdministration.nowMs + 60_000 && bans.first?.reason == "spam")
            }
            try await client.execute(uri: "/v1/bans/10.0.0.9", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/bans/10.0.0.9", method: .delete) { response in
                #expect(response.status == .notFound)
                #expect(Self.errorDetail(response.body) == "10.0.0.9 is not banned")
            }
            try await client.execute(uri: "/v1/bans/not-an-ip", method: .delete) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("POST /v1/bans refuses a host that is not an IP address, zero seconds and a long reason", arguments: [
        "{\"host\":\"10.0.0.9:9270\"}",
        "{\"host\":\"[::1]\"}",
        "{\"host\":\"peer.example.com\"}",
        "{\"host\":\"10.0.0.9\",\"seconds\":0}",
        "{\"host\":\"10.0.0.9\",\"seconds\":-5}",
        "{\"host\":\"10.0.0.9\",\"reason\":\"\(String(repeating: "r", count: 201))\"}",
        "{\"seconds\":60}",
    ])
    func banMalformed(body: String) async throws {
        let peers = RecordingPeerAdministration(connected: [])
        try await Self.application(peers).test(.router) { client in
            try await client.execute(uri: "/v1/bans", method: .post, body: Self.body(body)) { response in
                #expect(response.status == .badRequest, "\(String(buffer: response.body))")
            }
        }
        #expect(await peers.peers().bans.isEmpty)
    }

    @Test("a real node without networking lists nothing and answers every change with 503")
    func withoutNetworking() async throws {
        let (node, folder) = try await APIRouteTests.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await APIRouteTests.application(node).test(.router) { client in
            try await client.execute(uri: "/v1/peers", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{\"bans\":[],\"peers\":[]}")
            }
            let changes: [(String, HTTPRequest.Method, String?)] = [
                ("/v1/peers", .post, "{\"address\":\"127.0.0.1:19270\"}"), ("/v1/peers/1", .delete, nil),
                ("/v1/bans", .post, "{\"host\":\"10.0.0.9\"}"), ("/v1/bans/10.0.0.9", .delete, nil),
            ]
            for (path, method, body) in changes {
                try await client.execute(uri: path, method: method, body: body.map(Self.body)) { response in
                    #expect(response.status == .serviceUnavailable, "\(method) \(path)")
                    #expect(Self.errorDetail(response.body) == "this node runs without peer-to-peer networking")
                }
            }
        }
    }

    @Test("with an API key, every peer change needs it, however its path is spelt; the list does not")
    func apiKeyGuardsChanges() async throws {
        let peers = RecordingPeerAdministration(connected: [Self.firstPeer])
        try await Self.application(peers, apiKey: "s3cret").test(.router) { client in
            let changes: [(String, HTTPRequest.Method, String?)] = [
                ("/v1/peers", .post, "{\"address\":\"127.0.0.1:19270\"}"), ("/v1/peers/1", .delete, nil),
                ("/v1//peers/1/", .delete, nil), ("/v1/bans", .post, "{\"host\":\"10.0.0.9\"}"),
                ("/v1/bans/10.0.0.9", .delete, nil),
            ]
            for (path, method, body) in changes {
                try await client.execute(uri: path, method: method, body: body.map(Self.body)) { response in
                    #expect(response.status == .unauthorized, "\(method) \(path)")
                }
            }
            try await client.execute(uri: "/v1/peers", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/peers/1", method: .delete, headers: [Self.keyHeader: "s3cret"]) { response in
                #expect(response.status == .noContent)
            }
        }
        #expect(await peers.connectionRequests.isEmpty)
    }

    @Test("the OpenAPI document describes the peer routes, their bodies, answers and protection")
    func openAPI() async throws {
        try await Self.application(nil).test(.router) { client in
            try await client.execute(uri: "/v1/openapi.json", method: .get) { response in
                let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
                #expect(Set(paths["/v1/peers"]?.keys.map { $0 } ?? []) == ["get", "post"])
                #expect(paths["/v1/peers/{id}"]?["delete"] != nil && paths["/v1/bans"]?["post"] != nil)
                #expect(paths["/v1/bans/{host}"]?["delete"] != nil)
                #expect(paths["/v1/peers"]?["get"]?["security"] == nil)
                for (path, method) in [("/v1/peers", "post"), ("/v1/peers/{id}", "delete"), ("/v1/bans", "post"), ("/v1/bans/{host}", "delete")] {
                    let operation = try #require(paths[path]?[method])
                    #expect(operation["security"] != nil, "\(method) \(path) is not marked protected")
                    let responses = try #require(operation["responses"] as? [String: Any])
                    #expect(responses["503"] != nil && responses["401"] != nil, "\(method) \(path)")
                }
                let post = try #require(paths["/v1/peers"]?["post"]?["responses"] as? [String: Any])
                #expect(post["202"] != nil)
                let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
                for name in ["Peers", "Peer", "BanInForce", "PeerConnection", "Ban"] {
                    #expect(schemas[name] != nil, "no schema \(name)")
                }
            }
        }
    }
}

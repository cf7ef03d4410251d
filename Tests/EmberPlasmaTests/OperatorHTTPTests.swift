import EmberCore
import EmberCrypto
import EmberPlasma
import EmberTestSupport
import Foundation
import Testing

/// The operator's HTTP API over a real socket on 127.0.0.1: the layer-2 vector's move posted as bytes
/// gives the vector's root and proofs, answers come after the store has the moves, malformed requests
/// get a 400 or 404 with a message and change nothing, and a coin's history pages through the blocks.
@Suite("Plasma operator HTTP API")
struct OperatorHTTPTests {
    static let alice = OperatorFixture.key(1)
    static let bob = OperatorFixture.key(2)

    struct Vectors: Decodable {
        struct ChildTx: Decodable { let encoding: String }
        struct CoinId: Decodable { let coinId: String }
        struct Tree: Decodable {
            struct Proof: Decodable {
                let key: String
                let included: Bool
                let proof: String
            }
            let name: String
            let root: String
            let proofs: [Proof]
        }
        let chainId: String
        let depositorKey: String
        let coinIds: [CoinId]
        let childTx: ChildTx
        let smt: [Tree]
    }

    /// Serves `service` on 127.0.0.1, port chosen by the system, sealing only by hand; runs `body` with
    /// the base URL and stops the listener afterwards.
    static func serving<Result>(
        _ service: OperatorService, maxHistoryBlocks: Int = OperatorServer.defaultMaxHistoryBlocks, _ body: (String) async throws -> Result
    ) async throws -> Result {
        let server = OperatorServer(service: service, port: 0, logger: OperatorFixture.quietLogger, maxHistoryBlocks: maxHistoryBlocks)
        let (port, task) = try await server.start(sealing: false)
        defer { task.cancel() }
        #expect(port > 0)
        return try await body("http://127.0.0.1:\(port)")
    }

    static func post(_ base: String, _ moves: [ChildTransaction]) async throws -> (status: Int, json: [String: Any]) {
        try await post(base, bytes: moves.flatMap(\.encoded))
    }

    static func post(_ base: String, bytes: [UInt8]) async throws -> (status: Int, json: [String: Any]) {
        let (status, body) = try await LocalHTTP.send("POST", base + "/v1/plasma/transactions", body: Data(bytes))
        return (status, (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:])
    }

    static func proof(_ json: [String: Any]) throws -> SparseMerkleTree.Proof {
        let hex = try #require(json["proof"] as? String)
        return try SparseMerkleTree.Proof(decoding: try #require([UInt8](hexString: hex)), limit: SparseMerkleTree.Proof.maxByteCount)
    }

    @Test("the vector's child transaction posted as bytes seals into the vector's root, and the operator serves the vector's proofs")
    func vectorOverHTTP() async throws {
        struct File: Decodable { let plasma: Vectors }
        let vectors = try JSONDecoder().decode(File.self, from: SharedVectors.data(named: "layer2.json")).plasma
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let chainId = try #require(Hash32(hex: vectors.chainId))
        let store = try OperatorStore(path: fixture.storePath, chainId: chainId, network: .devnet)
        let depositorBytes = try #require([UInt8](hexString: vectors.depositorKey))
        let depositor = try #require(RawPublicKey(depositorBytes))
        for coin in vectors.coinIds {
            try store.registerDeposit(coinId: try #require(Hash32(hex: coin.coinId)), depositorKey: depositor, amount: Amount(units: 1), firstBlock: 1)
        }
        let service = OperatorService(store: store, logger: OperatorFixture.quietLogger)
        let encoding = try #require([UInt8](hexString: vectors.childTx.encoding))
        let tree = try #require(vectors.smt.first { $0.name.hasPrefix("one leaf") })
        try await Self.serving(service) { base in
            let (status, answer) = try await Self.post(base, bytes: encoding)
            #expect(status == 200)
            #expect(answer["accepted"] as? Int == 1 && answer["results"] as? [String] == ["accepted"])
            #expect(try await LocalHTTP.getJSON(base + "/v1/plasma/status").json["pending"] as? Int == 1)

            #expect(try await service.sealBlock()?.number == 1)
            let status1 = try await LocalHTTP.getJSON(base + "/v1/plasma/status").json
            #expect(status1["chainId"] as? String == vectors.chainId)
            #expect(status1["latestBlock"] as? Int == 1 && status1["latestRoot"] as? String == tree.root && status1["pending"] as? Int == 0)
            let block = try await LocalHTTP.getJSON(base + "/v1/plasma/blocks/1").json
            #expect(block["root"] as? String == tree.root && block["transactions"] as? [String] == [vectors.childTx.encoding])

            for expected in tree.proofs {
                let (code, json) = try await LocalHTTP.getJSON(base + "/v1/plasma/blocks/1/proofs/\(expected.key)")
                #expect(code == 200)
                let evidence = try #require(json["evidence"] as? [String: Any])
                #expect(evidence["included"] as? Bool == expected.included && evidence["proof"] as? String == expected.proof)
                #expect(evidence["transaction"] as? String == (expected.included ? vectors.childTx.encoding : nil))
                let leaf = expected.included ? Blake3.hash(encoding) : .zero
                let (key, root, proof) = (try #require(Hash32(hex: expected.key)), try #require(Hash32(hex: tree.root)), try Self.proof(evidence))
                #expect(SparseMerkleTree.verify(proof, key: key, leaf: leaf, root: root))
            }
        }
    }

    @Test("a batch gets a result per move in order, and the accepted moves are in the SQLite file when the answer arrives")
    func answersAfterStoring() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        var moves = [ChildTransaction]()
        for index in 0..<300 {
            let coin = try fixture.deposit("http \(index)", by: Self.alice, into: service.store)
            // Every seventh is signed by the receiver, not the depositor.
            moves.append(try fixture.move(coin, parent: 0, to: Self.bob, signedBy: index % 7 == 0 ? Self.bob : Self.alice))
        }
        // A resend of move 1's bytes, and a second move of coin 2 to someone else.
        moves.append(moves[1])
        moves.append(try fixture.move(moves[2].coinId, parent: 0, to: Self.alice, signedBy: Self.alice))
        try await Self.serving(service) { base in
            let (status, answer) = try await Self.post(base, moves)
            #expect(status == 200)
            let results = try #require(answer["results"] as? [String])
            let expected = moves.indices.map { index in
                index == 300 ? "alreadyAccepted" : index == 301 ? "alreadyMovedThisBlock" : index % 7 == 0 ? "badSignature" : "accepted"
            }
            #expect(results == expected)
            #expect(answer["accepted"] as? Int == expected.filter { ["accepted", "alreadyAccepted"].contains($0) }.count)
            let refusals = try #require(answer["refusals"] as? [[String: Any]])
            #expect(refusals.map { $0["index"] as? Int } == expected.indices.filter { !["accepted", "alreadyAccepted"].contains(expected[$0]) })
            #expect(refusals.first?["coinId"] as? String == moves[0].coinId.hex)
            // Another connection to the file, as after a crash, sees exactly the accepted moves.
            let reader = try fixture.openStore()
            #expect(try Set(reader.pendingMoves(limit: 1_000)) == Set(moves.indices.filter { expected[$0] == "accepted" }.map { moves[$0] }))
        }
    }

    @Test("malformed requests get 400 or 404 with a message, never crash the operator, and leave the store as it was")
    func malformedRequests() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("a", by: Self.alice, into: service.store)
        let move = try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice)
        #expect(try await service.submit([move]) == [.accepted])
        try await service.sealBlock()
        let other = try fixture.deposit("b", by: Self.alice, into: service.store)
        let good = try fixture.move(other, parent: 0, to: Self.bob, signedBy: Self.alice)

        try await Self.serving(service) { base in
            let size = ChildTransaction.byteCount
            for bytes in [[], Array(good.encoded.dropLast()), good.encoded + [0], [UInt8](repeating: 7, count: (ChildTransactionBatch.maxCount + 1) * size)] {
                let (status, json) = try await Self.post(base, bytes: bytes)
                #expect(status == 400, "a body of \(bytes.count) bytes")
                #expect((json["error"] as? String)?.contains("bytes") == true || (json["error"] as? String)?.contains("empty") == true)
            }
            let coinHex = coin.hex
            let cases: [(String, Int)] = [
                ("/v1/plasma/blocks/0", 404), ("/v1/plasma/blocks/2", 404), ("/v1/plasma/blocks/abc", 400), ("/v1/plasma/blocks/-1", 400),
                ("/v1/plasma/blocks/18446744073709551616", 400), ("/v1/plasma/blocks/9223372036854775808", 400),
                ("/v1/plasma/blocks/1?after=zz", 400), ("/v1/plasma/blocks/1/proofs/abcd", 400),
                ("/v1/plasma/blocks/1/proofs/\(coinHex)00", 400), ("/v1/plasma/blocks/7/proofs/\(coinHex)", 404),
                ("/v1/plasma/coins/\(coinHex)/history?from=abc", 400), ("/v1/plasma/coins/\(coinHex)/history?from=-3", 400),
                ("/v1/plasma/coins/\(Blake3.hash([1]).hex)/history", 404), ("/v1/plasma/coins/xyz/history", 400),
            ]
            for (path, expected) in cases {
                let (status, json) = try await LocalHTTP.getJSON(base + path)
                #expect(status == expected, "\(path)")
                #expect((json["error"] as? String)?.isEmpty == false, "\(path)")
            }
            // The store is as it was, and a good move still goes through.
            let status = try await LocalHTTP.getJSON(base + "/v1/plasma/status").json
            #expect(status["latestBlock"] as? Int == 1 && status["pending"] as? Int == 0)
            #expect(try await Self.post(base, [good]).json["accepted"] as? Int == 1)
            #expect(try service.store.pendingMoves(limit: 10) == [good])
        }
    }

    @Test("a coin's history pages through the blocks: inclusion where it moved, non-inclusion elsewhere, each proof holding against its block's root")
    func historyPages() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        let coin = try fixture.deposit("watched", by: Self.alice, into: service.store)
        // Block 1 moves the coin to Bob, block 4 back to Alice; blocks 2, 3 and 5 move other coins only.
        var expectedMoves = [UInt64: ChildTransaction]()
        for number in UInt64(1)...5 {
            var moves = [try fixture.move(
                try fixture.deposit("filler \(number)", by: Self.alice, into: service.store), parent: 0, to: Self.bob, signedBy: Self.alice)]
            if number == 1 { expectedMoves[1] = try fixture.move(coin, parent: 0, to: Self.bob, signedBy: Self.alice) }
            if number == 4 { expectedMoves[4] = try fixture.move(coin, parent: 1, to: Self.alice, signedBy: Self.bob) }
            if let move = expectedMoves[number] { moves.append(move) }
            #expect(try await service.submit(moves).allSatisfy(\.isAccepted))
            #expect(try await service.sealBlock()?.number == number)
        }
        try await Self.serving(service, maxHistoryBlocks: 2) { base in
            var from: Int? = 1
            var seen = [UInt64]()
            while let start = from {
                let (status, page) = try await LocalHTTP.getJSON(base + "/v1/plasma/coins/\(coin.hex)/history?from=\(start)")
                #expect(status == 200 && page["maxBlocksPerRequest"] as? Int == 2 && page["latestBlock"] as? Int == 5)
                let entries = try #require(page["entries"] as? [[String: Any]])
                #expect(entries.count == min(2, 5 - start + 1))
                for entry in entries {
                    let number = UInt64(try #require(entry["block"] as? Int))
                    seen.append(number)
                    let rootHex = try #require(entry["root"] as? String)
                    let root = try #require(Hash32(hex: rootHex))
                    // The root is the one the block route gives, the one a committer would put on layer 1.
                    #expect(try await LocalHTTP.getJSON(base + "/v1/plasma/blocks/\(number)").json["root"] as? String == root.hex)
                    let included = try #require(entry["included"] as? Bool)
                    #expect(included == (expectedMoves[number] != nil))
                    let leaf = expectedMoves[number].map { Blake3.hash($0.encoded) } ?? .zero
                    #expect(entry["transaction"] as? String == expectedMoves[number]?.encoded.hexString)
                    let proof = try Self.proof(entry)
                    #expect(SparseMerkleTree.verify(proof, key: coin, leaf: leaf, root: root))
                    // And not against another block's root.
                    if number > 1, let previous = try await service.sealedBlock(number - 1) {
                        #expect(!SparseMerkleTree.verify(proof, key: coin, leaf: leaf, root: previous.root))
                    }
                }
                from = page["next"] as? Int
            }
            #expect(seen == [1, 2, 3, 4, 5])
            // Without `from`, the history starts at the deposit's first block.
            #expect(try await LocalHTTP.getJSON(base + "/v1/plasma/coins/\(coin.hex)/history").json["from"] as? Int == 1)
        }
    }

    @Test("a listener asked for a port already taken reports the bind failure instead of hanging")
    func portTaken() async throws {
        let fixture = OperatorFixture()
        defer { fixture.remove() }
        let service = try fixture.service()
        try await Self.serving(service) { base in
            let port = try #require(base.split(separator: ":").last.flatMap { Int($0) })
            let second = OperatorServer(service: service, port: port, logger: OperatorFixture.quietLogger)
            await #expect(throws: (any Error).self) { _ = try await second.start(sealing: false) }
            // The first listener still answers.
            #expect(try await LocalHTTP.getJSON(base + "/v1/plasma/status").status == 200)
        }
    }
}

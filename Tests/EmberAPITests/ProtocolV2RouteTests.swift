import EmberAPI
import EmberCore
import EmberCrypto
import EmberNode
import EmberStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The protocol-v2 routes and fields: blobs by hash, outputs by lock, version-2 transaction views.
///
/// The block holding a version-2 transaction is written straight into the node's store, as the chain
/// actor would connect it: these tests are about what the API serves, and the consensus rules that
/// decide which blobs a block may carry are another layer's.
@Suite("REST API: protocol v2")
struct ProtocolV2RouteTests {
    static let blobBytes: [UInt8] = Array("a layer-2 program, published".utf8) + [0, 1, 2, 0xFF]
    static let watchedLock = Lock.pubKeyHash(Hash32(Array(repeating: 0x42, count: 32))!)

    /// A block on top of genesis holding a coinbase and a version-2 transaction with a read, a blob
    /// and an output under `watchedLock`, connected in the node's store.
    static func connectVersion2Block(on node: Node) throws -> (block: Block, transaction: Transaction) {
        let params = node.folder.params
        let genesis = params.genesisBlock
        let coinbase = Transaction(inputs: [], outputs: [Output(amount: Amount(coins: 1)!, lock: .pubKeyHash(.zero))], witnesses: [])
        let transaction = Transaction(
            version: Transaction.version2,
            inputs: [Input(outpoint: OutPoint(txid: Hash32(Array(repeating: 7, count: 32))!, index: 3), unlock: .publicKey(RawPublicKey(Array(repeating: 1, count: 32))!))],
            reads: [OutPoint(txid: genesis.transactions[0].txid, index: 1)],
            outputs: [Output(amount: Amount(coins: 2)!, lock: watchedLock, lockTime: 5, data: [])],
            blobs: [blobBytes],
            witnesses: [Witness(items: [])])
        let header = BlockHeader(
            nonce: genesis.header.nonce, height: 1, parent: genesis.hash, txRoot: .zero, timestamp: genesis.header.timestamp + 1,
            target: genesis.header.target)
        let block = Block(header: header, transactions: [coinbase, transaction])
        let store = node.chainStore
        try store.insertIndexEntries([BlockIndexEntry(header: header, cumulativeWork: [2], status: .headerValid)])
        try store.storeBody(block)
        let created = [coinbase, transaction].flatMap { tx in
            tx.outputs.enumerated().map { index, output in
                UTXO(outpoint: OutPoint(txid: tx.txid, index: UInt32(index)), entry: UTXOEntry(output: output, height: 1, isCoinbase: tx == coinbase))
            }
        }
        try store.connect(BlockConnection(
            blockHash: block.hash, height: 1, created: created, spent: [], txids: [coinbase.txid, transaction.txid],
            blobs: [PublishedBlob(hash: Blake3.hash(blobBytes), position: 1, index: 0)], addressActivity: [], utxoSetHash: .zero,
            supply: nil))
        return (block, transaction)
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (status: Int, json: [String: Any]) {
        try await client.execute(uri: uri, method: .get) { response in
            (Int(response.status.code), APIRouteTests.json(response.body))
        }
    }

    @Test("a blob of the active chain is served with its transaction, block, height, size and bytes")
    func blobIsServed() async throws {
        let (node, folder) = try await APIRouteTests.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (block, transaction) = try Self.connectVersion2Block(on: node)
        let hash = Blake3.hash(Self.blobBytes).hex
        try await APIRouteTests.application(node).test(.router) { client in
            let (status, blob) = try await Self.get(client, "/v1/blobs/\(hash)")
            #expect(status == 200)
            #expect(blob["hash"] as? String == hash)
            #expect(blob["txid"] as? String == transaction.txid.hex)
            #expect(blob["blockHash"] as? String == block.hash.hex)
            #expect(blob["height"] as? Int == 1)
            #expect(blob["size"] as? Int == 32)
            #expect(blob["hex"] as? String == "61206c617965722d322070726f6772616d2c207075626c6973686564000102ff")
            #expect(Set(blob.keys) == ["hash", "txid", "blockHash", "height", "size", "hex"])
            // Uppercase hex names the same blob, as for every hash route.
            #expect(try await Self.get(client, "/v1/blobs/\(hash.uppercased())").status == 200)
        }
        try node.chainStore.disconnect(BlockDisconnection(
            blockHash: block.hash, height: 1,
            created: [OutPoint(txid: block.transactions[0].txid, index: 0), OutPoint(txid: transaction.txid, index: 0)],
            restored: [], txids: block.transactions.map(\.txid), utxoSetHash: .zero))
        try await APIRouteTests.application(node).test(.router) { client in
            let (status, error) = try await Self.get(client, "/v1/blobs/\(hash)")
            #expect(status == 404)
            #expect(error["error"] as? String == "not found")
        }
    }

    @Test("blob requests that name no blob get the usual JSON errors", arguments: [
        ("/v1/blobs/" + String(repeating: "ab", count: 32), 404),
        ("/v1/blobs/xyz", 400),
        ("/v1/blobs/" + String(repeating: "ab", count: 31), 400),
        ("/v1/blobs/" + String(repeating: "ab", count: 33), 400),
    ])
    func blobErrors(path: String, status: Int) async throws {
        let (node, folder) = try await APIRouteTests.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await APIRouteTests.application(node).test(.router) { client in
            let (answered, error) = try await Self.get(client, path)
            #expect(answered == status)
            #expect(error["error"] is String && error["detail"] is String)
        }
    }

    @Test("outputs by lock list exactly that lock's unspent outputs, in the address route's shape")
    func outputsByLock() async throws {
        let (node, folder) = try await APIRouteTests.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, transaction) = try Self.connectVersion2Block(on: node)
        let seed = SigningKey.devnet(index: 1).publicKey
        try await APIRouteTests.application(node).test(.router) { client in
            let watched = try await Self.get(client, "/v1/locks/00" + String(repeating: "42", count: 32) + "/outputs")
            #expect(watched.status == 200)
            #expect(watched.json["lock"] as? String == "00" + String(repeating: "42", count: 32))
            #expect(watched.json["lockTag"] as? Int == 0)
            let outputs = try #require(watched.json["outputs"] as? [[String: Any]])
            #expect(outputs.count == 1)
            #expect(outputs.first?["txid"] as? String == transaction.txid.hex)
            #expect(outputs.first?["index"] as? Int == 0)
            #expect(outputs.first?["amount"] as? String == "2000000000000000000")
            #expect(outputs.first?["lockTime"] as? Int == 5)

            // A seed account's lock lists what its address lists, output for output.
            let byLock = try await Self.get(client, "/v1/locks/00\(seed.publicKeyHash.hex)/outputs")
            let byAddress = try await Self.get(client, "/v1/addresses/\(seed.address(on: .devnet).string)/outputs")
            let lockOutputs = try #require(byLock.json["outputs"] as? [[String: Any]])
            let addressOutputs = try #require(byAddress.json["outputs"] as? [[String: Any]])
            #expect(lockOutputs.count == 1)
            #expect(NSArray(array: lockOutputs).isEqual(to: addressOutputs))
            #expect(byLock.json["address"] as? String == seed.address(on: .devnet).string)

            let empty = try await Self.get(client, "/v1/locks/00" + String(repeating: "43", count: 32) + "/outputs")
            #expect(empty.status == 200 && (empty.json["outputs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a malformed lock is answered 400", arguments: [
        "zz",                                              // not hex
        "0",                                               // odd digits
        "",                                                // nothing
        "00" + String(repeating: "42", count: 31),         // body short
        "00" + String(repeating: "42", count: 33),         // trailing byte
        "7f" + String(repeating: "42", count: 32),         // unknown tag
        "00" + String(repeating: "42", count: 5_000),      // over the size limit
    ])
    func malformedLock(lock: String) async throws {
        let (node, folder) = try await APIRouteTests.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await APIRouteTests.application(node).test(.router) { client in
            let (status, error) = try await Self.get(client, "/v1/locks/\(lock)/outputs")
            #expect(lock.isEmpty ? status == 404 || status == 400 : status == 400, "\(status) \(error)")
            #expect(error["error"] is String && error["detail"] is String)
        }
    }

    @Test("a version-2 transaction shows its version, reads, blob hashes and each output's lock")
    func version2TransactionView() async throws {
        let (node, folder) = try await APIRouteTests.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, transaction) = try Self.connectVersion2Block(on: node)
        let genesisTxid = node.folder.params.genesisBlock.transactions[0].txid.hex
        try await APIRouteTests.application(node).test(.router) { client in
            let (status, view) = try await Self.get(client, "/v1/transactions/\(transaction.txid.hex)")
            #expect(status == 200)
            #expect(view["version"] as? Int == 2)
            let reads = try #require(view["reads"] as? [[String: Any]])
            #expect(reads.count == 1 && reads.first?["txid"] as? String == genesisTxid && reads.first?["index"] as? Int == 1)
            #expect(view["blobHashes"] as? [String] == [Blake3.hash(Self.blobBytes).hex])
            let output = try #require((view["outputs"] as? [[String: Any]])?.first)
            #expect(output["lockTag"] as? Int == 0)
            #expect(output["lockHex"] as? String == "00" + String(repeating: "42", count: 32))
            #expect(output["address"] as? String == Address(publicKeyHash: Hash32(Array(repeating: 0x42, count: 32))!, network: .devnet).string)
        }
    }

    @Test("a version-1 transaction keeps its fields and gains version 1, no reads and no blobs")
    func version1TransactionView() async throws {
        let (node, folder) = try await APIRouteTests.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let genesis = node.folder.params.genesisBlock
        let seedAddress = SigningKey.devnet(index: 1).publicKey.address(on: .devnet).string
        try await APIRouteTests.application(node).test(.router) { client in
            let (status, view) = try await Self.get(client, "/v1/transactions/\(genesis.transactions[0].txid.hex)")
            #expect(status == 200)
            #expect(Set(view.keys) == ["txid", "status", "height", "blockHash", "size", "hex", "version", "inputs", "reads", "blobHashes", "outputs"])
            #expect(view["version"] as? Int == 1)
            #expect((view["reads"] as? [Any])?.isEmpty == true)
            #expect((view["blobHashes"] as? [Any])?.isEmpty == true)
            let outputs = try #require(view["outputs"] as? [[String: Any]])
            #expect(outputs[2]["address"] as? String == seedAddress)
            #expect(outputs[2]["amount"] as? String == "1000000000000000000000000")
            #expect(outputs[2]["lockHex"] as? String == "00" + SigningKey.devnet(index: 1).publicKey.publicKeyHash.hex)
            #expect(Set(outputs[2].keys) == ["amount", "address", "lockTime", "lockTag", "lockHex"])
        }
    }

    @Test("the OpenAPI document describes the JSON the v2 routes answer")
    func openAPIDescribesV2Answers() async throws {
        let (node, folder) = try await APIRouteTests.makeNode()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, transaction) = try Self.connectVersion2Block(on: node)
        try await APIRouteTests.application(node).test(.router) { client in
            let document = try await Self.get(client, "/v1/openapi.json").json
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            func properties(_ name: String) -> Set<String> { Set((schemas[name]?["properties"] as? [String: Any])?.keys.map { $0 } ?? []) }

            let blobOperation = try #require(paths["/v1/blobs/{hash}"]?["get"] as? [String: Any])
            let parameter = try #require((blobOperation["parameters"] as? [[String: Any]])?.first)
            #expect((parameter["schema"] as? [String: Any])?["pattern"] as? String == "^[0-9a-fA-F]{64}$")
            let responses = try #require(blobOperation["responses"] as? [String: Any])
            #expect(responses["404"] != nil && responses["400"] != nil)
            let lockOperation = try #require(paths["/v1/locks/{lock}/outputs"]?["get"] as? [String: Any])
            let lockParameters = try #require(lockOperation["parameters"] as? [[String: Any]])
            #expect(lockParameters.contains { $0["name"] as? String == "limit" })
            #expect(((lockParameters.first { $0["name"] as? String == "lock" })?["schema"] as? [String: Any])?["pattern"] != nil)

            let blob = try await Self.get(client, "/v1/blobs/\(Blake3.hash(Self.blobBytes).hex)").json
            #expect(Set(blob.keys) == properties("Blob"))
            let view = try await Self.get(client, "/v1/transactions/\(transaction.txid.hex)").json
            #expect(Set(view.keys) == properties("Transaction"))
            let output = try #require((view["outputs"] as? [[String: Any]])?.first)
            #expect(Set(output.keys) == properties("TransactionOutput"))
            let read = try #require((view["reads"] as? [[String: Any]])?.first)
            #expect(Set(read.keys) == properties("OutPoint"))
            let listing = try await Self.get(client, "/v1/locks/00" + String(repeating: "42", count: 32) + "/outputs").json
            #expect(Set(listing.keys).isSubset(of: properties("LockOutputs")))
            let listed = try #require((listing["outputs"] as? [[String: Any]])?.first)
            #expect(Set(listed.keys) == properties("Output"))
        }
    }
}

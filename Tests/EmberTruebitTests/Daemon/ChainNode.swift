import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberTestSupport
import Foundation
import Synchronization

/// A node's REST API, answered from a `ChainBuilder` chain whose every block passes all four tiers: the
/// routes the daemons use (info, blocks by height and by hash, an address's outputs, blobs, submit). A
/// submitted transaction is pooled only if a block holding the pool and it would be valid (the mempool's
/// verdict, approximately); `mine` puts the pool in the next block.
final class ChainNode: NodeAPITransport, Sendable {
    private struct State {
        var chain: ChainBuilder
        var pool: [Transaction] = []
        /// Every block ever on the chain, so a client can walk back a branch that left it.
        var known: [Hash32: Block] = [:]
    }

    private let state: Mutex<State>

    init(_ chain: ChainBuilder) {
        state = Mutex(State(chain: chain, known: Dictionary(uniqueKeysWithValues: chain.blocks.map { ($0.hash, $0) })))
    }

    var chain: ChainBuilder { state.withLock { $0.chain } }
    var pool: [Transaction] { state.withLock { $0.pool } }
    var height: UInt64 { chain.tip.header.height }

    /// Mines one block holding the pool (emptied); returns the transactions mined.
    @discardableResult
    func mine() throws -> [Transaction] {
        try state.withLock { state in
            let mined = state.pool
            let block = state.chain.makeBlock(mined)
            try state.chain.append(block)
            state.known[block.hash] = block
            state.pool = []
            return mined
        }
    }

    /// Mines `built` at once, outside the pool (a test's own transaction); returns it.
    @discardableResult
    func mine(_ built: SponsoredTransaction) throws -> Transaction {
        try state.withLock { state in
            let block = state.chain.makeBlock(state.pool + [built.transaction])
            try state.chain.append(block)
            state.known[block.hash] = block
            state.pool = []
        }
        return built.transaction
    }

    func send(_ request: NodeAPIRequest) async throws(NodeAPIError) -> NodeAPIResponse {
        if request.method == "POST" { return submit(request.body ?? Data()) }
        let (chain, known) = state.withLock { ($0.chain, $0.known) }
        let path = request.path
        if path == "/v1/info" {
            return Self.json(["networkID": Int(chain.params.networkID.rawValue), "height": chain.blocks.count - 1, "tip": chain.tip.hash.hex])
        }
        if let height = Self.suffix(path, after: "/v1/blocks/height/").flatMap({ Int($0) }) {
            guard chain.blocks.indices.contains(height) else { return Self.missing }
            return Self.block(chain.blocks[height], active: true)
        }
        if let hash = Self.suffix(path, after: "/v1/blocks/").flatMap({ Hash32(hex: $0) }) {
            guard let block = known[hash] else { return Self.missing }
            let height = Int(block.header.height)
            return Self.block(block, active: chain.blocks.indices.contains(height) && chain.blocks[height].hash == hash)
        }
        if let hash = Self.suffix(path, after: "/v1/blobs/").flatMap({ Hash32(hex: $0) }) {
            for (height, block) in chain.blocks.enumerated() {
                for transaction in block.transactions {
                    guard let blob = transaction.blobs.first(where: { Blake3.hash($0) == hash }) else { continue }
                    return Self.json([
                        "hash": hash.hex, "txid": transaction.txid.hex, "blockHash": block.hash.hex, "height": height, "size": blob.count,
                        "hex": blob.hexString,
                    ])
                }
            }
            return Self.missing
        }
        if let address = Self.suffix(path, after: "/v1/addresses/")?.replacingOccurrences(of: "/outputs", with: "") {
            let outputs: [[String: Any]] = chain.utxos.outputs.compactMap { outpoint, unspent in
                guard case .pubKeyHash(let hash) = unspent.output.lock,
                      Address(publicKeyHash: hash, network: chain.params.networkID).description == address
                else { return nil }
                return [
                    "txid": outpoint.txid.hex, "index": Int(outpoint.index), "amount": String(unspent.output.amount.units),
                    "lockTime": Int(unspent.output.lockTime), "height": Int(unspent.height), "coinbase": unspent.isCoinbase,
                ]
            }
            return Self.json(["outputs": outputs])
        }
        return Self.missing
    }

    /// Pools the transaction when a block of the pool and it would be valid, as a node's mempool would.
    private func submit(_ body: Data) -> NodeAPIResponse {
        let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: String]
        guard let hex = fields?["hex"], let bytes = [UInt8](hexString: hex), let transaction = try? Transaction.decode(from: bytes, limit: 1 << 22)
        else {
            return Self.json(["error": "not a transaction"], status: 400)
        }
        return state.withLock { state in
            if state.pool.contains(transaction) { return Self.json(["txid": transaction.txid.hex]) }
            do {
                _ = try state.chain.validate(state.chain.makeBlock(state.pool + [transaction]))
            } catch {
                return Self.json(["error": "rejected", "detail": "\(error)"], status: 400)
            }
            state.pool.append(transaction)
            return Self.json(["txid": transaction.txid.hex])
        }
    }

    private static func suffix(_ path: String, after prefix: String) -> String? {
        path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }

    private static func block(_ block: Block, active: Bool) -> NodeAPIResponse {
        json(["hash": block.hash.hex, "height": Int(block.header.height), "active": active, "hex": block.encoded.hexString])
    }

    private static let missing = json(["error": "not found"], status: 404)

    private static func json(_ object: [String: Any], status: Int = 200) -> NodeAPIResponse {
        // The objects above hold only strings, numbers, booleans and arrays of them.
        NodeAPIResponse(status: status, body: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }
}

import EmberCore
import EmberCrypto
import EmberNode
import Foundation

/// A layer-2 client's view of a node: the routes of its REST API a watcher and a builder need.
///
/// Every answer is untrusted: the transport bounds bodies, blocks are decoded under their size limit
/// and must hash to what the node claims, blobs must hash to their name, and every field is checked.
/// Unknown fields are ignored, so a newer node still serves an older client.
public struct NodeAPIClient: Sendable {
    /// Bounds a node's error text shown to a person, which must stay one line.
    static let maxErrorTextLength = 300

    public let transport: any NodeAPITransport

    public init(transport: any NodeAPITransport) {
        self.transport = transport
    }

    /// A client of the node at `baseURL` over HTTP, sending `apiKey` when given.
    public init(baseURL: URL, apiKey: String? = nil, timeout: TimeInterval = 30) {
        self.init(transport: HTTPNodeAPITransport(baseURL: baseURL, apiKey: apiKey, timeout: timeout))
    }

    /// `GET /v1/info`: the node's network and active tip.
    public func tip() async throws(NodeAPIError) -> ChainTip {
        let path = "/v1/info"
        let body = try await get(path, as: InfoBody.self)
        guard let network = NetworkID(rawValue: body.networkID) else {
            throw .badResponse(path: path, reason: "unknown network id \(body.networkID)")
        }
        return ChainTip(network: network, height: body.height, hash: try hash(body.tip, "tip", path))
    }

    /// `GET /v1/blocks/height/{height}`: the active block at `height`, nil when the chain is shorter.
    public func block(atHeight height: UInt64) async throws(NodeAPIError) -> ObservedBlock? {
        let path = "/v1/blocks/height/\(height)"
        guard let block = try await observedBlock(path) else { return nil }
        guard block.height == height else {
            throw .badResponse(path: path, reason: "the block is at height \(block.height), not \(height)")
        }
        return block
    }

    /// `GET /v1/blocks/{hash}`: the block with that hash, active or not; nil when the node has none.
    public func block(hash: Hash32) async throws(NodeAPIError) -> ObservedBlock? {
        let path = "/v1/blocks/\(hash.hex)"
        guard let block = try await observedBlock(path) else { return nil }
        guard block.hash == hash else { throw .badResponse(path: path, reason: "the block hashes to \(block.hash), not \(hash)") }
        return block
    }

    /// `GET /v1/locks/{lockHex}/outputs`: the confirmed unspent outputs under exactly `lock`.
    public func outputs(under lock: Lock) async throws(NodeAPIError) -> [WalletOutput] {
        try await outputs(path: "/v1/locks/\(lock.encoded.hexString)/outputs")
    }

    /// `GET /v1/addresses/{address}/outputs`: the confirmed unspent outputs of an address.
    public func outputs(of address: Address) async throws(NodeAPIError) -> [WalletOutput] {
        try await outputs(path: "/v1/addresses/\(address)/outputs")
    }

    /// `GET /v1/blobs/{hash}`: a blob published on the active chain, nil when the node has none.
    public func blob(hash: Hash32) async throws(NodeAPIError) -> PublishedBlob? {
        let path = "/v1/blobs/\(hash.hex)"
        let response = try await transport.send(NodeAPIRequest(path: path))
        guard response.status != 404 else { return nil }
        let body = try decode(response, path: path, as: BlobBody.self)
        guard body.hex.utf8.count <= 2 * Transaction.maxBlobSize, let bytes = [UInt8](hexString: body.hex) else {
            throw .badResponse(path: path, reason: "hex is not a blob of at most \(Transaction.maxBlobSize) bytes in hex")
        }
        guard Blake3.hash(bytes) == hash, try self.hash(body.hash, "hash", path) == hash else {
            throw .badResponse(path: path, reason: "the blob's bytes do not hash to \(hash)")
        }
        guard body.size == bytes.count else { throw .badResponse(path: path, reason: "size \(body.size) is not the \(bytes.count) bytes sent") }
        return PublishedBlob(
            hash: hash, txid: try self.hash(body.txid, "txid", path), blockHash: try self.hash(body.blockHash, "blockHash", path),
            height: body.height, bytes: bytes)
    }

    /// `POST /v1/transactions`: submits `transaction`; returns the txid the node reports, checked to be its txid.
    public func submit(_ transaction: Transaction) async throws(NodeAPIError) -> Hash32 {
        let path = "/v1/transactions"
        let request = NodeAPIRequest(method: "POST", path: path, body: Data(#"{"hex":"\#(transaction.encoded.hexString)"}"#.utf8))
        let body = try decode(try await transport.send(request), path: path, as: SubmitBody.self)
        let txid = try hash(body.txid, "txid", path)
        guard txid == transaction.txid else { throw .badResponse(path: path, reason: "the node names txid \(txid), not \(transaction.txid)") }
        return txid
    }

    // MARK: - Exchange

    private func observedBlock(_ path: String) async throws(NodeAPIError) -> ObservedBlock? {
        let response = try await transport.send(NodeAPIRequest(path: path))
        guard response.status != 404 else { return nil }
        let body = try decode(response, path: path, as: BlockBody.self)
        guard let hex = body.hex else { throw .badResponse(path: path, reason: "the block has no hex") }
        guard hex.utf8.count <= 2 * Block.maxSize, let bytes = [UInt8](hexString: hex) else {
            throw .badResponse(path: path, reason: "hex is not a block of at most \(Block.maxSize) bytes in hex")
        }
        let block: Block
        do {
            block = try Block.decode(from: bytes, limit: Block.maxSize)
        } catch {
            throw .badResponse(path: path, reason: "the block does not decode: \(error)")
        }
        let claimed = try hash(body.hash, "hash", path)
        guard block.hash == claimed else { throw .badResponse(path: path, reason: "the block hashes to \(block.hash), not \(claimed)") }
        guard block.header.height == body.height else {
            throw .badResponse(path: path, reason: "the header says height \(block.header.height), the answer \(body.height)")
        }
        return ObservedBlock(block: block, hash: claimed, height: body.height, isActive: body.active)
    }

    private func outputs(path: String) async throws(NodeAPIError) -> [WalletOutput] {
        let body = try await get(path, as: OutputsBody.self)
        var outputs = [WalletOutput]()
        outputs.reserveCapacity(body.outputs.count)
        for output in body.outputs {
            outputs.append(WalletOutput(
                outpoint: OutPoint(txid: try hash(output.txid, "txid", path), index: output.index),
                amount: try amount(output.amount, "amount", path), lockTime: output.lockTime, height: output.height,
                isCoinbase: output.coinbase))
        }
        return outputs
    }

    private func get<Body: Decodable>(_ path: String, as type: Body.Type) async throws(NodeAPIError) -> Body {
        try decode(try await transport.send(NodeAPIRequest(path: path)), path: path, as: type)
    }

    private func decode<Body: Decodable>(_ response: NodeAPIResponse, path: String, as type: Body.Type) throws(NodeAPIError) -> Body {
        guard (200..<300).contains(response.status) else {
            let problem = try? JSONDecoder().decode(ErrorBody.self, from: response.body)
            throw .refused(
                path: path, status: response.status, error: problem?.error.map(Self.shortened),
                detail: problem?.detail.map(Self.shortened))
        }
        do {
            return try JSONDecoder().decode(Body.self, from: response.body)
        } catch {
            throw .badResponse(path: path, reason: Self.describe(error))
        }
    }

    private func hash(_ text: String, _ field: String, _ path: String) throws(NodeAPIError) -> Hash32 {
        guard let value = Hash32(hex: text) else { throw .badResponse(path: path, reason: "\(field) is not 64 hex digits") }
        return value
    }

    private func amount(_ text: String, _ field: String, _ path: String) throws(NodeAPIError) -> Amount {
        guard let amount = CoinAmount.parseUnits(text) else {
            throw .badResponse(path: path, reason: "\(field) is not a whole number of units")
        }
        return amount
    }

    /// A node's text made fit for one line of a message.
    static func shortened(_ text: String) -> String {
        let oneLine = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return oneLine.count <= maxErrorTextLength ? oneLine : String(oneLine.prefix(maxErrorTextLength)) + "…"
    }

    /// Why untrusted JSON did not decode, naming the field.
    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? Swift.DecodingError else { return "not JSON" }
        let path = { (keys: [any CodingKey]) in keys.map(\.stringValue).joined(separator: ".") }
        switch decodingError {
        case .keyNotFound(let key, let context): return "the field \(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.isEmpty ? "not a JSON object" : "the field \(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : "the field \(path(context.codingPath)) is invalid"
        @unknown default: return "not JSON"
        }
    }
}

// The JSON shapes of the API's answers, before their values are checked.

private struct InfoBody: Decodable {
    let networkID: UInt8
    let height: UInt64
    let tip: String
}

private struct BlockBody: Decodable {
    let hash: String
    let height: UInt64
    let active: Bool
    let hex: String?
}

private struct OutputsBody: Decodable {
    struct Output: Decodable {
        let txid: String
        let index: UInt32
        let amount: String
        let lockTime: UInt64
        let height: UInt64
        let coinbase: Bool
    }

    let outputs: [Output]
}

private struct BlobBody: Decodable {
    let hash: String
    let txid: String
    let blockHash: String
    let height: UInt64
    let size: Int
    let hex: String
}

private struct SubmitBody: Decodable {
    let txid: String
}

private struct ErrorBody: Decodable {
    let error: String?
    let detail: String?
}

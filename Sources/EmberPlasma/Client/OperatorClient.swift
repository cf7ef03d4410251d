import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation

/// A Plasma client's view of an operator (docs/plasma-operator.md, "HTTP API"): status, a coin's evidence
/// per block, and submitting signed moves.
///
/// Every answer is untrusted bytes: the transport bounds the body, every hex field is length-checked
/// before it is decoded, proofs are decoded under their 8 224-byte limit, a transaction must be exactly
/// 136 bytes and of the coin asked for. A proof is *not* trusted to hold: the caller checks it against the
/// root it read from layer 1. An unreachable operator is an `OperatorClientError.unreachable` naming it.
public struct OperatorClient: Sendable {
    /// Bounds one answer: a history page of 1 000 maximal proofs in hex is about 16.5 MB.
    public static let maxBodySize = 20 * 1_024 * 1_024
    /// Bounds a history page the client accepts, whatever the operator sends.
    public static let maxEntriesPerPage = 1_000

    public let transport: any NodeAPITransport
    public let description: String

    public init(transport: any NodeAPITransport, description: String) {
        self.transport = transport
        self.description = description
    }

    /// The operator at `baseURL` over HTTP.
    public init(baseURL: URL, timeout: TimeInterval = 30) {
        self.init(
            transport: HTTPNodeAPITransport(baseURL: baseURL, timeout: timeout, maxBodySize: Self.maxBodySize), description: baseURL.absoluteString)
    }

    /// `GET /v1/plasma/status`.
    public struct Status: Hashable, Sendable {
        public let chainId: Hash32
        public let latestBlock: UInt64
        public let frozen: Bool
    }

    public func status() async throws(OperatorClientError) -> Status {
        let path = "/v1/plasma/status"
        let body = try await get(path, as: StatusBody.self)
        return Status(chainId: try hash(body.chainId, "chainId", path), latestBlock: body.latestBlock, frozen: body.frozen)
    }

    /// `GET /v1/plasma/blocks/{n}/proofs/{coin}`: the coin's evidence in block `number`; nil when the
    /// operator has no such block (404).
    public func proof(of coin: Hash32, inBlock number: UInt64) async throws(OperatorClientError) -> CoinProof? {
        let path = "/v1/plasma/blocks/\(number)/proofs/\(coin.hex)"
        let response = try await send(NodeAPIRequest(path: path))
        if response.status == 404 { return nil }
        let body = try decode(response, path: path, as: ProofBody.self)
        guard try hash(body.coinId, "coinId", path) == coin else { throw .badAnswer(path: path, reason: "the proof is for another coin") }
        let (block, proof) = try evidence(body.evidence, coin: coin, path: path)
        guard block == number else { throw .badAnswer(path: path, reason: "the evidence is for block \(block), not \(number)") }
        return proof
    }

    /// `GET /v1/plasma/coins/{coin}/history?from=N`: one page of evidence, block by block, and the next
    /// page's first block (nil on the last page).
    public func history(of coin: Hash32, from: UInt64) async throws(OperatorClientError) -> (entries: [(UInt64, CoinProof)], next: UInt64?) {
        let path = "/v1/plasma/coins/\(coin.hex)/history?from=\(from)"
        let body = try await get(path, as: HistoryBody.self)
        guard body.entries.count <= Self.maxEntriesPerPage else { throw .badAnswer(path: path, reason: "more than \(Self.maxEntriesPerPage) entries") }
        var entries = [(UInt64, CoinProof)]()
        // The block the next entry must be for; nil after an entry for block UInt64.max, which no block follows.
        var expected: UInt64? = from
        for item in body.entries {
            let (block, proof) = try evidence(item, coin: coin, path: path)
            guard let due = expected else { throw .badAnswer(path: path, reason: "entry for block \(block) after block \(UInt64.max)") }
            guard block == due else { throw .badAnswer(path: path, reason: "entry for block \(block) where \(due) was due") }
            entries.append((block, proof))
            expected = block < .max ? block + 1 : nil
        }
        if let next = body.next, next != expected {
            let due = expected.map { "not \($0)" } ?? "after the last possible block"
            throw .badAnswer(path: path, reason: "the next page starts at \(next), \(due)")
        }
        return (entries, body.next)
    }

    /// `POST /v1/plasma/transactions`: the operator's result per move ("accepted", "alreadyAccepted" or a refusal code).
    public func submit(_ moves: [ChildTransaction]) async throws(OperatorClientError) -> [String] {
        let path = "/v1/plasma/transactions"
        let request = NodeAPIRequest(method: "POST", path: path, body: Data(ChildTransactionBatch.encode(moves)))
        let body = try decode(try await send(request), path: path, as: SubmittedBody.self)
        guard body.results.count == moves.count, body.results.allSatisfy({ $0.utf8.count <= 64 }) else {
            throw .badAnswer(path: path, reason: "the results do not match the \(moves.count) moves sent")
        }
        return body.results
    }

    // MARK: - Decoding untrusted answers

    private func evidence(_ body: EvidenceBody, coin: Hash32, path: String) throws(OperatorClientError) -> (UInt64, CoinProof) {
        guard body.proof.utf8.count <= 2 * SparseMerkleTree.Proof.maxByteCount, let bytes = [UInt8](hexString: body.proof) else {
            throw .badAnswer(path: path, reason: "the proof is not hex of at most \(SparseMerkleTree.Proof.maxByteCount) bytes")
        }
        let proof: SparseMerkleTree.Proof
        do {
            proof = try SparseMerkleTree.Proof(decoding: bytes, limit: SparseMerkleTree.Proof.maxByteCount)
        } catch {
            throw .badAnswer(path: path, reason: "the proof is malformed: \(error)")
        }
        guard body.included else {
            guard body.transaction == nil else { throw .badAnswer(path: path, reason: "a transaction with a proof of non-inclusion") }
            return (body.block, .notMoved(proof))
        }
        guard let hex = body.transaction, hex.utf8.count == 2 * ChildTransaction.byteCount, let txBytes = [UInt8](hexString: hex),
              let move = try? ChildTransaction.decode(from: txBytes, limit: ChildTransaction.byteCount)
        else {
            throw .badAnswer(path: path, reason: "the included transaction is not \(ChildTransaction.byteCount) bytes of hex")
        }
        guard move.coinId == coin else { throw .badAnswer(path: path, reason: "the included transaction moves another coin") }
        return (body.block, .moved(move, proof))
    }

    private func send(_ request: NodeAPIRequest) async throws(OperatorClientError) -> NodeAPIResponse {
        do {
            return try await transport.send(request)
        } catch {
            switch error {
            case .unreachable(_, let reason): throw .unreachable(operator: description, reason: reason)
            default: throw .badAnswer(path: request.path, reason: error.description)
            }
        }
    }

    private func get<Body: Decodable>(_ path: String, as type: Body.Type) async throws(OperatorClientError) -> Body {
        try decode(try await send(NodeAPIRequest(path: path)), path: path, as: type)
    }

    private func decode<Body: Decodable>(_ response: NodeAPIResponse, path: String, as type: Body.Type) throws(OperatorClientError) -> Body {
        guard (200..<300).contains(response.status) else {
            let message = (try? JSONDecoder().decode(ErrorBody.self, from: response.body))?.error.map(Self.shown)
            throw .refused(path: path, status: response.status, message: message)
        }
        do {
            return try JSONDecoder().decode(Body.self, from: response.body)
        } catch {
            throw .badAnswer(path: path, reason: "not the JSON expected (\(type))")
        }
    }

    /// An operator's error message as the client repeats it: on one line, and cut to 300 Unicode scalars,
    /// not characters, since one character may carry any number of combining marks.
    private static func shown(_ message: String) -> String {
        String(String.UnicodeScalarView(message.unicodeScalars.prefix(300))).replacingOccurrences(of: "\n", with: " ")
    }

    private func hash(_ text: String, _ field: String, _ path: String) throws(OperatorClientError) -> Hash32 {
        guard text.utf8.count == 64, let value = Hash32(hex: text) else { throw .badAnswer(path: path, reason: "\(field) is not 64 hex digits") }
        return value
    }
}

// The JSON shapes of the operator's answers, before their values are checked.

private struct StatusBody: Decodable {
    let chainId: String
    let latestBlock: UInt64
    let frozen: Bool
}

private struct EvidenceBody: Decodable {
    let block: UInt64
    let included: Bool
    let proof: String
    let transaction: String?
}

private struct ProofBody: Decodable {
    let coinId: String
    let evidence: EvidenceBody
}

private struct HistoryBody: Decodable {
    let next: UInt64?
    let entries: [EvidenceBody]
}

private struct SubmittedBody: Decodable {
    let results: [String]
}

private struct ErrorBody: Decodable {
    let error: String?
}

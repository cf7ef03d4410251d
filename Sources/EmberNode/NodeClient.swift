import EmberCore
import EmberCrypto
import Foundation


/// The wallet's view of a node: its REST API under `/v1` (JSON; amounts are decimal strings of units,
/// hashes lower-case hex).
///
/// Every answer is untrusted: bodies are bounded, fields checked, and unknown fields ignored so a newer
/// node still serves an older wallet.
public struct NodeClient: Sendable {
    /// Bounds a reply's body; an address with tens of thousands of outputs still fits.
    public static let maxResponseBytes = 8 * 1024 * 1024
    /// Bounds the history one request asks for.
    public static let maxHistoryLimit = 1_000
    /// Bounds a node's error text shown to the user, which must stay one line.
    static let maxErrorTextLength = 300

    public let baseURL: URL
    private let transport: WalletHTTPTransport

    /// A client of the node at `baseURL`, such as `http://127.0.0.1:19271`.
    public init(baseURL: URL, timeout: TimeInterval = 30) {
        self.baseURL = baseURL
        transport = WalletHTTPTransport(timeout: timeout, maxBodySize: Self.maxResponseBytes)
    }

    /// The API of a node running `network` on this machine with default ports.
    public static func defaultURL(for network: NetworkID) -> URL {
        let port = network == .devnet ? 19_271 : 9_271
        // A literal URL with a numeric port always parses.
        return URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Parses a `--node` value: an http or https URL with a host.
    public static func parseURL(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host?.isEmpty == false
        else { return nil }
        return url
    }

    /// `GET /v1/info`: the node's network and tip.
    public func info() async throws(WalletNodeError) -> NodeInfo {
        let path = "/v1/info"
        let body = try await get(path, as: InfoBody.self)
        guard let network = NetworkID(rawValue: body.networkID) else {
            throw .badResponse(path: path, reason: "unknown network id \(body.networkID)")
        }
        return NodeInfo(network: network, height: body.height, tip: try hash(body.tip, "tip", path))
    }

    /// `GET /v1/info`, checked to name `network`: a wallet never talks to another network's node.
    @discardableResult
    public func requireNetwork(_ network: NetworkID) async throws(WalletNodeError) -> NodeInfo {
        let info = try await info()
        guard info.network == network else {
            throw .wrongNetwork(url: baseURL.absoluteString, node: info.network, wallet: network)
        }
        return info
    }

    /// `GET /v1/addresses/{address}/balance`: confirmed balance and its spendable part.
    public func balance(of address: Address) async throws(WalletNodeError) -> AddressBalance {
        let path = "/v1/addresses/\(address)/balance"
        let body = try await get(path, as: BalanceBody.self)
        guard body.outputCount >= 0 else { throw .badResponse(path: path, reason: "a negative output count") }
        return AddressBalance(
            balance: try amount(body.balance, "balance", path), spendable: try amount(body.spendable, "spendable", path),
            outputCount: body.outputCount)
    }

    /// `GET /v1/addresses/{address}/outputs`: the confirmed unspent outputs.
    public func outputs(of address: Address) async throws(WalletNodeError) -> [WalletOutput] {
        let path = "/v1/addresses/\(address)/outputs"
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

    /// `GET /v1/addresses/{address}/history?limit=N`: newest first.
    public func history(of address: Address, limit: Int) async throws(WalletNodeError) -> [AddressHistoryEntry] {
        let limit = max(1, min(limit, Self.maxHistoryLimit))
        let path = "/v1/addresses/\(address)/history?limit=\(limit)"
        let body = try await get(path, as: HistoryBody.self)
        var entries = [AddressHistoryEntry]()
        for entry in body.entries.prefix(limit) {
            entries.append(AddressHistoryEntry(
                txid: try hash(entry.txid, "txid", path), height: entry.height,
                blockHash: try hash(entry.blockHash, "blockHash", path), timestampMs: entry.timestamp,
                received: try amount(entry.received, "received", path), sent: try amount(entry.sent, "sent", path)))
        }
        return entries
    }

    /// `POST /v1/transactions`: submits `transaction`; returns the txid the node reports.
    public func submit(_ transaction: Transaction) async throws(WalletNodeError) -> Hash32 {
        let path = "/v1/transactions"
        let body = try decode(
            try await send(
                "POST", path, headers: [("Content-Type", "application/json")],
                body: Data(#"{"hex":"\#(transaction.encoded.hexString)"}"#.utf8)),
            path: path, as: SubmitBody.self)
        return try hash(body.txid, "txid", path)
    }

    /// `GET /v1/transactions/{txid}`: where the transaction is, or nil when the node does not know it.
    public func status(of txid: Hash32) async throws(WalletNodeError) -> TransactionStatus? {
        let path = "/v1/transactions/\(txid)"
        let response = try await send("GET", path)
        guard response.status != 404 else { return nil }
        let body = try decode(response, path: path, as: StatusBody.self)
        switch body.status {
        case "mempool":
            return .mempool
        case "confirmed":
            guard let height = body.height, let blockHash = body.blockHash else {
                throw .badResponse(path: path, reason: "a confirmed transaction without height or blockHash")
            }
            return .confirmed(height: height, blockHash: try hash(blockHash, "blockHash", path))
        default:
            throw .badResponse(path: path, reason: "unknown status '\(Self.shortened(body.status))'")
        }
    }

    // MARK: - Exchange

    private func url(_ path: String) -> URL {
        // Paths are built from addresses, hex and integers only, so they always parse.
        URL(string: baseURL.absoluteString.trimmingSuffix("/") + path)!
    }

    private func get<Body: Decodable>(_ path: String, as type: Body.Type) async throws(WalletNodeError) -> Body {
        try decode(try await send("GET", path), path: path, as: type)
    }

    private func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: Data? = nil
    ) async throws(WalletNodeError) -> WalletHTTPTransport.Response {
        do {
            return try await transport.send(method, url(path), headers: [("Accept", "application/json")] + headers, body: body)
        } catch {
            switch error {
            case .unreachable(let reason):
                throw .unreachable(url: baseURL.absoluteString, reason: reason)
            case .bodyTooLarge(let limit):
                throw .badResponse(path: path, reason: "more than \(limit) bytes")
            }
        }
    }

    private func decode<Body: Decodable>(
        _ response: WalletHTTPTransport.Response, path: String, as type: Body.Type
    ) throws(WalletNodeError) -> Body {
        guard (200..<300).contains(response.status) else {
            let problem = try? JSONDecoder().decode(ErrorBody.self, from: response.body)
            throw .refused(
                status: response.status, error: problem?.error.map(Self.shortened), detail: problem?.detail.map(Self.shortened))
        }
        do {
            return try JSONDecoder().decode(Body.self, from: response.body)
        } catch {
            throw .badResponse(path: path, reason: describeJSONFailure(error))
        }
    }

    private func hash(_ text: String, _ field: String, _ path: String) throws(WalletNodeError) -> Hash32 {
        guard let value = Hash32(hex: text) else { throw .badResponse(path: path, reason: "\(field) is not 64 hex digits") }
        return value
    }

    private func amount(_ text: String, _ field: String, _ path: String) throws(WalletNodeError) -> Amount {
        guard let amount = CoinAmount.parseUnits(text) else {
            throw .badResponse(path: path, reason: "\(field) is not a whole number of units")
        }
        return amount
    }

    /// A node's text made fit for one line of a message.
    private static func shortened(_ text: String) -> String {
        let oneLine = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return oneLine.count <= maxErrorTextLength ? oneLine : String(oneLine.prefix(maxErrorTextLength)) + "…"
    }
}

// The JSON shapes of the API's answers, before their values are checked.

private struct InfoBody: Decodable {
    let networkID: UInt8
    let height: UInt64
    let tip: String
}

private struct BalanceBody: Decodable {
    let balance: String
    let spendable: String
    let outputCount: Int
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

private struct HistoryBody: Decodable {
    struct Entry: Decodable {
        let txid: String
        let height: UInt64
        let blockHash: String
        let timestamp: UInt64
        let received: String
        let sent: String
    }

    let entries: [Entry]
}

private struct SubmitBody: Decodable {
    let txid: String
}

private struct StatusBody: Decodable {
    let status: String
    let height: UInt64?
    let blockHash: String?
}

private struct ErrorBody: Decodable {
    let error: String?
    let detail: String?
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

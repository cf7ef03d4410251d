import EmberCore
import EmberCrypto
import Foundation

/// The transactions a wallet sent and has not yet seen confirmed, kept in a file beside its keystore
/// (`KEYSTORE.sent`, one transaction in hex per line) so that they can be sent again until they
/// confirm or conflict: a node killed before saving its mempool forgets them (docs/wallet.md).
public struct WalletSentTransactions: Sendable {
    public let url: URL

    /// The file kept beside the keystore at `keystorePath`.
    public init(keystorePath: String) {
        url = URL(fileURLWithPath: keystorePath + ".sent")
    }

    /// The recorded transactions, oldest first; lines that do not decode are skipped.
    public func load() throws -> [Transaction] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        // Far more than any wallet's unconfirmed payments in hex; a damaged or hostile file cannot take
        // the wallet's memory.
        let limit = 64 * 1_024 * 1_024
        let data = try BoundedFile.read(path: url.path, limit: limit)
        guard data.count <= limit else { throw DecodingError(.sizeOverLimit(limit: limit), at: "sent transactions file") }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").compactMap { line in
            guard let bytes = [UInt8](hexString: String(line)) else { return nil }
            return try? Transaction.decode(from: bytes, limit: Transaction.maxSize)
        }
    }

    /// Adds `transaction` unless it is recorded already.
    public func record(_ transaction: Transaction) throws {
        let recorded = try load()
        guard !recorded.contains(where: { $0.txid == transaction.txid }) else { return }
        try save(recorded + [transaction])
    }

    /// Removes the transactions `txids` names.
    public func remove(_ txids: Set<Hash32>) throws {
        guard !txids.isEmpty else { return }
        try save(try load().filter { !txids.contains($0.txid) })
    }

    /// Writes the whole list to a temporary file and renames it over the old one.
    private func save(_ transactions: [Transaction]) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        let text = transactions.map { $0.encoded.hexString + "\n" }.joined()
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}

/// What a rebroadcast found for each transaction the wallet had recorded.
public struct WalletRebroadcast: Sendable, Equatable {
    /// Confirmed in a block: no longer recorded.
    public var confirmed: [Hash32] = []
    /// In the node's mempool already: kept.
    public var pending: [Hash32] = []
    /// Unknown to the node and sent again: kept until confirmed.
    public var resent: [Hash32] = []
    /// Refused by the node when sent again (an input spent by a conflicting transaction, or no longer
    /// valid): no longer recorded.
    public var dropped: [Hash32] = []
}

extension WalletSender {
    /// Asks the node about every recorded transaction: forgets the confirmed and the refused, sends
    /// again those the node does not know. A node that cannot be reached leaves the record as it is.
    public func rebroadcast(_ sent: WalletSentTransactions) async throws -> WalletRebroadcast {
        var outcome = WalletRebroadcast()
        for transaction in try sent.load() {
            let txid = transaction.txid
            switch try await client.status(of: txid) {
            case .confirmed: outcome.confirmed.append(txid)
            case .mempool: outcome.pending.append(txid)
            case nil:
                do {
                    _ = try await client.submit(transaction)
                    outcome.resent.append(txid)
                } catch {
                    guard case .refused = error else { throw error }
                    outcome.dropped.append(txid)
                }
            }
        }
        try sent.remove(Set(outcome.confirmed + outcome.dropped))
        return outcome
    }
}

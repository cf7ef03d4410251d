import EmberConsensus
import EmberCore
import EmberCrypto
import Foundation

/// The transactions of a mempool, saved so that a restart does not lose them (docs/mempool.md,
/// "Surviving a restart"). Restoring runs each one through the normal acceptance path again, so a
/// transaction that a block confirmed or conflicted with meanwhile is dropped, never trusted.
public struct MempoolSnapshot: Sendable, Equatable {
    /// The pool's transactions in the pool's order (a child before its parent is adopted from the
    /// orphan pool when the parent arrives).
    public var transactions: [Transaction]

    /// The file's first bytes: "EMBPOOL" and the format version.
    static let magic: [UInt8] = Array("EMBPOOL".utf8) + [1]
    /// Bounds what a damaged or hostile file can make the node allocate before reading a transaction.
    static let maxTransactions = 1_000_000
    /// Bounds the bytes read back: a pool bounded by `MempoolPolicy.defaultMaxBytes` four times over, so
    /// a larger configured pool still fits while a damaged or hostile file cannot take the memory.
    public static let maxFileBytes = 4 * MempoolPolicy.defaultMaxBytes

    public init(transactions: [Transaction]) {
        self.transactions = transactions
    }

    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeRawBytes(Self.magic)
        writer.writeCount(transactions.count)
        for transaction in transactions { transaction.encode(to: &writer) }
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> MempoolSnapshot {
        var reader = ByteReader(bytes)
        guard try reader.readRawBytes(count: magic.count, field: "mempool file magic") == magic else {
            throw DecodingError(.unsupportedVersion(bytes.count >= magic.count ? bytes[magic.count - 1] : 0), path: [.field("mempool file magic")])
        }
        let count = try reader.readCount(limit: maxTransactions, field: "mempool transaction count")
        var transactions = [Transaction]()
        for _ in 0..<count { transactions.append(try Transaction.decode(from: &reader)) }
        try reader.expectEnd()
        return MempoolSnapshot(transactions: transactions)
    }

    /// Writes the snapshot to `url` atomically: a temporary file beside it, flushed, then renamed over
    /// it, so a kill leaves either the old file or the new one, never half of one.
    public func write(to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try handle.write(contentsOf: encoded())
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    /// The snapshot saved at `url`, or nil when there is none.
    public static func read(from url: URL, maxBytes: Int = maxFileBytes) throws -> MempoolSnapshot? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        // One byte past the limit tells a file over it from one at it, without reading all of a huge file.
        let data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        guard data.count <= maxBytes else { throw DecodingError(.sizeOverLimit(limit: maxBytes), at: "mempool file") }
        return try decode(Array(data))
    }
}

extension Mempool {
    /// The pool's transactions, to save.
    public func snapshot() -> MempoolSnapshot {
        MempoolSnapshot(transactions: state.contents.map(\.transaction))
    }
}

extension MempoolState {
    /// Offers every transaction of `snapshot` to the pool as if it had just arrived, and returns how
    /// many it accepted and the txids it dropped. A snapshot lists parents before children, so one
    /// whose input is missing spends an output a block spent meanwhile (or one of a dropped
    /// parent): it is dropped, not held as an orphan for a parent that will never come.
    public mutating func restore(
        _ snapshot: MempoolSnapshot, view: some UTXOView & Sendable, nowMs: UInt64
    ) -> (accepted: Int, dropped: [Hash32]) {
        var accepted = 0
        var dropped = [Hash32]()
        for transaction in snapshot.transactions {
            do {
                switch try add(transaction, view: view, nowMs: nowMs) {
                case .accepted: accepted += 1
                case .orphan(let txid, _, _):
                    _ = orphans.remove(txid)
                    dropped.append(txid)
                }
            } catch {
                dropped.append(transaction.txid)
            }
        }
        return (accepted, dropped)
    }
}

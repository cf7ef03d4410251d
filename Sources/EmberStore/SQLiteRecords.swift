import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// How Ember values map to SQLite columns and back; every read of stored bytes is checked, so a
/// damaged record is a `StoreError.corruptRecord`, never a crash.
enum SQLiteRecords {
    static let indexColumns = "hash, header, cumulative_work, status"
    static let utxoColumns = "txid, output_index, amount, lock, lock_time, data, height, is_coinbase"

    static func blob(_ hash: Hash32) -> Data { Data(hash.bytes) }

    static func blob(_ amount: Amount) -> Data {
        Data((0..<16).reversed().map { UInt8(truncatingIfNeeded: amount.units >> ($0 * 8)) })
    }

    /// A u64 as SQLite's signed integer, by bit pattern.
    static func integer(_ value: UInt64) -> Int64 { Int64(bitPattern: value) }

    static func indexEntryArguments(_ entry: BlockIndexEntry) -> StatementArguments {
        [
            blob(entry.hash), blob(entry.header.parent), integer(entry.height), Data(entry.header.encoded),
            Data(entry.cumulativeWork), Int64(entry.status.rawValue),
        ]
    }

    static func indexEntry(_ row: Row) throws(StoreError) -> BlockIndexEntry {
        let table = "block_index"
        let header = try decode(BlockHeader.self, from: row.bytes(at: 1, table: table), table: table)
        let status = try row.int64(at: 3, table: table)
        guard let statusByte = UInt8(exactly: status) else {
            throw .corruptRecord(table: table, detail: "status \(status) is not a byte")
        }
        return BlockIndexEntry(
            hash: try row.hash(at: 0, table: table),
            header: header,
            cumulativeWork: try row.bytes(at: 2, table: table, nullMeansEmpty: true),
            status: BlockStatus(rawValue: statusByte)
        )
    }

    static func outpointArguments(_ outpoint: OutPoint) -> StatementArguments {
        [blob(outpoint.txid), Int64(outpoint.index)]
    }

    static func utxoArguments(_ utxo: UTXO) -> StatementArguments {
        let output = utxo.entry.output
        return [
            blob(utxo.outpoint.txid), Int64(utxo.outpoint.index), blob(output.amount), Data(output.lock.encoded),
            integer(output.lockTime), Data(output.data), integer(utxo.entry.height), utxo.entry.isCoinbase,
        ]
    }

    static func utxo(_ row: Row) throws(StoreError) -> UTXO {
        let table = "utxo"
        let index = try row.int64(at: 1, table: table)
        guard let outputIndex = UInt32(exactly: index) else {
            throw .corruptRecord(table: table, detail: "output index \(index) does not fit 32 bits")
        }
        let amountBytes = try row.bytes(at: 2, table: table)
        guard amountBytes.count == 16 else {
            throw .corruptRecord(table: table, detail: "an amount of \(amountBytes.count) bytes, not 16")
        }
        let output = Output(
            amount: Amount(units: amountBytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }),
            lock: try decode(Lock.self, from: row.bytes(at: 3, table: table), table: table),
            lockTime: UInt64(bitPattern: try row.int64(at: 4, table: table)),
            data: try row.bytes(at: 5, table: table, nullMeansEmpty: true)
        )
        let entry = UTXOEntry(
            output: output,
            height: UInt64(bitPattern: try row.int64(at: 6, table: table)),
            isCoinbase: try row.int64(at: 7, table: table) != 0
        )
        return UTXO(outpoint: OutPoint(txid: try row.hash(at: 0, table: table), index: outputIndex), entry: entry)
    }

    /// The supply figures in columns `index` (minted) and `index + 1` (burnt) of a `block_undo` row:
    /// nil when both are NULL (a block connected before schema 3), an error when only one is or when
    /// either is not a 16-byte amount.
    static func supply(_ row: Row, at index: Int, block: Hash32) throws(StoreError) -> BlockSupply? {
        let table = "block_undo"
        switch (row.hasNull(atIndex: index), row.hasNull(atIndex: index + 1)) {
        case (true, true):
            return nil
        case (false, false):
            return BlockSupply(minted: try row.amount(at: index, table: table), burnt: try row.amount(at: index + 1, table: table))
        default:
            throw .corruptRecord(table: table, detail: "block \(block) has only one of its minted and burnt figures")
        }
    }

    static func decode<Value: CanonicalDecodable>(
        _ type: Value.Type,
        from bytes: [UInt8],
        table: String
    ) throws(StoreError) -> Value {
        do throws(DecodingError) {
            return try Value.decode(from: bytes, limit: Block.maxSize)
        } catch {
            throw .corruptRecord(table: table, detail: error.description)
        }
    }
}

extension Row {
    /// The blob in column `index`; NULL is an empty blob where `nullMeansEmpty`, as SQLite stores one.
    func bytes(at index: Int, table: String, nullMeansEmpty: Bool = false) throws(StoreError) -> [UInt8] {
        let value: DatabaseValue = self[index]
        switch value.storage {
        case .blob(let data): return [UInt8](data)
        case .null where nullMeansEmpty: return []
        default: throw .corruptRecord(table: table, detail: "column \(columnName(index)) holds \(value), not a blob")
        }
    }

    func hash(at index: Int, table: String) throws(StoreError) -> Hash32 {
        let bytes = try bytes(at: index, table: table)
        guard let hash = Hash32(bytes) else {
            throw .corruptRecord(table: table, detail: "column \(columnName(index)) holds \(bytes.count) bytes, not 32")
        }
        return hash
    }

    /// The 16-byte big-endian amount in column `index`.
    func amount(at index: Int, table: String) throws(StoreError) -> Amount {
        let bytes = try bytes(at: index, table: table)
        guard bytes.count == 16 else {
            throw .corruptRecord(table: table, detail: "column \(columnName(index)) holds an amount of \(bytes.count) bytes, not 16")
        }
        return Amount(units: bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) })
    }

    func int64(at index: Int, table: String) throws(StoreError) -> Int64 {
        let value: DatabaseValue = self[index]
        guard case .int64(let integer) = value.storage else {
            throw .corruptRecord(table: table, detail: "column \(columnName(index)) holds \(value), not an integer")
        }
        return integer
    }
}

extension Row {
    /// The name of column `index`, for error messages.
    fileprivate func columnName(_ index: Int) -> String {
        let names = Array(columnNames)
        return names.indices.contains(index) ? names[index] : "#\(index)"
    }
}

import EmberCore
import EmberCrypto
import EmberVM
import Foundation
import GRDB

/// How the Truebit store writes values into columns and reads them back: strictly, so a value that does not
/// read back (wrong type, wrong length, does not decode) is `TruebitStoreError.damaged` naming it, never a
/// crash and never a guess.
enum StoredValue {
    /// Bounds a stored output's encoding: the largest Truebit lock with the largest data field fits.
    static let maxOutputBytes = 4_096

    // MARK: Writing

    /// A height as SQLite stores it; from 2^63 on it is refused, never wrapped.
    static func stored(_ value: UInt64, _ what: String, path: String) throws -> Int64 {
        guard let stored = Int64(exactly: value) else { throw TruebitStoreError.database(path: path, reason: "\(what) \(value) is over 2^63 − 1") }
        return stored
    }

    /// txid 32 ‖ index u32 big-endian.
    static func stored(_ outpoint: OutPoint) -> Data {
        Data(outpoint.txid.bytes + (0..<4).map { UInt8(truncatingIfNeeded: outpoint.index >> (24 - 8 * $0)) })
    }

    static func stored(_ points: [Hash32]) -> Data { Data(points.flatMap(\.bytes)) }

    // MARK: Reading

    static func damaged(_ what: String, _ reason: String, path: String) -> TruebitStoreError {
        .damaged(path: path, reason: "\(what) \(reason)")
    }

    static func integer(_ value: DatabaseValue, _ what: String, path: String) throws -> UInt64 {
        guard let stored = Int64.fromDatabaseValue(value), let loaded = UInt64(exactly: stored) else {
            throw damaged(what, "is not a height (\(value))", path: path)
        }
        return loaded
    }

    static func optionalInteger(_ value: DatabaseValue, _ what: String, path: String) throws -> UInt64? {
        value.isNull ? nil : try integer(value, what, path: path)
    }

    static func text(_ value: DatabaseValue, _ what: String, path: String) throws -> String {
        guard let text = String.fromDatabaseValue(value) else { throw damaged(what, "is not text", path: path) }
        return text
    }

    static func bytes(_ value: DatabaseValue, _ what: String, maxBytes: Int, path: String) throws -> [UInt8] {
        guard let data = Data.fromDatabaseValue(value) else { throw damaged(what, "is not a blob", path: path) }
        guard data.count <= maxBytes else { throw damaged(what, "is \(data.count) bytes, over \(maxBytes)", path: path) }
        return Array(data)
    }

    static func hash(_ value: DatabaseValue, _ what: String, path: String) throws -> Hash32 {
        let bytes = try bytes(value, what, maxBytes: Hash32.byteCount, path: path)
        guard let hash = Hash32(bytes) else { throw damaged(what, "is \(bytes.count) bytes, not 32", path: path) }
        return hash
    }

    static func optionalHash(_ value: DatabaseValue, _ what: String, path: String) throws -> Hash32? {
        value.isNull ? nil : try hash(value, what, path: path)
    }

    static func outpoint(_ value: DatabaseValue, _ what: String, path: String) throws -> OutPoint {
        let bytes = try bytes(value, what, maxBytes: 36, path: path)
        guard bytes.count == 36, let txid = Hash32(Array(bytes[0..<32])) else { throw damaged(what, "is \(bytes.count) bytes, not 36", path: path) }
        let index = bytes[32..<36].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return OutPoint(txid: txid, index: index)
    }

    static func output(_ value: DatabaseValue, _ what: String, path: String) throws -> Output {
        let bytes = try bytes(value, what, maxBytes: maxOutputBytes, path: path)
        do {
            return try Output.decode(from: bytes, limit: maxOutputBytes)
        } catch {
            throw damaged(what, "does not decode: \(error)", path: path)
        }
    }

    static func points(_ value: DatabaseValue, _ what: String, path: String) throws -> [Hash32]? {
        guard !value.isNull else { return nil }
        let bytes = try bytes(value, what, maxBytes: TruebitChainRecord.maxPoints * Hash32.byteCount, path: path)
        guard let points = TruebitChainRecord.points(item: bytes) else { throw damaged(what, "is \(bytes.count) bytes, not whole hashes", path: path) }
        return points
    }

    static func enumeration<Value: RawRepresentable>(_ value: DatabaseValue, _ what: String, path: String) throws -> Value where Value.RawValue == String {
        let text = try text(value, what, path: path)
        guard let loaded = Value(rawValue: text) else { throw damaged(what, "is \"\(text)\", not a known value", path: path) }
        return loaded
    }

    /// The 173 bytes of a state's fields (`MachineState.encodedFields()`), read back.
    static func state(_ value: DatabaseValue, _ what: String, path: String) throws -> MachineState {
        let bytes = try bytes(value, what, maxBytes: MachineState.encodedFieldsBytes, path: path)
        guard let state = MachineState(encodedFields: bytes) else { throw damaged(what, "are not the 173 bytes of a state", path: path) }
        return state
    }
}

extension MachineState {
    /// The state whose `encodedFields()` are `bytes`; nil unless they are exactly 173 bytes with a known status.
    init?(encodedFields bytes: [UInt8]) {
        guard bytes.count == Self.encodedFieldsBytes else { return nil }
        func word(_ offset: Int) -> UInt32 { bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        let registers = [0] + (1..<32).map { word(4 * $0) }
        let rootStart = 4 * 32
        guard let root = Hash32(Array(bytes[rootStart..<rootStart + 32])),
              let status = MachineStatus(rawValue: bytes[rootStart + 40])
        else { return nil }
        let step = UInt64(word(rootStart + 32)) << 32 | UInt64(word(rootStart + 36))
        self.init(pc: word(0), registers: registers, memoryRoot: root, step: step, status: status, exitCode: word(rootStart + 41))
    }
}

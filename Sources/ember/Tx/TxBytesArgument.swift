import EmberCore
import EmberCrypto
import Foundation

/// A transaction given as hex on the command line, or as a file of hex text or raw bytes.
enum TxBytesArgument {
    /// Bounds what is read from a file: a 1 MiB transaction in hex with a line ending.
    static let maxFileSize = 2 * Transaction.maxSize + 2

    /// The bytes `text` names: a file's contents (hex text if it is hex, else the raw bytes), or hex.
    static func read(_ text: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory), !isDirectory.boolValue {
            let data: Data
            do {
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: text))
                defer { try? handle.close() }
                data = try handle.read(upToCount: maxFileSize + 1) ?? Data()
            } catch {
                throw commandFailure("cannot read \(text): \(error.localizedDescription)")
            }
            guard data.count <= maxFileSize else { throw commandFailure("\(text) is longer than \(maxFileSize) bytes, more than any transaction") }
            let trimmed = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty, let bytes = [UInt8](hexString: trimmed) { return bytes }
            return Array(data)
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, let bytes = [UInt8](hexString: trimmed) else {
            throw commandFailure("'\(text.prefix(40))' is neither a file nor hex (an even number of hex digits)")
        }
        return bytes
    }

    /// The transaction in `text`, decoded under the version-2 size limit; a failure names the field.
    static func transaction(_ text: String) throws -> Transaction {
        let bytes = try read(text)
        do {
            return try Transaction.decode(from: bytes, limit: Transaction.maxSize)
        } catch {
            throw commandFailure("the transaction does not decode: \(error.reason) at \(error.fieldPath.isEmpty ? "transaction" : error.fieldPath)")
        }
    }
}

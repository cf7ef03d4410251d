import Foundation

/// Looks at a database file's bytes before SQLite opens it, so garbage and truncated files are
/// reported without SQLite touching them.
///
/// Header layout: https://www.sqlite.org/fileformat.html#the_database_header
enum DatabaseFileCheck {
    /// What the data folder's database file is, as far as its bytes tell.
    enum Contents: Equatable {
        /// No file yet: a new store.
        case absent
        /// A zero-byte file, as a process killed before its first write leaves: a new store.
        case empty
        /// An SQLite file with a plausible header, to be validated by reading it.
        case sqlite
    }

    private static let magic = Array("SQLite format 3\0".utf8)
    private static let headerSize = 100

    static func inspect(path: String) throws(StoreError) -> Contents {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isFolder) else { return .absent }
        guard !isFolder.boolValue else { throw .notADatabase(path: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .folderUnavailable(path: path, reason: "the database file cannot be read")
        }
        defer { try? handle.close() }
        let fileSize: UInt64
        let header: [UInt8]
        do {
            fileSize = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            header = [UInt8](try handle.read(upToCount: headerSize) ?? Data())
        } catch {
            throw .folderUnavailable(path: path, reason: "reading the database file failed: \(error)")
        }
        if fileSize == 0 { return .empty }
        guard header.starts(with: magic) else {
            throw .notADatabase(path: path)
        }
        guard header.count == headerSize else {
            throw .damagedDatabase(path: path, detail: "the file ends inside the \(headerSize)-byte header")
        }
        let rawPageSize = UInt64(header[16]) << 8 | UInt64(header[17])
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else {
            throw .damagedDatabase(path: path, detail: "the header gives an impossible page size \(rawPageSize)")
        }
        // While a write-ahead log holds pages not yet copied back, the file may lag its header.
        guard !hasWriteAheadLog(path) else { return .sqlite }
        let pageCount = header[28..<32].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let pageCountIsValid = header[92..<96] == header[24..<28]
        let expectedSize = pageCountIsValid ? pageCount * pageSize : fileSize
        guard fileSize % pageSize == 0, fileSize >= expectedSize else {
            throw .damagedDatabase(
                path: path,
                detail: "the file is \(fileSize) bytes, its header says \(expectedSize): it was truncated"
            )
        }
        return .sqlite
    }

    private static func hasWriteAheadLog(_ path: String) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? UInt64
        return (size ?? 0) > 0
    }
}

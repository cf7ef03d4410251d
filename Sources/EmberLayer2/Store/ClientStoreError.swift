/// Why a client's store cannot be used; a disk or database failure, never a peer's fault.
public enum ClientStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file was written by another schema version of this store.
    case schemaVersionMismatch(path: String, found: Int, expected: Int)
    /// The file is not this kind of store (another SQLite database).
    case notAClientStore(path: String)
    /// SQLite failed.
    case database(path: String, reason: String)
    /// A stored value does not read back (a damaged file).
    case damaged(path: String, reason: String)

    public var description: String {
        switch self {
        case .schemaVersionMismatch(let path, let found, let expected):
            "the client store \(path) has schema version \(found); this program reads version \(expected)"
        case .notAClientStore(let path):
            "\(path) is an SQLite database of something else, not a layer-2 client store"
        case .database(let path, let reason):
            "the client store \(path) failed: \(reason)"
        case .damaged(let path, let reason):
            "the client store \(path) is damaged: \(reason)"
        }
    }
}

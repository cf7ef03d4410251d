/// Why a Truebit daemon's store cannot be used: a disk or database failure, or a file that is not this
/// daemon's, never a counterparty's fault.
public enum TruebitStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file is an SQLite database of something else.
    case notATruebitStore(path: String)
    /// The file belongs to another network than the daemon was started for.
    case wrongNetwork(path: String, found: String, expected: String)
    /// The file was written by a newer version of this program.
    case newerSchema(path: String, migration: String)
    /// SQLite failed.
    case database(path: String, reason: String)
    /// A stored value does not read back (a damaged file).
    case damaged(path: String, reason: String)

    public var description: String {
        switch self {
        case .notATruebitStore(let path):
            "\(path) is an SQLite database of something else, not a Truebit daemon's store"
        case .wrongNetwork(let path, let found, let expected):
            "the Truebit store \(path) holds network \(found); this daemon runs network \(expected): use another file"
        case .newerSchema(let path, let migration):
            "the Truebit store \(path) has migration \(migration), which this program does not know: run a newer ember"
        case .database(let path, let reason):
            "the Truebit store \(path) failed: \(reason)"
        case .damaged(let path, let reason):
            "the Truebit store \(path) is damaged: \(reason)"
        }
    }
}

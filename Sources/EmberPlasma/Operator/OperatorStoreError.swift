/// Why the operator's store cannot be used: a disk or database failure, or a file that is not this
/// operator's, never a sender's fault.
public enum OperatorStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file is an SQLite database of something else.
    case notAnOperatorStore(path: String)
    /// The file belongs to another chain or network than the one the operator was started for.
    case wrongChain(path: String, found: String, expected: String)
    /// The file was written by a newer version of this program.
    case newerSchema(path: String, migration: String)
    /// A deposit with this coin id is already registered with other fields.
    case depositConflict(coinId: String)
    /// A sealed block does not follow the last one, or its moves no longer match the pending set: two
    /// sealers on one file, or a bug.
    case sealConflict(reason: String)
    /// SQLite failed.
    case database(path: String, reason: String)
    /// A stored value does not read back (a damaged file).
    case damaged(path: String, reason: String)

    public var description: String {
        switch self {
        case .notAnOperatorStore(let path):
            "\(path) is an SQLite database of something else, not a Plasma operator's store"
        case .wrongChain(let path, let found, let expected):
            "the operator store \(path) holds chain \(found); this operator runs chain \(expected): use another file"
        case .newerSchema(let path, let migration):
            "the operator store \(path) has migration \(migration), which this program does not know: run a newer ember"
        case .depositConflict(let coinId):
            "coin \(coinId) is already registered with another depositor, amount or first block"
        case .sealConflict(let reason):
            "the block could not be sealed: \(reason)"
        case .database(let path, let reason):
            "the operator store \(path) failed: \(reason)"
        case .damaged(let path, let reason):
            "the operator store \(path) is damaged: \(reason)"
        }
    }
}

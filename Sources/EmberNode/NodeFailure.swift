import EmberStore

/// Why a node stopped on an error of its own (DESIGN.md section 1): never a peer's fault, always one
/// that would leave the chain in memory ahead of, or apart from, the database if the node went on.
public enum NodeFailure: Error, Sendable, CustomStringConvertible {
    /// The store failed while the node wrote or read the chain; `operation` names what it was doing.
    case store(StoreError, operation: String)

    public var description: String {
        switch self {
        case .store(let error, let operation):
            "the database failed while \(operation): \(error); the node stopped so that the chain in memory "
                + "does not run ahead of the disk; fix the cause and restart it to resume from the last block written"
        }
    }
}

import EmberCore
import EmberCrypto

/// What the operator publishes about layer 1 (`GET /v1/plasma/layer1`): its chain's registration, the
/// commits, and how far it has followed layer 1. Hashes and keys are lowercase hex.
public struct OperatorLayer1Status: Codable, Hashable, Sendable {
    public let chainId: String
    public let operatorKey: String
    public let exitWindow: UInt32
    /// The last sealed child block; 0 before the first.
    public let latestBlock: UInt64
    /// The highest child block whose commit is recorded as mined; 0 before the first.
    public let lastCommittedBlock: UInt64
    /// Sealed blocks waiting for their commit (the one in flight included).
    public let uncommittedBlocks: UInt64
    /// The chain's unspent operator output on layer 1 (`txid:index`), the block its next commit carries,
    /// and the height that created it; absent before it was found.
    public let operatorOutput: String?
    public let nextCommitNumber: UInt64?
    public let operatorOutputHeight: UInt64?
    /// The commit sent and not yet mined.
    public let commitInFlight: CommitInFlight?
    /// The layer-1 tip followed and the last final block handled for deposits and the freeze.
    public let followedHeight: UInt64?
    public let finalHeight: UInt64?
    public let finalityDepth: UInt64
    public let depositsRegisteredSinceStart: Int
    public let frozen: Bool
    /// The committer's last failed round, cleared by the next good one.
    public let lastError: String?

    public struct CommitInFlight: Codable, Hashable, Sendable {
        public let block: UInt64
        public let txid: String
    }
}

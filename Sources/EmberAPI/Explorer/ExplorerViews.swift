import EmberConsensus
import EmberCore

// The JSON bodies of the routes the explorer page reads in bulk, so one request answers what would
// otherwise be one request per block.

/// One active block as the explorer lists and charts it: the block view's figures plus what its
/// target means under the node's consensus parameters.
public struct BlockSummaryView: Codable, Sendable, Equatable {
    public var height: UInt64
    public var hash: String
    public var parent: String
    public var timestamp: UInt64
    public var transactionCount: Int
    public var size: Int
    public var reward: String
    public var burnt: String
    /// The compact target, eight hex digits.
    public var target: String
    /// The expected number of hashes to meet the target.
    public var difficulty: String
    /// The hash rate, in H/s, that meets the target once per block time.
    public var hashRate: String
    /// Whether the target is past the PoLW threshold, so the reward follows the virtual hash rate.
    public var polw: Bool
}

/// `GET /v1/blocks/height/{height}/summaries`: consecutive active blocks, newest first.
public struct BlockSummariesView: Codable, Sendable, Equatable {
    public var summaries: [BlockSummaryView]
}

/// An output under a covenant lock, found in a recent active block, and whether it is still unspent.
public struct CovenantOutputView: Codable, Sendable, Equatable {
    public var txid: String
    public var index: UInt32
    public var amount: String
    public var lockTime: UInt64
    public var lockTag: UInt8
    /// The lock's canonical encoding: the `{lock}` of `GET /v1/locks/{lock}/outputs`.
    public var lockHex: String
    public var height: UInt64
    public var blockHash: String
    public var unspent: Bool
}

/// `GET /v1/covenants/{tag}/outputs`: covenant outputs of one lock tag, newest first, from the
/// active blocks `scannedFrom` … `scannedTo`.
public struct CovenantOutputsView: Codable, Sendable, Equatable {
    public var lockTag: UInt8
    public var scannedFrom: UInt64
    public var scannedTo: UInt64
    public var outputs: [CovenantOutputView]
}

extension BlockSummaryView: DocumentedView {
    public static var schemaName: String { "BlockSummary" }
    public static var fieldNotes: [String: String] {
        ["difficulty": "the expected number of hashes to meet the target",
         "hashRate": "the hash rate in H/s that meets the target once per block time",
         "polw": "the target is past the PoLW threshold: the reward follows the virtual hash rate and the coinbase burns"]
    }
}

extension BlockSummariesView: DocumentedView { public static var schemaName: String { "BlockSummaries" } }

extension CovenantOutputView: DocumentedView {
    public static var schemaName: String { "CovenantOutput" }
    public static var fieldNotes: [String: String] { ["unspent": "the output is among the lock's confirmed unspent outputs"] }
}

extension CovenantOutputsView: DocumentedView {
    public static var schemaName: String { "CovenantOutputs" }
    public static var fieldNotes: [String: String] {
        ["scannedFrom": "the lowest active height read", "scannedTo": "the highest active height read (the tip when asked)"]
    }
}

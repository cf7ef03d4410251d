import EmberCore
import EmberCrypto

// The JSON bodies of the API. Amounts are decimal strings of units (1 EMB = 10^18 units), hashes and
// encodings lowercase hex, timestamps milliseconds since the Unix epoch.

/// `GET /v1/info`.
public struct NodeInfoView: Codable, Sendable, Equatable {
    public var network: String
    public var networkID: UInt8
    public var genesis: String
    public var height: UInt64
    public var tip: String
    public var tipTimestamp: UInt64
    public var target: String
    public var difficulty: String
    public var estimatedHashRate: String
    public var polwActive: Bool
    public var polwThresholdHashRate: String
    public var minted: String
    public var burnt: String
    public var mempoolTransactions: Int
    public var mining: Bool
    public var minerHashRate: Double

    public init(
        network: String, networkID: UInt8, genesis: String, height: UInt64, tip: String, tipTimestamp: UInt64, target: String,
        difficulty: String, estimatedHashRate: String, polwActive: Bool, polwThresholdHashRate: String, minted: String,
        burnt: String, mempoolTransactions: Int, mining: Bool, minerHashRate: Double
    ) {
        self.network = network
        self.networkID = networkID
        self.genesis = genesis
        self.height = height
        self.tip = tip
        self.tipTimestamp = tipTimestamp
        self.target = target
        self.difficulty = difficulty
        self.estimatedHashRate = estimatedHashRate
        self.polwActive = polwActive
        self.polwThresholdHashRate = polwThresholdHashRate
        self.minted = minted
        self.burnt = burnt
        self.mempoolTransactions = mempoolTransactions
        self.mining = mining
        self.minerHashRate = minerHashRate
    }
}

/// `GET /v1/blocks/{hash}` and `/v1/blocks/height/{height}`.
public struct BlockView: Codable, Sendable, Equatable {
    public var hash: String
    public var height: UInt64
    public var parent: String
    public var timestamp: UInt64
    public var target: String
    public var nonce: String
    public var txRoot: String
    public var size: Int
    public var active: Bool
    public var reward: String
    public var burnt: String
    public var transactions: [String]
    public var hex: String?

    public init(block: Block, active: Bool, reward: Amount, burnt: Amount, includeHex: Bool) {
        let encoded = block.encoded
        hash = block.hash.hex
        height = block.header.height
        parent = block.header.parent.hex
        timestamp = block.header.timestamp
        target = block.header.target.description
        nonce = block.header.nonce.bytes.hexString
        txRoot = block.header.txRoot.hex
        size = encoded.count
        self.active = active
        self.reward = reward.description
        self.burnt = burnt.description
        transactions = block.transactions.map(\.txid.hex)
        hex = includeHex ? encoded.hexString : nil
    }
}

/// `GET /v1/transactions/{txid}`.
public struct TransactionView: Codable, Sendable, Equatable {
    public var txid: String
    public var status: String
    public var height: UInt64?
    public var blockHash: String?
    public var size: Int
    public var hex: String
    /// 1, or 2 for a transaction with reads and blobs (DESIGN.md section 15).
    public var version: UInt8
    /// The outputs this transaction spends, in input order (none for a PoW coinbase).
    public var inputs: [OutPointView]
    /// The outputs read without being spent (empty in version 1).
    public var reads: [OutPointView]
    /// `H(blob)` of each blob, in order (empty in version 1); `GET /v1/blobs/{hash}` serves each.
    public var blobHashes: [String]
    public var outputs: [TransactionOutputView]

    public init(transaction: Transaction, confirmedIn: (height: UInt64, blockHash: Hash32)?, network: NetworkID) {
        let digests = transaction.digests
        txid = digests.txid.hex
        status = confirmedIn == nil ? "mempool" : "confirmed"
        height = confirmedIn?.height
        blockHash = confirmedIn?.blockHash.hex
        size = digests.size
        hex = transaction.encoded.hexString
        version = transaction.version
        inputs = transaction.inputs.map { OutPointView($0.outpoint) }
        reads = transaction.reads.map(OutPointView.init)
        blobHashes = transaction.blobHashes.map(\.hex)
        outputs = transaction.outputs.map { TransactionOutputView(output: $0, network: network) }
    }
}

/// An output's place: `{"txid", "index"}`.
public struct OutPointView: Codable, Sendable, Equatable {
    public var txid: String
    public var index: UInt32

    public init(_ outpoint: OutPoint) {
        txid = outpoint.txid.hex
        index = outpoint.index
    }
}

public struct TransactionOutputView: Codable, Sendable, Equatable {
    public var amount: String
    /// The address of a pubKeyHash lock; absent for other locks.
    public var address: String?
    public var lockTime: UInt64
    /// The lock's tag byte (0 pubKeyHash, 1–15 the layer-2 covenants).
    public var lockTag: UInt8
    /// The lock's canonical encoding, tag byte included: the `{lock}` of `GET /v1/locks/{lock}/outputs`.
    public var lockHex: String

    public init(output: Output, network: NetworkID) {
        amount = output.amount.description
        address = LockView.address(of: output.lock, network: network)
        lockTime = output.lockTime
        let encoded = output.lock.encoded
        lockTag = encoded[0]
        lockHex = encoded.hexString
    }
}

/// How the API names a lock.
enum LockView {
    /// The address of a pubKeyHash lock, nil for any other.
    static func address(of lock: Lock, network: NetworkID) -> String? {
        guard case .pubKeyHash(let hash) = lock else { return nil }
        return Address(publicKeyHash: hash, network: network).string
    }
}

/// `GET /v1/addresses/{address}/balance`.
public struct BalanceView: Codable, Sendable, Equatable {
    public var address: String
    public var balance: String
    public var spendable: String
    public var outputCount: Int

    public init(address: String, balance: Amount, spendable: Amount, outputCount: Int) {
        self.address = address
        self.balance = balance.description
        self.spendable = spendable.description
        self.outputCount = outputCount
    }
}

/// One unspent output of an address.
public struct OutputView: Codable, Sendable, Equatable {
    public var txid: String
    public var index: UInt32
    public var amount: String
    public var lockTime: UInt64
    public var height: UInt64
    public var coinbase: Bool

    public init(outpoint: OutPoint, unspent: UnspentOutput) {
        txid = outpoint.txid.hex
        index = outpoint.index
        amount = unspent.output.amount.description
        lockTime = unspent.output.lockTime
        height = unspent.height
        coinbase = unspent.isCoinbase
    }
}

public struct OutputsView: Codable, Sendable, Equatable {
    public var address: String
    public var outputs: [OutputView]
}

/// `GET /v1/locks/{lock}/outputs`: the unspent outputs under exactly one lock.
public struct LockOutputsView: Codable, Sendable, Equatable {
    /// The lock's canonical encoding, lowercase hex.
    public var lock: String
    public var lockTag: UInt8
    /// The address of a pubKeyHash lock; absent for other locks.
    public var address: String?
    public var outputs: [OutputView]

    public init(lock: Lock, network: NetworkID, outputs: [OutputView]) {
        let encoded = lock.encoded
        self.lock = encoded.hexString
        lockTag = encoded[0]
        address = LockView.address(of: lock, network: network)
        self.outputs = outputs
    }
}

/// `GET /v1/blobs/{hash}`: a blob published on the active chain, with the block that carries it.
public struct BlobView: Codable, Sendable, Equatable {
    /// `H(blob)`.
    public var hash: String
    public var txid: String
    public var blockHash: String
    public var height: UInt64
    /// The blob's length in bytes.
    public var size: Int
    /// The blob's bytes.
    public var hex: String

    public init(hash: Hash32, txid: Hash32, blockHash: Hash32, height: UInt64, bytes: [UInt8]) {
        self.hash = hash.hex
        self.txid = txid.hex
        self.blockHash = blockHash.hex
        self.height = height
        size = bytes.count
        hex = bytes.hexString
    }
}

/// One transaction touching an address, newest first in a history.
public struct HistoryEntryView: Codable, Sendable, Equatable {
    public var txid: String
    public var height: UInt64
    public var blockHash: String
    public var timestamp: UInt64
    public var received: String
    public var sent: String

    public init(txid: Hash32, height: UInt64, blockHash: Hash32, timestamp: UInt64, received: Amount, sent: Amount) {
        self.txid = txid.hex
        self.height = height
        self.blockHash = blockHash.hex
        self.timestamp = timestamp
        self.received = received.description
        self.sent = sent.description
    }
}

public struct HistoryView: Codable, Sendable, Equatable {
    public var address: String
    public var entries: [HistoryEntryView]
}

/// `GET /v1/mempool`.
public struct MempoolView: Codable, Sendable, Equatable {
    public var count: Int
    public var bytes: Int
    public var transactions: [MempoolEntryView]

    public init(count: Int, bytes: Int, transactions: [MempoolEntryView]) {
        self.count = count
        self.bytes = bytes
        self.transactions = transactions
    }
}

public struct MempoolEntryView: Codable, Sendable, Equatable {
    public var txid: String
    public var size: Int
    public var fee: String
    public var feeRate: String

    public init(txid: Hash32, size: Int, fee: Amount) {
        self.txid = txid.hex
        self.size = size
        self.fee = fee.description
        feeRate = size > 0 ? (fee.units / UInt128(size)).description : "0"
    }
}

/// `GET /v1/mining/template`: a block ready but for its nonce; an external miner varies the first
/// 24 bytes of `header` until `H(H(header))` ≤ target, then posts the block with that header.
public struct MiningTemplateView: Codable, Sendable, Equatable {
    public var height: UInt64
    public var header: String
    public var target: String
    public var targetValue: String
    public var block: String
    public var reward: String
    public var burnt: String
    public var fees: String

    public init(block: Block, targetValue: String, reward: Amount, burnt: Amount, fees: Amount) {
        height = block.header.height
        header = block.header.encoded.hexString
        target = block.header.target.description
        self.targetValue = targetValue
        self.block = block.encoded.hexString
        self.reward = reward.description
        self.burnt = burnt.description
        self.fees = fees.description
    }
}

/// `POST /v1/mining/submit`.
public struct BlockSubmissionView: Codable, Sendable, Equatable {
    public var hash: String
    public var outcome: String
    public var height: UInt64?

    public init(hash: Hash32, outcome: String, height: UInt64?) {
        self.hash = hash.hex
        self.outcome = outcome
        self.height = height
    }
}

/// Bodies of the POST routes.
public struct HexBody: Codable, Sendable {
    public var hex: String
}

public struct SubmittedTransactionView: Codable, Sendable, Equatable {
    public var txid: String
}

/// Every error: `{"error": "...", "detail": "..."}`.
public struct ErrorView: Codable, Sendable, Equatable {
    public var error: String
    public var detail: String
}

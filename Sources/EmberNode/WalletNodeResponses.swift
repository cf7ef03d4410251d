import EmberCore
import EmberCrypto

/// What `GET /v1/info` says about the node the wallet talks to.
public struct NodeInfo: Hashable, Sendable {
    public let network: NetworkID
    public let height: UInt64
    public let tip: Hash32

    public init(network: NetworkID, height: UInt64, tip: Hash32) {
        self.network = network
        self.height = height
        self.tip = tip
    }
}

/// What `GET /v1/addresses/{address}/balance` reports: confirmed outputs only.
public struct AddressBalance: Hashable, Sendable {
    /// Every confirmed unspent output of the address.
    public let balance: Amount
    /// The part whose lock time has passed.
    public let spendable: Amount
    public let outputCount: Int

    public init(balance: Amount, spendable: Amount, outputCount: Int) {
        self.balance = balance
        self.spendable = spendable
        self.outputCount = outputCount
    }
}

/// One transaction touching an address, from `GET /v1/addresses/{address}/history`.
public struct AddressHistoryEntry: Hashable, Sendable {
    public let txid: Hash32
    public let height: UInt64
    public let blockHash: Hash32
    /// The block's timestamp, milliseconds since the Unix epoch.
    public let timestampMs: UInt64
    /// Paid to the address by this transaction.
    public let received: Amount
    /// Spent from the address by this transaction.
    public let sent: Amount

    public init(txid: Hash32, height: UInt64, blockHash: Hash32, timestampMs: UInt64, received: Amount, sent: Amount) {
        self.txid = txid
        self.height = height
        self.blockHash = blockHash
        self.timestampMs = timestampMs
        self.received = received
        self.sent = sent
    }
}

/// Where a submitted transaction is, from `GET /v1/transactions/{txid}`.
public enum TransactionStatus: Hashable, Sendable {
    case mempool
    case confirmed(height: UInt64, blockHash: Hash32)
}

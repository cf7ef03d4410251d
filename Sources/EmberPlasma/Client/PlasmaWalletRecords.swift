import EmberCore
import EmberCrypto
import EmberLayer2

/// A `plasmaBlock` of the wallet's chain seen on layer 1: the root a coin's proofs are checked against.
public struct CommittedBlock: Hashable, Sendable {
    public let number: UInt64
    public let root: Hash32
    public let outpoint: OutPoint
    /// The layer-1 height of the commit: the block counts once it has the finality depth.
    public let height: UInt64

    public init(number: UInt64, root: Hash32, outpoint: OutPoint, height: UInt64) {
        self.number = number
        self.root = root
        self.outpoint = outpoint
        self.height = height
    }

    /// The output as a transaction reads it.
    public func chainOutput(chainId: Hash32) -> PlasmaCoinTransactions.ChainOutput {
        PlasmaCoinTransactions.ChainOutput(
            outpoint: outpoint,
            unspent: UnspentOutput(
                output: Output(amount: .zero, lock: .plasmaBlock(PlasmaBlockLock(chainId: chainId, number: number, root: root))), height: height,
                isCoinbase: false))
    }
}

/// What the wallet knows of a coin it holds or watches.
public struct WalletCoin: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        /// The wallet's key owns its latest entry (or it is being paid to it).
        case held
        /// The wallet's key signed it away; kept until the move is included and final.
        case sent
        /// An exit of the coin is open on layer 1.
        case exiting
        /// Its exit was finalized: the value left the child chain.
        case exited
    }

    public let coinId: Hash32
    public let depositorKey: RawPublicKey
    public let amount: Amount
    public let firstBlock: UInt64
    public let exitWindow: UInt32
    /// The deposit's first input and the coin's output index: with amount and depositor, the coinId's preimage.
    public let firstInput: OutPoint
    public let outputIndex: UInt32
    /// The coin's current `plasmaCoin` output on layer 1 and its height; nil while it is in an exit.
    public var output: OutPoint?
    public var outputHeight: UInt64
    public var status: Status
    /// The last child block whose evidence was checked and stored (firstBlock − 1 before the first).
    public var checkedThrough: UInt64
    /// The layer-1 height at which the operator first failed to serve the next block's evidence.
    public var unservedSince: UInt64?

    public init(
        coinId: Hash32, depositorKey: RawPublicKey, amount: Amount, firstBlock: UInt64, exitWindow: UInt32, firstInput: OutPoint,
        outputIndex: UInt32, output: OutPoint?, outputHeight: UInt64, status: Status = .held, checkedThrough: UInt64? = nil,
        unservedSince: UInt64? = nil
    ) {
        self.coinId = coinId
        self.depositorKey = depositorKey
        self.amount = amount
        self.firstBlock = firstBlock
        self.exitWindow = exitWindow
        self.firstInput = firstInput
        self.outputIndex = outputIndex
        self.output = output
        self.outputHeight = outputHeight
        self.status = status
        self.checkedThrough = checkedThrough ?? (firstBlock - 1)
        self.unservedSince = unservedSince
    }

    /// The coin's lock, as its deposit (or a cancel) made it.
    public func lock(chainId: Hash32) -> PlasmaCoinLock {
        PlasmaCoinLock(chainId: chainId, coinId: coinId, depositorKey: depositorKey, exitWindow: exitWindow, firstBlock: firstBlock)
    }

    /// The coin's output as an exit spends it; nil while the coin is in an exit.
    public func chainOutput(chainId: Hash32) -> PlasmaCoinTransactions.ChainOutput? {
        output.map {
            PlasmaCoinTransactions.ChainOutput(
                outpoint: $0, unspent: UnspentOutput(output: Output(amount: amount, lock: .plasmaCoin(lock(chainId: chainId))), height: outputHeight, isCoinbase: false))
        }
    }

    /// `first input ‖ varint(index) ‖ varint(amount) ‖ depositor`: what fraud ground 5 shows.
    public var coinPreimage: [UInt8] {
        PlasmaFraudGround.coinPreimage(firstInput: firstInput, outputIndex: outputIndex, amount: amount, depositorKey: depositorKey)
    }
}

/// A Plasma output on layer 1 the wallet follows: an exit of one of its coins, a challenge against one
/// of those exits, or a marker; with what the wallet did about it.
public struct WatchedOutput: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        /// Unspent as far as the wallet has seen.
        case open
        /// Spent on layer 1.
        case spent
    }

    public let outpoint: OutPoint
    public let output: Output
    public let height: UInt64
    /// Whether the wallet built it (its own exit, or its own challenge).
    public let isMine: Bool
    public var status: Status

    public init(outpoint: OutPoint, output: Output, height: UInt64, isMine: Bool, status: Status = .open) {
        self.outpoint = outpoint
        self.output = output
        self.height = height
        self.isMine = isMine
        self.status = status
    }

    public var chainOutput: PlasmaCoinTransactions.ChainOutput {
        PlasmaCoinTransactions.ChainOutput(outpoint: outpoint, unspent: UnspentOutput(output: output, height: height, isCoinbase: false))
    }

    /// The coin the output concerns, for an exit or a challenge.
    public var coinId: Hash32? {
        switch output.lock {
        case .plasmaExit(let exit): exit.coinId
        case .plasmaChallenge(let challenge): challenge.coinId
        default: nil
        }
    }
}

import EmberCore
import EmberCrypto

/// Everything a lock rule may look at when an output under its lock is spent (DESIGN.md section 15).
///
/// A rule sees values only: the including block's height and time, the whole transaction, the output
/// it spends (with the height that created it), the outputs the transaction reads, and the
/// parameters. The mempool checks against `height` = tip height + 1.
public struct SpendContext: Sendable {
    /// h: the height of the block that includes the transaction.
    public let height: UInt64
    /// The including block's timestamp, in milliseconds.
    public let blockTimestamp: UInt64
    /// The spending transaction.
    public let transaction: Transaction
    /// Its txid.
    public let txid: Hash32
    /// Which input spends the covenant output.
    public let inputIndex: Int
    /// The output spent, with `height` = createdHeight.
    public let spent: UnspentOutput
    /// The outputs named in `transaction.reads`, in the same order.
    public let reads: [UnspentOutput]
    /// The outputs every input of the transaction spends, in input order.
    public let spentByInputs: [UnspentOutput]
    /// The network's parameters.
    public let params: ConsensusParams

    public init(
        height: UInt64, blockTimestamp: UInt64, transaction: Transaction, txid: Hash32, inputIndex: Int,
        spent: UnspentOutput, reads: [UnspentOutput], spentByInputs: [UnspentOutput], params: ConsensusParams
    ) {
        self.height = height
        self.blockTimestamp = blockTimestamp
        self.transaction = transaction
        self.txid = txid
        self.inputIndex = inputIndex
        self.spent = spent
        self.reads = reads
        self.spentByInputs = spentByInputs
        self.params = params
    }

    /// The input that spends the covenant output.
    public var input: Input { transaction.inputs[inputIndex] }
    /// Its witness items, in the order the mode lists them.
    public var witness: Witness { transaction.witnesses[inputIndex] }
    /// Its unlock's mode, firstOutput and maxSteps (the framework calls a rule only for covenant unlocks).
    public var unlock: CovenantUnlock {
        guard let covenant = input.unlock.covenant else {
            preconditionFailure("a covenant rule was called for a public-key unlock")
        }
        return covenant
    }
}

/// What a lock rule may look at when deciding whether a transaction may create an output under its
/// lock outside any pinned range (its tag's creation rule).
public struct CreationContext: Sendable {
    /// h: the height of the block that includes the transaction.
    public let height: UInt64
    /// The creating transaction.
    public let transaction: Transaction
    /// Its txid.
    public let txid: Hash32
    /// Which output the rule is asked about.
    public let outputIndex: Int
    /// The outputs named in `transaction.reads`, in the same order.
    public let reads: [UnspentOutput]
    /// The outputs every input of the transaction spends, in input order.
    public let spentByInputs: [UnspentOutput]
    /// The network's parameters.
    public let params: ConsensusParams

    public init(
        height: UInt64, transaction: Transaction, txid: Hash32, outputIndex: Int, reads: [UnspentOutput],
        spentByInputs: [UnspentOutput], params: ConsensusParams
    ) {
        self.height = height
        self.transaction = transaction
        self.txid = txid
        self.outputIndex = outputIndex
        self.reads = reads
        self.spentByInputs = spentByInputs
        self.params = params
    }

    /// The output the rule is asked about.
    public var output: Output { transaction.outputs[outputIndex] }
}

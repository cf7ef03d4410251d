import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode

/// Builds every layer-1 transaction a Plasma coin holder, challenger or prover makes (docs/plasma.md,
/// "Spend modes" and "Flows for a user"): deposit, exit, preempt, the spent and double-spend challenges,
/// the invalid-history challenge, answer, cancel, finalize, reclaimChallenge, sweep and the fraud proof on
/// each of its five grounds. The operator's own transactions (register, commit, close) are built elsewhere.
///
/// Every builder takes the layer-1 outputs it spends and reads as `ChainOutput`s (outpoint and current
/// state, found by the caller: a watcher's store or the node) and a `Context` (the including height, the
/// funding key's outputs, the time), and pays the fee, bonds and marker dust from the funding key
/// (`SponsoredTransactionBuilder`). Every result passed the network's own covenant rules and
/// `checkTransactionConnect` in the builder's self-check before it is returned: nothing here decides
/// whether a spend is valid.
public struct PlasmaCoinTransactions: Sendable {
    public let sponsor: SponsoredTransactionBuilder

    public init(params: ConsensusParams, fundingKey: SigningKey) {
        sponsor = SponsoredTransactionBuilder(params: params, fundingKey: fundingKey)
    }

    public var params: ConsensusParams { sponsor.params }
    public var network: NetworkID { params.networkID }
    /// β_min: the least exit, preempt and challenge bond.
    public var bondMinimum: Amount { params.layer2.bondMinimum }

    /// An output on layer 1 that a Plasma transaction spends or reads, with its state and creation height.
    public typealias ChainOutput = CovenantTransactionRequest.ReadOutput

    /// Where a transaction is built: the including height (tip + 1), the funding key's outputs, the time.
    public typealias Context = SponsorshipContext

    /// The deadline an exit or preempt writes, or the respondBy a challenge writes, when built for the block
    /// at `nextHeight`: `nextHeight + W + ⌊W/2⌋`. The rule accepts it from ⌈W/2⌉ blocks below `nextHeight`
    /// to ⌊W/2⌋ above, so the transaction may wait half a window and survive a half-window reorganisation.
    public static func chosenDeadline(nextHeight: UInt64, window: UInt32) -> UInt64 {
        let (deadline, overflow) = nextHeight.addingReportingOverflow(UInt64(window) + UInt64(window / 2))
        return overflow ? .max : deadline
    }

    // MARK: - Deposit

    /// One coin a deposit creates: its output and what its history starts from.
    public struct DepositedCoin: Hashable, Sendable {
        public let outpoint: OutPoint
        public let amount: Amount
        public let lock: PlasmaCoinLock
        /// The deposit's first input: with the output index, amount and depositor it makes the coinId
        /// (and the preimage a fraud proof of ground 5 shows).
        public let firstInput: OutPoint
        public var coinId: Hash32 { lock.coinId }
    }

    /// Deposits `amounts` as one coin each into the chain whose open bond is `bond`, for `depositorKey`.
    /// `latestBlock` is the chain's newest final `plasmaBlock` (nil before the first): the coins' history
    /// starts after it, and the deposit reads it, so it cannot outlive a reorganisation that removes it.
    public func deposit(
        bond: ChainOutput, latestBlock: ChainOutput?, amounts: [Amount], depositorKey: RawPublicKey, in context: Context
    ) throws(PlasmaTransactionError) -> (transaction: SponsoredTransaction, coins: [DepositedCoin]) {
        guard case .plasmaBond(let bondLock) = bond.unspent.output.lock else { throw .notThe("plasmaBond", bond.outpoint) }
        guard !amounts.isEmpty else { throw .nothingToDeposit }
        var firstBlock: UInt64 = 1
        var reads = [bond]
        if let latestBlock {
            guard case .plasmaBlock(let block) = latestBlock.unspent.output.lock, block.chainId == bondLock.chainId else {
                throw .notThe("plasmaBlock of chain \(bondLock.chainId)", latestBlock.outpoint)
            }
            firstBlock = block.number + 1
            reads.append(latestBlock)
        }
        // The coinId binds the transaction's first input, which is the funding key's first output the
        // builder picks: the largest spendable one (the builder's documented selection order).
        guard let firstInput = Self.largestFirst(context.funding, nowMs: context.nowMs).first?.outpoint else {
            throw .sponsorship(.insufficientFunds(available: .zero, needed: amounts.first ?? .zero))
        }
        var coins = [DepositedCoin]()
        var outputs = [Output]()
        for (index, amount) in amounts.enumerated() {
            let coinId = PlasmaCoinId.derive(
                chainId: bondLock.chainId, firstInput: firstInput, outputIndex: UInt32(index), amount: amount, depositorKey: depositorKey)
            let lock = PlasmaCoinLock(
                chainId: bondLock.chainId, coinId: coinId, depositorKey: depositorKey, exitWindow: bondLock.exitWindow, firstBlock: firstBlock)
            outputs.append(Output(amount: amount, lock: .plasmaCoin(lock)))
            coins.append(DepositedCoin(outpoint: OutPoint(txid: .zero, index: UInt32(index)), amount: amount, lock: lock, firstInput: firstInput))
        }
        let built = try build(CovenantTransactionRequest(covenantInputs: [], reads: reads, otherOutputs: outputs), in: context)
        guard built.transaction.inputs.first?.outpoint == firstInput else { throw .fundingOrderChanged }
        let txid = built.transaction.txid
        let placed = coins.map { coin in
            DepositedCoin(outpoint: OutPoint(txid: txid, index: coin.outpoint.index), amount: coin.amount, lock: coin.lock, firstInput: firstInput)
        }
        return (built, placed)
    }

    /// The funding outputs in the order the builder considers them: spendable, largest first, ties by outpoint.
    static func largestFirst(_ funding: [WalletOutput], nowMs: UInt64) -> [WalletOutput] {
        funding.filter { $0.isSpendable(atMs: nowMs) }.sorted {
            if $0.amount != $1.amount { return $0.amount > $1.amount }
            if $0.outpoint.txid != $1.outpoint.txid { return $0.outpoint.txid.bytes.lexicographicallyPrecedes($1.outpoint.txid.bytes) }
            return $0.outpoint.index < $1.outpoint.index
        }
    }

    // MARK: - Exit

    /// Mode 1: the coin `coin` (a `plasmaCoin`) becomes an exit resting on `evidence`, with `bond` (β_min
    /// by default) and a deadline chosen for the next block.
    public func exit(
        coin: ChainOutput, evidence: CoinExitEvidence, bond: Amount? = nil, in context: Context
    ) throws(PlasmaTransactionError) -> SponsoredTransaction {
        guard case .plasmaCoin(let coinLock) = coin.unspent.output.lock else { throw .notThe("plasmaCoin", coin.outpoint) }
        let exitBond = bond ?? bondMinimum
        let deadline = Self.chosenDeadline(nextHeight: context.height, window: coinLock.exitWindow)
        let lock = evidence.exitLock(coin: coinLock, deadline: deadline, bond: exitBond)
        guard let total = coin.unspent.output.amount.adding(exitBond) else { throw .sponsorship(.overflow) }
        let input = CovenantSpendInput(
            outpoint: coin.outpoint, spent: coin.unspent, unlock: Self.unlock(.exit), witness: Witness(items: evidence.items),
            pinned: [Output(amount: total, lock: .plasmaExit(lock))])
        return try build(CovenantTransactionRequest(covenantInputs: [input], reads: evidence.reads), in: context)
    }

    // MARK: - Parts

    static func unlock(_ mode: CovenantUnlock.PlasmaMode, firstOutput: UInt64 = 0, recipient: Hash32? = nil) -> Unlock {
        .plasma(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput, recipient: recipient))
    }

    /// `pkh(k)`.
    static func payTo(_ key: RawPublicKey) -> Lock { .pubKeyHash(Blake3.hash(key.bytes)) }

    /// The marker a closed exit at `outpoint` leaves: dust, sweepable from `deadline + 5W`.
    func marker(of outpoint: OutPoint, exit: PlasmaExitLock) -> Output {
        let (product, overflow) = UInt64(exit.exitWindow).multipliedReportingOverflow(by: 5)
        let (sweepFrom, sumOverflow) = exit.deadline.addingReportingOverflow(product)
        return Output(
            amount: params.dust,
            lock: .plasmaExitClosed(PlasmaExitClosedLock(exit: outpoint, sweepFrom: overflow || sumOverflow ? .max : sweepFrom)))
    }

    func build(_ request: CovenantTransactionRequest, in context: Context) throws(PlasmaTransactionError) -> SponsoredTransaction {
        do {
            return try sponsor.build(request, funding: context.funding, height: context.height, nowMs: context.nowMs)
        } catch {
            throw .sponsorship(error)
        }
    }
}

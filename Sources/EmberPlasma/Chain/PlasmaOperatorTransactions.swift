import EmberConsensus
import EmberCore
import EmberCrypto
import EmberLayer2
import EmberNode

/// Builds the operator's layer-1 transactions (docs/plasma.md): the register (creation rules of tags 3
/// and 10), the commit (mode 0) and the close (mode 9, with the open bond or alone after a freeze), each
/// paid for by a funding key (fee sponsorship, DESIGN.md §15), usually the operator key itself.
///
/// Every result is checked against the network's own rules (`checkTransactionSanity`,
/// `checkSignatures`, `checkTransactionConnect`) before it is returned: nothing here decides validity.
public struct PlasmaOperatorTransactions: Sendable {
    public let params: ConsensusParams
    public let operatorKey: SigningKey
    public let sponsor: SponsoredTransactionBuilder

    /// Builds for `operatorKey`, paying fees from `fundingKey` (the operator key when nil).
    public init(params: ConsensusParams, operatorKey: SigningKey, fundingKey: SigningKey? = nil) {
        self.params = params
        self.operatorKey = operatorKey
        sponsor = SponsoredTransactionBuilder(params: params, fundingKey: fundingKey ?? operatorKey)
    }

    public var network: NetworkID { params.networkID }
    public var rawOperatorKey: RawPublicKey {
        // A `PublicKey` is 32 bytes by construction, the one length `RawPublicKey` accepts.
        guard let raw = RawPublicKey(operatorKey.publicKey.bytes) else { preconditionFailure("a public key is not 32 bytes") }
        return raw
    }

    /// Where a transaction is built: the including height (tip + 1), the funding key's outputs, the time.
    public typealias Context = SponsorshipContext

    /// A layer-1 output the operator spends or reads, with its state (lock, amount, creation height).
    public typealias ChainOutput = CovenantTransactionRequest.ReadOutput

    /// A built, signed and self-checked transaction.
    public struct Built: Hashable, Sendable {
        public let transaction: Transaction
        public let txid: Hash32
        /// What the fee is priced by (its size: no program runs in a Plasma rule).
        public let weight: Int
        public let fee: Amount
        /// The funding key's outputs spent, in input order after the covenant inputs.
        public let funding: [WalletOutput]
    }

    // MARK: - Register

    /// A register built and checked: the chain it makes and where its two outputs are.
    public struct Registration: Hashable, Sendable {
        public let built: Built
        public let chainId: Hash32
        public let exitWindow: UInt32
        public let operatorOutpoint: OutPoint
        public let bondOutpoint: OutPoint
        public let operatorLock: PlasmaOperatorLock
        public let bondLock: PlasmaBondLock
    }

    /// The register: a `plasmaOperator` (nextNumber 1) of `operatorAmount` (dust when nil) at output 0
    /// and an open `plasmaBond` of `bond` at output 1, paid by the funding key.
    ///
    /// The chainId binds the transaction's first input, which is the funding key's first chosen output:
    /// the builder takes the largest spendable output first whatever the locks hold (a chainId is 32
    /// bytes whatever its value, so the size and the choice do not depend on it). The id is derived from
    /// that guess and the built transaction checked to start with it; a different choice is rebuilt once.
    public func register(bond: Amount, exitWindow: UInt32, operatorAmount: Amount? = nil, in context: Context) throws(PlasmaOperatorTransactionError)
        -> Registration
    {
        let operatorAmount = operatorAmount ?? params.dust
        guard bond >= params.layer2.operatorBondMinimum else {
            throw .bondBelowMinimum(bond: bond, minimum: params.layer2.operatorBondMinimum)
        }
        guard params.layer2.windowRange.contains(exitWindow) else {
            throw .exitWindowOutOfBounds(exitWindow, minimum: params.layer2.windowMinimum, maximum: params.layer2.windowMaximum)
        }
        let spendable = context.funding.filter { $0.isSpendable(atMs: context.nowMs) }
        guard var firstInput = spendable.max(by: Self.fundingOrder)?.outpoint else {
            throw .sponsorship(.insufficientFunds(available: .zero, needed: bond))
        }
        for _ in 0..<2 {
            let chainId = PlasmaChainId.derive(network: network, firstInput: firstInput, operatorKey: rawOperatorKey, exitWindow: exitWindow)
            let operatorLock = PlasmaOperatorLock(chainId: chainId, operatorKey: rawOperatorKey, nextNumber: 1)
            let bondLock = PlasmaBondLock(chainId: chainId, exitWindow: exitWindow, state: .open)
            let request = CovenantTransactionRequest(covenantInputs: [], otherOutputs: [
                Output(amount: operatorAmount, lock: .plasmaOperator(operatorLock)), Output(amount: bond, lock: .plasmaBond(bondLock)),
            ])
            let sponsored: SponsoredTransaction
            do {
                sponsored = try sponsor.build(request, funding: context.funding, height: context.height, nowMs: context.nowMs)
            } catch {
                throw .sponsorship(error)
            }
            guard let chosen = sponsored.transaction.inputs.first?.outpoint else { throw .sponsorship(.insufficientFunds(available: .zero, needed: bond)) }
            guard chosen == firstInput else {
                firstInput = chosen
                continue
            }
            let txid = sponsored.digests.txid
            return Registration(
                built: Built(transaction: sponsored.transaction, txid: txid, weight: sponsored.weight, fee: sponsored.fee, funding: sponsored.funding),
                chainId: chainId, exitWindow: exitWindow, operatorOutpoint: OutPoint(txid: txid, index: 0),
                bondOutpoint: OutPoint(txid: txid, index: 1), operatorLock: operatorLock, bondLock: bondLock)
        }
        throw .registerInputUnstable
    }

    /// The order in which `SponsoredTransactionBuilder` prefers funding outputs, as `<` for `max`: a
    /// larger amount first, then the smaller txid bytes, then the smaller index.
    static func fundingOrder(_ lhs: WalletOutput, _ rhs: WalletOutput) -> Bool {
        if lhs.amount != rhs.amount { return lhs.amount < rhs.amount }
        if lhs.outpoint.txid != rhs.outpoint.txid {
            return rhs.outpoint.txid.bytes.lexicographicallyPrecedes(lhs.outpoint.txid.bytes)
        }
        return lhs.outpoint.index > rhs.outpoint.index
    }

    // MARK: - Commit

    /// Mode 0: spends the chain's operator output, pins the next one (nextNumber + 1) and
    /// `plasmaBlock(chainId, nextNumber, root)`, reads the open bond, and signs the txid with the
    /// operator key. The block committed is the operator output's `nextNumber`: the caller passes that
    /// block's root.
    public func commit(root: Hash32, operator operatorOutput: ChainOutput, bond: ChainOutput, in context: Context)
        throws(PlasmaOperatorTransactionError) -> Built
    {
        let operatorLock = try Self.operatorLock(of: operatorOutput)
        guard operatorLock.operatorKey == rawOperatorKey else { throw .notOurOperator(key: operatorLock.operatorKey) }
        guard operatorLock.nextNumber < .max else { throw .blockNumbersExhausted }
        var next = operatorLock
        next.nextNumber += 1
        let block = PlasmaBlockLock(chainId: operatorLock.chainId, number: operatorLock.nextNumber, root: root)
        let input = CovenantSpendInput(
            outpoint: operatorOutput.outpoint, spent: operatorOutput.unspent, unlock: Self.unlock(.commit, firstOutput: 0),
            witness: Self.signaturePlaceholder,
            pinned: [Output(amount: operatorOutput.unspent.output.amount, lock: .plasmaOperator(next)), Output(amount: .zero, lock: .plasmaBlock(block))])
        return try buildSigned(CovenantTransactionRequest(covenantInputs: [input], reads: [bond]), in: context)
    }

    // MARK: - Close

    /// Mode 9 with the open bond: spends the operator output and the bond together, once the operator
    /// output is 2 · exitWindow blocks old; the operator output's amount goes to the operator key and the
    /// bond stays, in state closing, until its release 100 000 blocks later.
    public func close(operator operatorOutput: ChainOutput, bond: ChainOutput, in context: Context) throws(PlasmaOperatorTransactionError) -> Built {
        let operatorLock = try Self.operatorLock(of: operatorOutput)
        guard operatorLock.operatorKey == rawOperatorKey else { throw .notOurOperator(key: operatorLock.operatorKey) }
        guard case .plasmaBond(var bondLock) = bond.unspent.output.lock else { throw .notABond(bond.outpoint) }
        bondLock.state = .closing
        let operatorInput = CovenantSpendInput(
            outpoint: operatorOutput.outpoint, spent: operatorOutput.unspent, unlock: Self.unlock(.close, firstOutput: 0),
            witness: Self.signaturePlaceholder,
            pinned: [Output(amount: operatorOutput.unspent.output.amount, lock: .pubKeyHash(operatorKey.publicKey.publicKeyHash))])
        let bondInput = CovenantSpendInput(
            outpoint: bond.outpoint, spent: bond.unspent, unlock: Self.unlock(.close, firstOutput: 1), witness: Witness(items: []),
            pinned: [Output(amount: bond.unspent.output.amount, lock: .plasmaBond(bondLock))])
        return try buildSigned(CovenantTransactionRequest(covenantInputs: [operatorInput, bondInput]), in: context)
    }

    /// Mode 9 after a freeze: the operator output alone, reading the frozen bond; its amount goes to
    /// the operator key.
    public func closeAfterFreeze(operator operatorOutput: ChainOutput, frozenBond: ChainOutput, in context: Context)
        throws(PlasmaOperatorTransactionError) -> Built
    {
        let operatorLock = try Self.operatorLock(of: operatorOutput)
        guard operatorLock.operatorKey == rawOperatorKey else { throw .notOurOperator(key: operatorLock.operatorKey) }
        let input = CovenantSpendInput(
            outpoint: operatorOutput.outpoint, spent: operatorOutput.unspent, unlock: Self.unlock(.close, firstOutput: 0),
            witness: Self.signaturePlaceholder,
            pinned: [Output(amount: operatorOutput.unspent.output.amount, lock: .pubKeyHash(operatorKey.publicKey.publicKeyHash))])
        return try buildSigned(CovenantTransactionRequest(covenantInputs: [input], reads: [frozenBond]), in: context)
    }

    // MARK: - Parts

    static let signaturePlaceholder = Witness(items: [[UInt8](repeating: 0, count: Signature.byteCount)])

    static func unlock(_ mode: CovenantUnlock.PlasmaMode, firstOutput: UInt64) -> Unlock {
        .plasma(CovenantUnlock(mode: mode.rawValue, firstOutput: firstOutput))
    }

    static func operatorLock(of output: ChainOutput) throws(PlasmaOperatorTransactionError) -> PlasmaOperatorLock {
        guard case .plasmaOperator(let lock) = output.unspent.output.lock else { throw .notAnOperatorOutput(output.outpoint) }
        return lock
    }

    /// Sponsors `request`, whose input 0 spends the operator output and carries a placeholder for the
    /// operator's signature of the txid, then puts the signature in and checks the result with the
    /// network's rules.
    ///
    /// The txid is known only once the funding is chosen, and the builder asks the real rule for each
    /// input's verdict on drafts: it builds on a copy of the network whose operator rule signs each
    /// draft's txid before handing it to the real rule (`OperatorSigningRule`), so sizes, pins and fee
    /// are the real rule's, and the signed transaction is checked again on the network itself.
    func buildSigned(_ request: CovenantTransactionRequest, in context: Context) throws(PlasmaOperatorTransactionError) -> Built {
        let signing = OperatorSigningRule(real: PlasmaOperatorRule(), key: operatorKey, params: params)
        let rules = params.covenantRules.activeTags.compactMap { tag -> (any CovenantRule)? in
            tag == Lock.Tag.plasmaOperator ? signing : params.covenantRules.rule(for: tag)
        }
        let signingParams = params.withCovenantRules(CovenantRules(identity: "plasma-operator-signing", rules: rules))
        let sponsored: SponsoredTransaction
        do {
            sponsored = try SponsoredTransactionBuilder(params: signingParams, fundingKey: sponsor.fundingKey).build(
                request, funding: context.funding, height: context.height, nowMs: context.nowMs)
        } catch {
            throw .sponsorship(error)
        }
        var transaction = sponsored.transaction
        let txid = sponsored.digests.txid
        do {
            transaction.witnesses[0] = Witness(items: [try operatorKey.sign(txid: txid, network: network).bytes])
        } catch {
            throw .signingFailed("\(error)")
        }
        let digests = transaction.digests
        var view = [OutPoint: UnspentOutput]()
        for input in request.covenantInputs { view[input.outpoint] = input.spent }
        for read in request.reads { view[read.outpoint] = read.unspent }
        for output in sponsored.funding {
            view[output.outpoint] = UnspentOutput(
                output: Output(amount: output.amount, lock: sponsor.fundingLock, lockTime: output.lockTime), height: output.height,
                isCoinbase: output.isCoinbase)
        }
        let fee: Amount
        do {
            try params.checkTransactionSanity(transaction, digests: digests)
            try params.checkSignatures(transaction, txid: digests.txid)
            fee = try params.checkTransactionConnect(
                transaction, digests: digests, view: InMemoryUTXOView(view), height: context.height, blockTimestamp: context.nowMs)
        } catch {
            throw .failedSelfCheck(error)
        }
        return Built(transaction: transaction, txid: digests.txid, weight: params.weight(of: transaction, size: digests.size), fee: fee, funding: sponsored.funding)
    }
}

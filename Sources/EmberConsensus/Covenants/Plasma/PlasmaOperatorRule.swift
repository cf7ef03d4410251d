import EmberCore
import EmberCrypto

/// Lock tag 3, plasmaOperator (docs/plasma.md): created by the register, spent by each commit (mode 0)
/// and by the close (mode 9), both signed by the operator over the txid.
public struct PlasmaOperatorRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.plasmaOperator }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var checks = PlasmaChecks(context)
        guard case .plasmaOperator(let operatorLock) = context.spent.output.lock else { throw checks.broken("lock", "not a plasmaOperator") }
        let items = context.witness.items
        switch CovenantUnlock.PlasmaMode(rawValue: context.unlock.mode) {
        case .commit:
            return try commit(operatorLock, context: context, checks: &checks, items: items)
        case .close:
            return try close(operatorLock, context: context, checks: &checks, items: items)
        default:
            throw checks.broken("mode", "an operator output is spent by commit (0) or close (9), found mode \(context.unlock.mode)")
        }
    }

    private func commit(
        _ operatorLock: PlasmaOperatorLock, context: SpendContext, checks: inout PlasmaChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        try checks.requireOperatorSignatureItem(items, mode: "commit")
        // One commit per chain per layer-1 block: the chain's commitments grow no faster than layer 1.
        let heights = try checks.from(PlasmaChecks.sat(context.spent.height, 1), rule: "commit")
        guard operatorLock.nextNumber < .max else { throw checks.broken("commit", "the block numbers are exhausted") }
        let found = try checks.output(firstOutput: context.unlock.firstOutput, offset: 1, input: context.inputIndex, count: 2)
        guard case .plasmaBlock(let written) = found.lock else {
            throw checks.broken("commit", "output \(context.unlock.firstOutput + 1) must be the committed plasmaBlock")
        }
        var next = operatorLock
        next.nextNumber += 1
        let block = PlasmaBlockLock(chainId: operatorLock.chainId, number: operatorLock.nextNumber, root: written.root)
        let pinned = [
            PinnedOutput(amount: context.spent.output.amount, lock: .plasmaOperator(next)),
            PinnedOutput(amount: .zero, lock: .plasmaBlock(block)),
        ]
        let bond = try checks.bond(chainId: operatorLock.chainId)
        guard bond.state == .open else { throw checks.broken("commit", "the chain's bond is \(bond.state): no more commits") }
        try checks.requireOperatorSignature(items[0], key: operatorLock.operatorKey, txid: context.txid)
        return CovenantSpend(pinned: pinned, heights: heights, usedReads: checks.usedReads)
    }

    /// The close: with the open bond spent beside it after 2 · exitWindow without a commit, or alone once
    /// the chain is frozen (the operator output's amount is the operator's either way).
    private func close(
        _ operatorLock: PlasmaOperatorLock, context: SpendContext, checks: inout PlasmaChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        try checks.requireOperatorSignatureItem(items, mode: "close")
        let bondInputs = context.spentByInputs.indices.filter { index in
            if case .plasmaBond(let bond) = context.spentByInputs[index].output.lock { return bond.chainId == operatorLock.chainId }
            return false
        }
        var heights = ValidHeights.unbounded
        if bondInputs.isEmpty {
            let bond = try checks.bond(chainId: operatorLock.chainId)
            guard bond.state == .frozen else {
                throw checks.broken("close", "alone, the operator output closes only a frozen chain; spend the bond beside it")
            }
        } else {
            guard bondInputs.count == 1, context.transaction.inputs[bondInputs[0]].unlock.covenant?.mode == CovenantUnlock.PlasmaMode.close.rawValue,
                  case .plasmaBond(let bond) = context.spentByInputs[bondInputs[0]].output.lock
            else {
                throw checks.broken("close", "exactly one input spends the chain's bond, in mode 9")
            }
            heights = try checks.from(
                PlasmaChecks.sat(context.spent.height, 2, times: bond.exitWindow), rule: "close (no commit for 2 · exitWindow)")
        }
        let pinned = [PinnedOutput(amount: context.spent.output.amount, lock: PlasmaChecks.payTo(operatorLock.operatorKey))]
        try checks.requireOperatorSignature(items[0], key: operatorLock.operatorKey, txid: context.txid)
        return CovenantSpend(pinned: pinned, heights: heights, usedReads: checks.usedReads)
    }

    /// The register: this output and exactly one bond of the same chain, whose id binds this transaction's
    /// first input, the operator key and the exit window.
    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        let checks = PlasmaChecks(
            lockTag: lockTag, height: context.height, transaction: context.transaction, reads: context.reads, params: context.params)
        let output = context.output
        guard case .plasmaOperator(let operatorLock) = output.lock else { throw checks.broken("register", "not a plasmaOperator") }
        try checks.requirePlain(output, index: context.outputIndex)
        guard operatorLock.nextNumber == 1 else { throw checks.broken("register", "a chain starts at block 1, found \(operatorLock.nextNumber)") }
        guard output.amount >= context.params.dust else { throw checks.broken("register", "the operator output holds at least dust") }
        let (operators, bonds) = PlasmaRegister.outputs(of: operatorLock.chainId, in: context.transaction)
        guard operators.count == 1, bonds.count == 1, case .plasmaBond(let bond) = context.transaction.outputs[bonds[0]].lock else {
            throw checks.broken("register", "a register creates exactly one operator output and one bond of its chain")
        }
        try PlasmaRegister.check(operatorKey: operatorLock.operatorKey, bond: bond, chainId: operatorLock.chainId, context: context, checks: checks)
        return CovenantCreation()
    }
}

/// What the register's two creation rules (tags 3 and 10) share.
enum PlasmaRegister {
    /// Indices of the transaction's operator outputs and bonds of `chainId`.
    static func outputs(of chainId: Hash32, in transaction: Transaction) -> (operators: [Int], bonds: [Int]) {
        var operators = [Int]()
        var bonds = [Int]()
        for (index, output) in transaction.outputs.enumerated() {
            switch output.lock {
            case .plasmaOperator(let lock) where lock.chainId == chainId: operators.append(index)
            case .plasmaBond(let lock) where lock.chainId == chainId: bonds.append(index)
            default: break
            }
        }
        return (operators, bonds)
    }

    static func check(
        operatorKey: RawPublicKey, bond: PlasmaBondLock, chainId: Hash32, context: CreationContext, checks: PlasmaChecks
    ) throws(CovenantRejection) {
        guard let firstInput = context.transaction.inputs.first?.outpoint else { throw checks.broken("register", "no input") }
        guard bond.state == .open else { throw checks.broken("register", "a new bond is open") }
        guard context.params.layer2.windowRange.contains(bond.exitWindow) else {
            throw .windowOutOfBounds(
                found: UInt64(bond.exitWindow), minimum: UInt64(context.params.layer2.windowMinimum),
                maximum: UInt64(context.params.layer2.windowMaximum))
        }
        let expected = PlasmaChainId.derive(
            network: context.params.networkID, firstInput: firstInput, operatorKey: operatorKey, exitWindow: bond.exitWindow)
        guard chainId == expected else { throw checks.broken("register", "the chainId is not \(expected), this register's") }
    }
}

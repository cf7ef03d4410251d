import EmberCore
import EmberCrypto

/// Lock tag 10, plasmaBond (docs/plasma.md): created open by the register; spent by a fraud proof
/// (mode 8, open or closing), by the close beside the operator output (mode 9, open) and by the release
/// (mode 12, closing). A frozen bond is a zero-amount commitment, never spent.
public struct PlasmaBondRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.plasmaBond }

    /// Blocks a closing bond stays slashable: the window maximum.
    static let releaseDelay: UInt64 = 100_000

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var checks = PlasmaChecks(context)
        guard case .plasmaBond(let bond) = context.spent.output.lock else { throw checks.broken("lock", "not a plasmaBond") }
        let items = context.witness.items
        switch CovenantUnlock.PlasmaMode(rawValue: context.unlock.mode) {
        case .fraudProof:
            guard bond.state != .frozen else { throw checks.broken("fraudProof", "the bond is already frozen") }
            let recipient = context.unlock.recipient ?? .zero
            try PlasmaFraudProof(items: items, bond: bond, checks: checks).verify(checks: &checks)
            let half = Amount(units: context.spent.output.amount.units / 2)
            return CovenantSpend(
                pinned: [
                    PinnedOutput(amount: .zero, lock: .plasmaBond(PlasmaBondLock(chainId: bond.chainId, exitWindow: bond.exitWindow, state: .frozen))),
                    PinnedOutput(amount: half, lock: .pubKeyHash(recipient)),
                ],
                burnt: Amount(units: context.spent.output.amount.units - half.units), usedReads: checks.usedReads)
        case .close:
            return try close(bond, context: context, checks: checks, items: items)
        case .releaseBond:
            return try release(bond, context: context, checks: checks, items: items)
        default:
            throw checks.broken("mode", "a bond is spent by fraudProof (8), close (9) or releaseBond (12), found mode \(context.unlock.mode)")
        }
    }

    /// The bond side of the close: it stays, closing, so a fraud found later still costs the operator.
    private func close(
        _ bond: PlasmaBondLock, context: SpendContext, checks: PlasmaChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        try checks.requireItemCount(items, [0], mode: "close")
        guard bond.state == .open else { throw checks.broken("close", "the bond is \(bond.state), not open") }
        let operatorInputs = context.spentByInputs.indices.filter { index in
            if case .plasmaOperator(let lock) = context.spentByInputs[index].output.lock { return lock.chainId == bond.chainId }
            return false
        }
        guard operatorInputs.count == 1,
              context.transaction.inputs[operatorInputs[0]].unlock.covenant?.mode == CovenantUnlock.PlasmaMode.close.rawValue
        else {
            throw checks.broken("close", "the bond closes only beside its chain's operator output, spent in mode 9")
        }
        let operatorCreated = context.spentByInputs[operatorInputs[0]].height
        let heights = try checks.from(PlasmaChecks.sat(operatorCreated, 2, times: bond.exitWindow), rule: "close (no commit for 2 · exitWindow)")
        var closing = bond
        closing.state = .closing
        return CovenantSpend(pinned: [PinnedOutput(amount: context.spent.output.amount, lock: .plasmaBond(closing))], heights: heights)
    }

    /// The release of a closing bond, 100 000 blocks after the close, to the key its chainId binds.
    private func release(
        _ bond: PlasmaBondLock, context: SpendContext, checks: PlasmaChecks, items: [[UInt8]]
    ) throws(CovenantRejection) -> CovenantSpend {
        try checks.requireItemCount(items, [2], mode: "releaseBond")
        guard bond.state == .closing else { throw checks.broken("releaseBond", "the bond is \(bond.state), not closing") }
        guard (33...37).contains(items[0].count) else {
            throw checks.broken("witness", "the register's first input outpoint is 33 to 37 bytes, found \(items[0].count)")
        }
        let outpoint: OutPoint
        do {
            outpoint = try OutPoint.decode(from: items[0], limit: 37)
        } catch {
            throw checks.broken("witness", "the register's first input is not an outpoint: \(error)")
        }
        guard let operatorKey = RawPublicKey(items[1]) else {
            throw checks.broken("witness", "the operator key is 32 bytes, found \(items[1].count)")
        }
        let heights = try checks.from(PlasmaChecks.sat(context.spent.height, Self.releaseDelay), rule: "releaseBond")
        let expected = PlasmaChainId.derive(network: checks.network, firstInput: outpoint, operatorKey: operatorKey, exitWindow: bond.exitWindow)
        guard expected == bond.chainId else { throw checks.broken("releaseBond", "the outpoint and key do not make this chain's id") }
        var frozen = bond
        frozen.state = .frozen
        return CovenantSpend(
            pinned: [
                PinnedOutput(amount: .zero, lock: .plasmaBond(frozen)),
                PinnedOutput(amount: context.spent.output.amount, lock: PlasmaChecks.payTo(operatorKey)),
            ],
            heights: heights)
    }

    /// The register's bond: open, at least the operator bond minimum, beside exactly one operator output
    /// of its chain whose id this transaction makes.
    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        let checks = PlasmaChecks(
            lockTag: lockTag, height: context.height, transaction: context.transaction, reads: context.reads, params: context.params)
        let output = context.output
        guard case .plasmaBond(let bond) = output.lock else { throw checks.broken("register", "not a plasmaBond") }
        try checks.requirePlain(output, index: context.outputIndex)
        guard output.amount >= context.params.layer2.operatorBondMinimum else {
            throw checks.broken("register", "the bond \(output.amount) is below the minimum \(context.params.layer2.operatorBondMinimum)")
        }
        let (operators, bonds) = PlasmaRegister.outputs(of: bond.chainId, in: context.transaction)
        guard operators.count == 1, bonds.count == 1, case .plasmaOperator(let operatorLock) = context.transaction.outputs[operators[0]].lock else {
            throw checks.broken("register", "a register creates exactly one operator output and one bond of its chain")
        }
        try PlasmaRegister.check(operatorKey: operatorLock.operatorKey, bond: bond, chainId: bond.chainId, context: context, checks: checks)
        return CovenantCreation()
    }
}

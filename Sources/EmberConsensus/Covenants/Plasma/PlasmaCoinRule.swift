import EmberCore
import EmberCrypto

/// Lock tag 5, plasmaCoin (docs/plasma.md): created by a deposit into an open chain, or pinned again by
/// a cancel; spent only by an exit (mode 1), which anyone may submit.
public struct PlasmaCoinRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.plasmaCoin }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        var checks = PlasmaChecks(context)
        guard case .plasmaCoin(let coin) = context.spent.output.lock else { throw checks.broken("lock", "not a plasmaCoin") }
        guard context.unlock.mode == CovenantUnlock.PlasmaMode.exit.rawValue else {
            throw checks.broken("mode", "a coin is spent only by an exit (mode 1), found mode \(context.unlock.mode)")
        }
        let items = context.witness.items
        try checks.requireItemCount(items, [0, 2, 4], mode: "exit")
        let found = try checks.output(firstOutput: context.unlock.firstOutput, offset: 0, input: context.inputIndex, count: 1)
        guard case .plasmaExit(let exit) = found.lock else {
            throw checks.broken("exit", "output \(context.unlock.firstOutput) must be the exit, carrying its chosen deadline and bond")
        }
        let heights = try checks.chosen(exit.deadline, window: coin.exitWindow)
        guard exit.coin == coin else { throw checks.broken("exit", "the exit's coin fields differ from the coin's") }
        guard exit.exitBond >= checks.bondMinimum else {
            throw checks.broken("exit", "the exit bond \(exit.exitBond) is below the minimum \(checks.bondMinimum)")
        }
        let value = context.spent.output.amount
        guard let total = value.adding(exit.exitBond), total <= context.params.maxAmount else {
            throw checks.broken("exit", "the coin's value and the exit bond exceed the maximum amount")
        }
        let evidence = try PlasmaExitEvidence(items: items, coin: coin, exit: exit, checks: checks)
        let pinned = PinnedOutput(amount: total, lock: .plasmaExit(exit))
        guard found == pinned.output else {
            throw .pinnedOutputDiffers(input: context.inputIndex, output: Int(context.unlock.firstOutput), expected: pinned.output, found: found)
        }
        try evidence.verify(exit: exit, checks: &checks)
        return CovenantSpend(pinned: [pinned], heights: heights, usedReads: checks.usedReads)
    }

    /// The deposit: an open chain's bond is read, the exit window copied, the first block an existing one,
    /// and the coinId bound to this transaction's first input, this output and its amount.
    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        var checks = PlasmaChecks(
            lockTag: lockTag, height: context.height, transaction: context.transaction, reads: context.reads, params: context.params)
        let output = context.output
        guard case .plasmaCoin(let coin) = output.lock else { throw checks.broken("deposit", "not a plasmaCoin") }
        try checks.requirePlain(output, index: context.outputIndex)
        guard let firstInput = context.transaction.inputs.first?.outpoint else { throw checks.broken("deposit", "no input") }
        guard output.amount >= context.params.dust,
              let ceiling = context.params.maxAmount.subtracting(checks.bondMinimum), output.amount <= ceiling
        else {
            throw checks.broken("deposit", "a coin holds at least dust and at most the maximum amount less an exit bond, found \(output.amount)")
        }
        guard coin.firstBlock >= 1 else { throw checks.broken("deposit", "the first block is at least 1") }
        let expected = PlasmaCoinId.derive(
            chainId: coin.chainId, firstInput: firstInput, outputIndex: UInt32(context.outputIndex), amount: output.amount,
            depositorKey: coin.depositorKey)
        guard coin.coinId == expected else { throw checks.broken("deposit", "the coinId is not \(expected), this deposit's") }
        let bond = try checks.bond(chainId: coin.chainId)
        guard bond.state == .open else { throw checks.broken("deposit", "the chain's bond is \(bond.state), not open") }
        guard coin.exitWindow == bond.exitWindow else {
            throw checks.broken("deposit", "the exit window \(coin.exitWindow) is not the chain's \(bond.exitWindow)")
        }
        if coin.firstBlock >= 2 {
            // The depositor may name an older block (a longer history, its own loss), never a future one.
            _ = try checks.block(chainId: coin.chainId, number: coin.firstBlock - 1)
        }
        return CovenantCreation(usedReads: checks.usedReads)
    }
}

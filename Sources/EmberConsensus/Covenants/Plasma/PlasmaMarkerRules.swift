import EmberCore

/// Lock tag 4, plasmaBlock: a zero-amount commitment only a commit pins; never spent, readable.
public struct PlasmaBlockRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.plasmaBlock }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        throw .ruleBroken(lockTag: lockTag, rule: "spend", detail: "a child block commitment is never spent")
    }

    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .outputNotAllowed(output: context.outputIndex, lockTag: lockTag)
    }
}

/// Lock tag 14, plasmaExitClosed: the marker a closed exit leaves, holding dust, readable so the exit's
/// other challenges can be refunded; swept (mode 11) once every refund had its time.
public struct PlasmaExitClosedRule: CovenantRule {
    public var lockTag: UInt8 { Lock.Tag.plasmaExitClosed }

    public init() {}

    public func checkSpend(_ context: SpendContext) throws(CovenantRejection) -> CovenantSpend {
        let checks = PlasmaChecks(context)
        guard case .plasmaExitClosed(let marker) = context.spent.output.lock else { throw checks.broken("lock", "not a plasmaExitClosed") }
        guard context.unlock.mode == CovenantUnlock.PlasmaMode.sweep.rawValue else {
            throw checks.broken("mode", "a marker is spent only by sweep (11), found mode \(context.unlock.mode)")
        }
        try checks.requireItemCount(context.witness.items, [0], mode: "sweep")
        // A marker made late still stands for a window minimum, so a refund always has time to read it.
        let from = max(marker.sweepFrom, PlasmaChecks.sat(context.spent.height, UInt64(context.params.layer2.windowMinimum)))
        // The dust pays whoever removes the marker from the UTXO set: the only mode that pins nothing on purpose.
        return CovenantSpend(heights: try checks.from(from, rule: "sweep"))
    }

    public func checkCreation(_ context: CreationContext) throws(CovenantRejection) -> CovenantCreation {
        throw .outputNotAllowed(output: context.outputIndex, lockTag: lockTag)
    }
}

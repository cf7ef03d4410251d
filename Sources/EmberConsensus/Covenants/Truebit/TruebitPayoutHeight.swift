import EmberCore

extension TruebitSolutionLock {
    /// `deadline + 3·clock`: the height from which anyone may pay the solver (mode 9), every game having
    /// ended and a close having had one clock of grace. Nil when it overflows, which is "never".
    public var payoutHeight: UInt64? {
        let (grace, _) = UInt64(task.clock).multipliedReportingOverflow(by: 3)
        let (height, overflow) = deadline.addingReportingOverflow(grace)
        return overflow ? nil : height
    }
}

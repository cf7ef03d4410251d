import EmberConsensus

/// What a block template is built on, read in one call so the tip and its context cannot disagree.
public struct TemplateParent: Sendable {
    /// The active tip the template extends.
    public let tip: ChainTipSummary
    /// The rules' view of that tip as a parent: its header and the timestamp N blocks back.
    public let context: ParentContext
}

extension Chain {
    /// The tip and its parent context at one instant (two separate calls could straddle a new block).
    public var templateParent: TemplateParent {
        get throws(ChainError) {
            TemplateParent(tip: tip, context: try context(for: tipEntry))
        }
    }
}

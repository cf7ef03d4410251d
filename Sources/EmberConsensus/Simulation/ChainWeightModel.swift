/// What makes one branch outweigh another, and so what an attacker's private branch must pay for.
///
/// docs/polw-research.md states each model's assumptions.
public enum ChainWeightModel: String, Hashable, Sendable, CaseIterable {
    /// Plain proof of work (k = 1): weight is physical work, nothing is burnt.
    case proofOfWork = "pow"
    /// PoLW as Ember implements it (DESIGN.md §9, §11): weight is physical work; a branch's coinbases
    /// must burn, but a private branch that loses is never published, so its burns never happen.
    case polwPhysicalWeight = "polw"
    /// The PoLW theory paper's variant: burnt coins count toward weight, so a branch must burn as the
    /// honest chain does to outweigh it, and those burns are spent whether the branch wins or not.
    case polwBurnWeight = "polw-burn-weighted"
}

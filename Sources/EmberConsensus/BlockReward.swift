import EmberCore

/// What a block's coinbase may pay itself, and what it must burn (DESIGN.md sections 8 and 9).
public enum BlockReward: Hashable, Sendable {
    /// Plain proof of work: the header target is at or above the PoLW threshold target.
    case pow(reward: Amount)
    /// Proof of Less Work: the reward follows the virtual hash rate of `polwTarget`, and the
    /// coinbase must burn `burnt` (which may round down to 0 just past the threshold).
    case polw(reward: Amount, burnt: Amount, polwTarget: CompactTarget)

    /// The amount output 0 may pay, before fees.
    public var reward: Amount {
        switch self {
        case .pow(let reward), .polw(let reward, _, _): reward
        }
    }

    /// The amount the coinbase must burn; 0 for plain proof of work.
    public var burnt: Amount {
        switch self {
        case .pow: .zero
        case .polw(_, let burnt, _): burnt
        }
    }
}

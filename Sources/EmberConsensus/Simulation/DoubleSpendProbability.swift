#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The chance that an attacker ever overtakes a payment buried under z blocks: Nakamoto's formula
/// from section 11 ("Calculations") of the Bitcoin whitepaper (S. Nakamoto, "Bitcoin: A Peer-to-Peer
/// Electronic Cash System", 2008).
///
/// While the honest network mines z blocks, the attacker's progress is Poisson with mean
/// λ = z·q/p; from k blocks behind it catches up with probability (q/p)^(z−k) (the gambler's ruin),
/// so P = 1 − Σ_{k=0…z} (λ^k e^(−λ) / k!) · (1 − (q/p)^(z−k)), with p = 1 − q.
public enum DoubleSpendProbability {
    /// Halvings in `attackerShare(forSuccess:depth:)`: 2^-50 of a share, below Double's noise here.
    static let halvings = 50

    /// P for an attacker holding share `attackerShare` (q) of the hash rate and a payment `depth` (z)
    /// blocks deep; 1 when q ≥ 1/2, since the attacker then catches up surely.
    public static func attackerSuccess(attackerShare q: Double, depth z: Int) -> Double {
        precondition(q >= 0 && q < 1 && z >= 0, "a share in [0, 1) and a depth of 0 or more")
        let p = 1 - q
        guard q < p else { return 1 }
        let lambda = Double(z) * (q / p)
        var sum = 1.0
        var poisson = exp(-lambda)
        for k in 0...z {
            if k > 0 { poisson *= lambda / Double(k) }
            sum -= poisson * (1 - pow(q / p, Double(z - k)))
        }
        return max(0, sum)
    }

    /// The smallest share q of the hash rate with which an attacker succeeds with probability
    /// `success` at depth `depth`: P grows with q, so the search halves [0, 1/2].
    public static func attackerShare(forSuccess success: Double, depth: Int) -> Double {
        precondition(success > 0 && success <= 1 && depth >= 0, "a probability in (0, 1] and a depth of 0 or more")
        var failing = 0.0
        var succeeding = 0.5
        for _ in 0..<halvings {
            let middle = (failing + succeeding) / 2
            if attackerSuccess(attackerShare: middle, depth: depth) >= success {
                succeeding = middle
            } else {
                failing = middle
            }
        }
        return succeeding
    }
}

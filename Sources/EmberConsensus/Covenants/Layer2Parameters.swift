import EmberCore
import EmberCrypto
import EmberVM

/// The layer-2 numbers of DESIGN.md section 15's parameter table.
///
/// They are a function of the network id alone (mainnet and testnet share one column, every devnet
/// the other), so the genesis hash, which commits to the network id, pins them without changing the
/// parameter encoding of protocol v1: chains made before v2 keep their genesis hashes.
public struct Layer2Parameters: Hashable, Sendable {
    /// Shortest dispute, exit, answer, reveal or challenge window, in blocks: covers a reorg, the
    /// delay to get a transaction in, and a grace period for a party that was offline.
    public let windowMinimum: UInt32
    /// Longest window or clock, in blocks: keeps deadline arithmetic far from 64-bit overflow and
    /// stops a covenant from freezing coins for years.
    public let windowMaximum: UInt32 = 100_000
    /// Smallest Plasma operator bond: what a fraud proof can take from a cheating operator.
    public let operatorBondMinimum: Amount
    /// Smallest exit bond, challenge bond and Truebit challenger deposit: prices griefing.
    public let bondMinimum: Amount
    /// Blocks a client waits before it treats a commitment as final.
    public let finalityDepth: UInt64
    /// Most instructions one covenant input may declare (`maxSteps`), the halting ecall included.
    public var maxStepsPerInput: UInt32 { ConsensusRun.maxSteps }
    /// One weight unit per this many declared steps: a VM run is priced before it runs.
    public let stepsPerWeightUnit: UInt64 = 64
    /// What every input that runs the VM weighs beyond its steps: a run may set up 4 096 pages (16 MiB)
    /// and a page table whatever its step count, so without this a block of tiny-budget runs over many
    /// pages would cost a node minutes (the attack in `CovenantAttackTests.pagesArePriced`). 16 units a
    /// page, the weight of 16 bytes.
    public let runWeight = 65_536
    /// Most steps a Truebit task may ask per block of its challenge window (docs/truebit.md fix S):
    /// `maxSteps ≤ challengeWindow · truebitStepsPerWindowBlock`, so every verifier can run all of it in time.
    public let truebitStepsPerWindowBlock: UInt64
    /// Blocks after its creation from which a truebitRefuted marker may be swept (docs/truebit.md fix U).
    public static let truebitMarkerSweepDelay: UInt64 = 700_000

    init(networkID: NetworkID, dust: Amount) {
        let emb = Amount(units: 1_000_000_000_000_000_000)
        switch networkID {
        case .devnet:
            windowMinimum = 2
            operatorBondMinimum = emb
            bondMinimum = Amount(units: 2 * dust.units)
            finalityDepth = 8
            truebitStepsPerWindowBlock = 1 << 24
        default:
            windowMinimum = 720
            operatorBondMinimum = Amount(units: 100 * emb.units)
            bondMinimum = Amount(units: emb.units / 10)
            finalityDepth = 20
            truebitStepsPerWindowBlock = 1 << 28
        }
    }

    /// The window bounds every layer-2 window and clock must lie within.
    public var windowRange: ClosedRange<UInt32> { windowMinimum...windowMaximum }

    /// Shortest Truebit clock for a task of `maxSteps`: the network's window minimum plus four blocks for
    /// each move a side can make (`r(maxSteps) + 1`, r = `Bisection.maxRounds`, computed in integers).
    public func truebitClockMinimum(maxSteps: UInt64) -> UInt64 {
        UInt64(windowMinimum) + 4 * (UInt64(Bisection.maxRounds(steps: maxSteps)) + 1)
    }
}

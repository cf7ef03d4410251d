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

    init(networkID: NetworkID, dust: Amount) {
        let emb = Amount(units: 1_000_000_000_000_000_000)
        switch networkID {
        case .devnet:
            windowMinimum = 2
            operatorBondMinimum = emb
            bondMinimum = Amount(units: 2 * dust.units)
            finalityDepth = 8
        default:
            windowMinimum = 720
            operatorBondMinimum = Amount(units: 100 * emb.units)
            bondMinimum = Amount(units: emb.units / 10)
            finalityDepth = 20
        }
    }

    /// The window bounds every layer-2 window and clock must lie within.
    public var windowRange: ClosedRange<UInt32> { windowMinimum...windowMaximum }

    /// Shortest Truebit clock for a task of `maxSteps`: the window minimum plus four blocks for each
    /// bisection round the game can last (`⌈log16 maxSteps⌉ + 1` rounds).
    public func truebitClockMinimum(maxSteps: UInt64) -> UInt64 {
        UInt64(windowMinimum) + 4 * (UInt64(Self.ceilingLog16(maxSteps)) + 1)
    }

    /// `⌈log16 n⌉`, with 0 for n ≤ 1.
    static func ceilingLog16(_ n: UInt64) -> Int {
        guard n > 1 else { return 0 }
        let bits = UInt64.bitWidth - (n - 1).leadingZeroBitCount
        return (bits + 3) / 4
    }
}

import BigInt
import EmberCore
import EmberCrypto

/// Every number the consensus rules of one network depend on (DESIGN.md sections 4-12).
///
/// Two nodes agree on blocks only when they agree on all of these: the genesis block commits to the
/// canonical encoding of the whole value (§12). Choices DESIGN.md leaves open are recorded in
/// `docs/consensus.md`.
public struct ConsensusParams: Hashable, Sendable {
    /// Which network these parameters define.
    public let networkID: NetworkID
    /// C, T, k, H_T and the rewards they give (§8-9).
    public let emission: EmissionSchedule
    /// T, N and the maximum target (§7).
    public let difficultyAdjustment: DifficultyAdjustment
    /// z: every valid block hash has at least this many leading zero bits.
    public let maxTargetZeros: UInt8
    /// A coinbase's output 0 unlocks this long after its block's timestamp: a miner cannot spend a
    /// reward that a short reorg may still take away.
    public let coinbaseLockupMs: UInt64
    /// The genesis timestamp; the time cap counts from it.
    public let launchTimestampMs: UInt64

    // MARK: Amounts (the same on every network)

    /// Fee per byte every transaction pays at least: prices block space so spam costs coin.
    public let minFeeRate = Amount(units: 10_000_000_000)
    /// Smallest output amount: stops outputs too small to be worth spending from bloating the UTXO set.
    public let dust = Amount(units: 1_000_000_000_000_000)
    /// Largest output amount, and largest sum of a transaction's inputs or outputs: keeps every sum of
    /// amounts far from 128-bit overflow.
    public let maxAmount = Amount(units: 1_000_000_000_000_000_000_000_000_000)

    // MARK: Size limits (the same on every network)

    /// Largest version-1 transaction, in bytes: bounds the memory and hashing one transaction can demand.
    public var maxTransactionSize: Int { Transaction.maxVersion1Size }
    /// Largest version-2 transaction, in bytes (its blobs carry programs and evidence).
    public var maxVersion2TransactionSize: Int { Transaction.maxSize }
    // Each is the decoder's limit in EmberCore, declared once there: bytes a decoder refuses can never
    // reach a rule, so the two must not differ.

    /// Largest block weight (size plus declared VM steps / 64): bounds the bandwidth, storage and VM
    /// work one block can demand. Equal to the v1 limit on block size, which weight replaces.
    public var maxBlockWeight: Int { Block.maxSize }
    /// Most transactions in a block: bounds the per-transaction work (lookups, signatures) of a block.
    public var maxTransactionsPerBlock: Int { Block.maxTransactions }
    /// Most entries in a transaction's input, output or witness list: bounds the work a decoder commits to.
    public var maxListLength: Int { Transaction.maxListLength }
    /// Largest `data` of an output, in bytes: stops outputs from serving as a general data store.
    public var maxOutputDataSize: Int { Output.maxDataSize }
    /// Largest witness item, in bytes: bounds the memory one signature or proof can take.
    public var maxWitnessItemSize: Int { Witness.maxItemSize }

    /// The layer-2 numbers of §15, fixed by the network id.
    public let layer2: Layer2Parameters
    /// The lock rules this network enforces; `CovenantRules.enshrined` on every Ember network.
    public private(set) var covenantRules = CovenantRules.enshrined

    /// Parameters for any network; the presets below are the ones Ember runs.
    public init(
        networkID: NetworkID,
        chainCount: UInt64,
        blockTimeMs: UInt64,
        maxTargetZeros: UInt8,
        polwFactor: UInt64,
        polwThresholdHashRate: BigUInt,
        coinbaseLockupMs: UInt64,
        launchTimestampMs: UInt64
    ) throws(ConsensusParamsError) {
        let timing = try BlockTiming(chainCount: chainCount, blockTimeMs: blockTimeMs)
        self.networkID = networkID
        self.emission = try EmissionSchedule(
            timing: timing, polwFactor: polwFactor, polwThresholdHashRate: polwThresholdHashRate)
        self.difficultyAdjustment = try DifficultyAdjustment(
            blockTimeMs: blockTimeMs, maxTarget: .maximum(zeros: maxTargetZeros))
        self.maxTargetZeros = maxTargetZeros
        self.coinbaseLockupMs = coinbaseLockupMs
        self.launchTimestampMs = launchTimestampMs
        self.layer2 = Layer2Parameters(networkID: networkID, dust: dust)
    }

    /// The same network with other lock rules, for tests of the covenant framework; its parameter
    /// hash, and so its genesis, differs from the network's own.
    public func withCovenantRules(_ rules: CovenantRules) -> ConsensusParams {
        var copy = self
        copy.covenantRules = rules
        return copy
    }

    /// C.
    public var chainCount: UInt64 { emission.timing.chainCount }
    /// T, in milliseconds.
    public var blockTimeMs: UInt64 { emission.timing.blockTimeMs }
    /// `maxTarget(z)`.
    public var maxTarget: CompactTarget { difficultyAdjustment.maxTarget }
    /// k.
    public var polwFactor: UInt64 { emission.polwFactor }
    /// H_T, in H/s.
    public var polwThresholdHashRate: BigUInt { emission.polwThresholdHashRate }
    /// N.
    public var difficultyWindow: UInt64 { DifficultyAdjustment.window }

    /// The reward of a block with header target `target` and timestamp `timestampMs`.
    ///
    /// Elapsed time counts from the launch timestamp; a timestamp before it, which no valid chain
    /// holds, counts as launch itself.
    public func reward(target: CompactTarget, timestampMs: UInt64) throws(TargetRejection) -> BlockReward {
        let elapsedMs = timestampMs >= launchTimestampMs ? timestampMs - launchTimestampMs : 0
        return try emission.reward(target: target, elapsedMs: elapsedMs)
    }
}

extension ConsensusParams {
    /// One chain, as on every Ember network.
    public static let emberChainCount: UInt64 = 1
    /// 64-second blocks on mainnet and testnet.
    public static let standardBlockTimeMs: UInt64 = 64_000
    /// k = 8: at equilibrium the network spends about 1/8 of plain PoW's energy.
    public static let defaultPolwFactor: UInt64 = 8
    /// H_T = 2^60 H/s (about 1 EH/s).
    public static let defaultPolwThresholdHashRate = BigUInt(1) << 60

    /// Mainnet: z = 30, 500-minute coinbase lockup, launched 2026-11-01T00:00:00Z.
    public static let mainnet = preset(
        .mainnet, blockTimeMs: standardBlockTimeMs, maxTargetZeros: 30,
        polwThresholdHashRate: defaultPolwThresholdHashRate,
        coinbaseLockupMs: 500 * 60_000, launchTimestampMs: 1_793_491_200_000)

    /// Testnet: z = 20, 10-minute coinbase lockup, launched 2026-10-01T00:00:00Z.
    public static let testnet = preset(
        .testnet, blockTimeMs: standardBlockTimeMs, maxTargetZeros: 20,
        polwThresholdHashRate: defaultPolwThresholdHashRate,
        coinbaseLockupMs: 10 * 60_000, launchTimestampMs: 1_790_812_800_000)

    /// Devnet defaults: 4-second blocks, z = 10, H_T = 2^60, a 1-minute lockup, launched
    /// 2026-09-01T00:00:00Z. Each setting is part of the devnet's identity.
    public static func devnet(
        blockTimeMs: UInt64 = 4_000,
        maxTargetZeros: UInt8 = 10,
        polwThresholdHashRate: BigUInt = defaultPolwThresholdHashRate,
        coinbaseLockupMs: UInt64 = 60_000,
        launchTimestampMs: UInt64 = 1_788_220_800_000
    ) throws(ConsensusParamsError) -> ConsensusParams {
        try ConsensusParams(
            networkID: .devnet, chainCount: emberChainCount, blockTimeMs: blockTimeMs,
            maxTargetZeros: maxTargetZeros, polwFactor: defaultPolwFactor,
            polwThresholdHashRate: polwThresholdHashRate, coinbaseLockupMs: coinbaseLockupMs,
            launchTimestampMs: launchTimestampMs)
    }

    /// A fixed network's parameters; the tests check that every preset builds.
    private static func preset(
        _ networkID: NetworkID, blockTimeMs: UInt64, maxTargetZeros: UInt8,
        polwThresholdHashRate: BigUInt, coinbaseLockupMs: UInt64, launchTimestampMs: UInt64
    ) -> ConsensusParams {
        do {
            return try ConsensusParams(
                networkID: networkID, chainCount: emberChainCount, blockTimeMs: blockTimeMs,
                maxTargetZeros: maxTargetZeros, polwFactor: defaultPolwFactor,
                polwThresholdHashRate: polwThresholdHashRate, coinbaseLockupMs: coinbaseLockupMs,
                launchTimestampMs: launchTimestampMs)
        } catch {
            preconditionFailure("the \(networkID) preset is invalid: \(error)")
        }
    }
}

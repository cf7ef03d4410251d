import BigInt
import EmberConsensus
import EmberCore
import EmberCrypto
import Testing

@Suite("Consensus parameters (DESIGN.md sections 4-12)")
struct ConsensusParamsTests {
    @Test func presetsMatchTheDesign() throws {
        let networks: [(ConsensusParams, NetworkID, UInt8, UInt64)] = [
            (.mainnet, .mainnet, 30, 500 * 60_000), (.testnet, .testnet, 20, 10 * 60_000),
            (try .devnet(), .devnet, 10, 60_000),
        ]
        for (params, networkID, zeros, lockupMs) in networks {
            #expect(params.networkID == networkID)
            #expect(params.chainCount == 1)
            #expect(params.maxTargetZeros == zeros)
            #expect(params.maxTarget == CompactTarget.maximum(zeros: zeros))
            #expect(params.coinbaseLockupMs == lockupMs)
            #expect(params.polwFactor == 8)
            #expect(params.polwThresholdHashRate == BigUInt(1) << 60)
            #expect(params.difficultyWindow == 17)
            #expect(params.minFeeRate == Amount(units: 10_000_000_000))
            #expect(params.dust == Amount(units: 1_000_000_000_000_000))
            #expect(params.maxAmount == Amount(coins: 1_000_000_000))
            #expect(params.maxTransactionSize == 100_000)
            #expect(params.maxBlockWeight == 4_194_304)
            #expect(params.maxTransactionsPerBlock == 20_000)
            #expect(params.maxListLength == 1_024)
            #expect(params.maxOutputDataSize == 256)
            #expect(params.maxWitnessItemSize == 65_536)
        }
        #expect(ConsensusParams.mainnet.blockTimeMs == 64_000)
        #expect(ConsensusParams.testnet.blockTimeMs == 64_000)
        #expect(try ConsensusParams.devnet().blockTimeMs == 4_000)
    }

    @Test func launchTimestampsAreTheDocumentedConstants() throws {
        #expect(ConsensusParams.mainnet.launchTimestampMs == 1_793_491_200_000)  // 2026-11-01T00:00:00Z
        #expect(ConsensusParams.testnet.launchTimestampMs == 1_790_812_800_000)  // 2026-10-01T00:00:00Z
        #expect(try ConsensusParams.devnet().launchTimestampMs == 1_788_220_800_000)  // 2026-09-01T00:00:00Z
    }

    @Test func devnetSettingsAreCustomisable() throws {
        let params = try ConsensusParams.devnet(
            blockTimeMs: 250, maxTargetZeros: 4, polwThresholdHashRate: 1 << 20, coinbaseLockupMs: 0,
            launchTimestampMs: 5)
        #expect(params.blockTimeMs == 250)
        #expect(params.maxTarget == CompactTarget.maximum(zeros: 4))
        #expect(params.polwThresholdHashRate == 1 << 20)
        #expect(params.coinbaseLockupMs == 0)
        #expect(params.launchTimestampMs == 5)
        #expect(params.difficultyAdjustment.blockTimeMs == 250)
        #expect(params != (try ConsensusParams.devnet()))
    }

    @Test func devnetSettingsThatBreakARuleAreRejected() {
        #expect(throws: ConsensusParamsError.blockTimeZero) { try ConsensusParams.devnet(blockTimeMs: 0) }
        #expect(throws: ConsensusParamsError.emissionScheduleUndefined(chainCount: 1, blockTimeMs: 10)) {
            try ConsensusParams.devnet(blockTimeMs: 10)
        }
    }

    @Test func rewardCountsTimeFromLaunch() throws {
        let params = ConsensusParams.mainnet
        let target = CompactTarget(bits: 0x1b01_0000)
        let year: UInt64 = 365 * 86_400_000
        let launch = params.launchTimestampMs
        #expect(try params.reward(target: target, timestampMs: launch + year)
            == params.emission.reward(target: target, elapsedMs: year))
        #expect(try params.reward(target: target, timestampMs: 0)
            == params.emission.reward(target: target, elapsedMs: 0))
        #expect(try params.reward(target: target, timestampMs: .max)
            == params.emission.reward(target: target, elapsedMs: .max - launch))
    }
}

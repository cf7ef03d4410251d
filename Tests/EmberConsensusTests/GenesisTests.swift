import EmberConsensus
import EmberCore
import EmberCrypto
import Testing

@Suite("Genesis and the parameters it commits to")
struct GenesisTests {
    @Test("genesis follows DESIGN.md section 12 on every network")
    func genesisShape() throws {
        for params in [ConsensusParams.mainnet, .testnet, try .devnet()] {
            let genesis = params.genesisBlock
            #expect(genesis.header.height == 0)
            #expect(genesis.header.parent == .zero)
            #expect(genesis.header.nonce == .zero)
            #expect(genesis.header.timestamp == params.launchTimestampMs)
            #expect(genesis.header.target == params.maxTarget)
            #expect(genesis.transactions.count == 1)
            let coinbase = genesis.transactions[0]
            #expect(coinbase.inputs.isEmpty && coinbase.witnesses.isEmpty)
            #expect(coinbase.outputs[0].amount == .zero)
            #expect(coinbase.outputs[0].lock == .pubKeyHash(.zero))
            #expect(coinbase.outputs[0].data == [0] + Blake3.hash(params.encoded).bytes)
            #expect(genesis.header.txRoot == MerkleTree.root(of: [coinbase.digests.fullHash]))
        }
    }

    @Test("devnet genesis funds the eight seed keys with 1 000 000 EMB each")
    func devnetSeedAccounts() throws {
        let genesis = try ConsensusParams.devnet().genesisBlock
        let outputs = genesis.transactions[0].outputs
        #expect(outputs.count == 9)
        for index in 0..<8 {
            let seed = Blake3.hash(Array("ember/devnet/seed".utf8) + [0, 0, 0, UInt8(index)])
            let key = SigningKey(seed: seed)
            #expect(outputs[index + 1].lock == .pubKeyHash(Blake3.hash(key.publicKey.bytes)))
            #expect(outputs[index + 1].amount == Amount(coins: 1_000_000))
            #expect(outputs[index + 1].lockTime == 0)
        }
        #expect(ConsensusParams.mainnet.genesisBlock.transactions[0].outputs.count == 1)
    }

    @Test("any change of a consensus parameter changes the genesis hash")
    func parametersChangeGenesis() throws {
        let variants = [
            try ConsensusParams.devnet(),
            try ConsensusParams.devnet(blockTimeMs: 250),
            try ConsensusParams.devnet(maxTargetZeros: 11),
            try ConsensusParams.devnet(polwThresholdHashRate: 1 << 20),
            try ConsensusParams.devnet(coinbaseLockupMs: 60_001),
            try ConsensusParams.devnet(launchTimestampMs: 1),
            ConsensusParams.mainnet,
            ConsensusParams.testnet,
        ]
        let hashes = Set(variants.map(\.genesisBlock.hash))
        #expect(hashes.count == variants.count)
        #expect(Set(variants.map(\.parametersHash)).count == variants.count)
        // And equal parameters give equal genesis blocks.
        #expect(try ConsensusParams.devnet(blockTimeMs: 250).genesisBlock == ConsensusParams.devnet(blockTimeMs: 250).genesisBlock)
    }
}

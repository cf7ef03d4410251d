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

    /// No shared vector holds a genesis hash, so these were computed apart from this code base by
    /// docs/genesis-hashes.py: its own BLAKE3 (checked against ../shared/vectors), the encodings of
    /// DESIGN.md sections 2-6 and 12 and the parameter table of docs/consensus.md.
    @Test("the mainnet and testnet genesis hashes and parameter hashes are pinned", arguments: [
        (ConsensusParams.mainnet, "cd4f7188b808cab43a97355d100d16e71c445592daaf022342af559b68ce2607",
         "e17e83262c8c7283b84b041486aa3f0938747fe8828c6c290a9117c812727c4d"),
        (ConsensusParams.testnet, "a80fbf174566f224c822e2ea0748549070c45cf8671dcc0e1946734c0ab8756b",
         "6afdb79ac405402b1ffede1c4ac4de33a1303fb1ba432ad65e54b7ab16a77af5"),
    ])
    func pinnedGenesis(params: ConsensusParams, genesisHash: String, parametersHash: String) throws {
        #expect(params.genesisBlock.hash == (try #require(Hash32(hex: genesisHash))))
        #expect(params.parametersHash == (try #require(Hash32(hex: parametersHash))))
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

import EmberCore
import EmberCrypto

/// The first block of each network (DESIGN.md section 12), derived from its parameters.
extension ConsensusParams {
    /// Each devnet seed account holds this many EMB at genesis, so examples and tests can spend at once.
    public static let devnetSeedAccountCoins: UInt128 = 1_000_000
    /// How many devnet seed accounts genesis funds.
    public static let devnetSeedAccountCount: UInt32 = 8

    /// The genesis block: height 0, zero parent, the launch timestamp, the maximum target, a zero
    /// nonce (its work is never checked), and one coinbase committing to these parameters.
    public var genesisBlock: Block {
        var outputs = [
            Output(
                amount: .zero, lock: .pubKeyHash(.zero), lockTime: 0,
                data: Varint.encoded(0) + parametersHash.bytes)
        ]
        if networkID == .devnet {
            let amount = Amount(units: Self.devnetSeedAccountCoins * Amount.unitsPerCoin)
            for index in 0..<Self.devnetSeedAccountCount {
                let key = SigningKey.devnet(index: index)
                outputs.append(Output(amount: amount, lock: .pubKeyHash(key.publicKey.publicKeyHash)))
            }
        }
        let coinbase = Transaction(inputs: [], outputs: outputs, witnesses: [])
        let header = BlockHeader(
            nonce: .zero, height: 0, parent: .zero, txRoot: MerkleTree.root(of: [coinbase.digests.fullHash]),
            timestamp: launchTimestampMs, target: maxTarget)
        return Block(header: header, transactions: [coinbase])
    }
}

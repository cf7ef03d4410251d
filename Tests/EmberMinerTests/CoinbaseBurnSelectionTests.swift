import EmberConsensus
import EmberCore
import EmberCrypto
import EmberMiner
import EmberTestSupport
import Testing

/// Under PoLW the coinbase burns the miner key's coins; a key holding many small outputs must neither
/// get a coinbase above the transaction size limit nor miss its large outputs.
@Suite("Coinbase burn selection")
struct CoinbaseBurnSelectionTests {
    /// The key whose coins the templates below burn (no genesis coins); devnet 0 mines the setup block.
    static let burner = SigningKey.devnet(index: 9)

    /// A PoLW chain whose second block pays `burner` `count` outputs, each 1/`parts` of the burn the
    /// next block needs, from devnet account 1's genesis coins.
    static func chain(pieces count: Int, eachOneIn parts: UInt128) throws -> (ChainBuilder, burn: Amount) {
        // 64-second blocks at z = 8 (256 hashes a block): a burn of about 25 EMB, so 1/900 of it is above dust.
        let params = try ConsensusParams.devnet(
            blockTimeMs: 64_000, maxTargetZeros: 8, polwThresholdHashRate: 1, coinbaseLockupMs: 10_000)
        var builder = ChainBuilder(params: params)
        let burn = try nextBurn(builder)
        let piece = Amount(units: burn.units / parts + 1)
        let lock = Lock.pubKeyHash(burner.publicKey.publicKeyHash)
        let funding = builder.utxos.unspentOutput(at: builder.seedOutPoint(1))!.output.amount
        let spent = Amount(units: piece.units * UInt128(count) + 10_000_000_000_000_000)
        let split = builder.spend(
            [(builder.seedOutPoint(1), .devnet(index: 1))],
            to: Array(repeating: Output(amount: piece, lock: lock), count: count)
                + [Output(amount: funding.subtracting(spent)!, lock: .pubKeyHash(SigningKey.devnet(index: 1).publicKey.publicKeyHash))])
        try builder.append(builder.makeBlock([split]))
        return (builder, try nextBurn(builder))
    }

    static func nextBurn(_ builder: ChainBuilder) throws -> Amount {
        let timestamp = builder.tip.header.timestamp + builder.params.blockTimeMs
        return try builder.params.reward(target: builder.tip.header.target, timestampMs: timestamp).burnt
    }

    @Test("a burn paid by 600 small outputs stays within the transaction size limit and the block is valid")
    func manySmallInputsFit() throws {
        var (builder, burn) = try Self.chain(pieces: 1_000, eachOneIn: 600)
        let template = try builder.template(key: Self.burner)
        #expect(template.coinbase.inputs.count >= 600)
        #expect(template.coinbase.encoded.count <= Transaction.maxVersion1Size)
        let effects = try builder.append(ChainBuilder.mined(template.block(nonce: .zero)))
        #expect(effects.burnt == burn)
    }

    @Test("a burn that needs more inputs than one transaction holds is refused with advice, not built oversized")
    func tooManySmallInputs() throws {
        let (builder, burn) = try Self.chain(pieces: 1_000, eachOneIn: 900)
        let error = try #require(throws: TemplateError.self) { try builder.template(key: Self.burner) }
        guard case .coinbase(.burnNeedsTooManyInputs(let needed, let limit, let available)) = error else {
            Issue.record("expected burnNeedsTooManyInputs, got \(error)")
            return
        }
        #expect(needed == burn)
        // 100 000 bytes hold fewer than 900 inputs of about 135 bytes (outpoint, key, signature).
        #expect(limit > 600 && limit < 900)
        #expect(available < burn)
        #expect(error.description.contains("consolidate"))
    }

    @Test("the burn takes the key's largest output wherever it sits among many small ones")
    func largestOutputFound() throws {
        var (builder, _) = try Self.chain(pieces: 1_000, eachOneIn: 900)
        // A large output to the same key, created after (and so listed after) the thousand small ones.
        let big = builder.payment(
            from: builder.seedOutPoint(3), key: .devnet(index: 3), amount: Amount(coins: 1_000)!,
            fee: Amount(units: 10_000_000_000_000_000), to: .pubKeyHash(Self.burner.publicKey.publicKeyHash))
        try builder.append(builder.makeBlock([big]))
        let template = try builder.template(key: Self.burner)
        #expect(template.coinbase.inputs.map(\.outpoint) == [OutPoint(txid: big.txid, index: 0)])
        try builder.append(ChainBuilder.mined(template.block(nonce: .zero)))
    }
}

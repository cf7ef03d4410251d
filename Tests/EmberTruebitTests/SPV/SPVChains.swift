import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberTruebit

/// Chains the SPV tests check, mined through the real consensus rules by `ChainBuilder`.
enum SPVChains {
    /// The fast devnet's maximum target, maxTarget(1) = 2^255 − 1 in compact form: size 32, mantissa
    /// 0x7fffff. Its weight is ⌊2^256 / (0x7fffff · 2^232)⌋ = ⌊2^24 / 0x7fffff⌋ = 2.
    static let fastMaximumTarget = CompactTarget(bits: 0x207f_ffff)
    static let fastTargetWeight: UInt64 = 2

    /// A fast devnet chain of `length` blocks on top of genesis (ChainBuilder's own blocks: every one
    /// passed all four validation tiers).
    static func fastChain(length: Int) -> ChainBuilder {
        var chain = ChainBuilder()
        // Empty blocks on the fast parameters always pass; a failure is a broken test set-up.
        try! chain.extend(by: length)
        return chain
    }

    /// The longest chain one input holds (2 404 headers), long enough for the Truebit end-to-end run of
    /// about 10^7 steps; built once per test run.
    static let long = fastChain(length: SPVTaskInput.maxHeaders)

    /// The headers of `chain` above genesis.
    static func headers(of chain: ChainBuilder) -> [BlockHeader] {
        chain.blocks.dropFirst().map(\.header)
    }

    /// `header` with a nonce that meets its own target again after an edit.
    static func remined(_ header: BlockHeader) -> BlockHeader {
        ChainBuilder.mined(Block(header: header, transactions: [])).header
    }

    /// The input bytes of `headers` under the fast maximum target.
    static func input(_ headers: [BlockHeader], maximumTarget: CompactTarget = fastMaximumTarget) throws -> [UInt8] {
        try SPVTaskInput(headers: headers, maximumTarget: maximumTarget).encoded
    }
}

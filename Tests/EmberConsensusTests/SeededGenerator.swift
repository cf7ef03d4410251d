import BigInt

/// SplitMix64: a small deterministic generator, so every property test replays the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }

    /// A value of exactly `bitWidth` bits (0 for a width of 0), uniform below the top bit.
    mutating func bigUInt(bitWidth: Int) -> BigUInt {
        guard bitWidth > 0 else { return 0 }
        var value = BigUInt(0)
        for _ in 0..<(bitWidth + 63) / 64 { value = value << 64 | BigUInt(next()) }
        let topBit = BigUInt(1) << (bitWidth - 1)
        return value % topBit | topBit
    }
}

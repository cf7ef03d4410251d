import BigInt
import EmberTestSupport

extension SeededGenerator {

    /// A value of exactly `bitWidth` bits (0 for a width of 0), uniform below the top bit.
    mutating func bigUInt(bitWidth: Int) -> BigUInt {
        guard bitWidth > 0 else { return 0 }
        var value = BigUInt(0)
        for _ in 0..<(bitWidth + 63) / 64 { value = value << 64 | BigUInt(next()) }
        let topBit = BigUInt(1) << (bitWidth - 1)
        return value % topBit | topBit
    }
}

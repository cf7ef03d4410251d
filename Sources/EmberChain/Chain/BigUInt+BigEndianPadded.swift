import BigInt

extension BigUInt {
    /// The value as exactly `count` big-endian bytes (the value must fit).
    func bigEndianPadded(to count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var remaining = self
        var index = count - 1
        while remaining > 0 && index >= 0 {
            bytes[index] = UInt8(truncatingIfNeeded: remaining & 0xff)
            remaining >>= 8
            index -= 1
        }
        return bytes
    }
}

import BigInt
import EmberCore

extension CompactTarget {
    /// The largest size byte: 32 bytes are the width of the block hash a target is compared with.
    public static let maxSize: UInt8 = 32

    /// Byte 0: how many bytes the value has.
    public var size: UInt8 { UInt8(truncatingIfNeeded: bits >> 24) }

    /// Bytes 1-3: the value's top three bytes, big-endian.
    public var mantissa: UInt32 { bits & 0x00ff_ffff }

    /// The value these bits stand for, decoded as written even when the bits are not canonical.
    ///
    /// `m >> 8(3 − s)` for a size `s` ≤ 3, else `m << 8(s − 3)`; a size above 32 decodes to a value of
    /// 2^256 or more, which `checkedValue` rejects.
    public var value: BigUInt {
        let mantissa = BigUInt(mantissa)
        let size = Int(size)
        return size <= 3 ? mantissa >> (8 * (3 - size)) : mantissa << (8 * (size - 3))
    }

    /// The canonical compact form of `value`: its byte count and its top three bytes, truncated.
    ///
    /// Returns nil for a value of 2^256 or more, which needs a size byte above 32.
    public init?(rounding value: BigUInt) {
        guard value.bitWidth <= 8 * Int(Self.maxSize) else { return nil }
        self.init(roundingBelow2To256: value)
    }

    /// The canonical form of a value the caller has already bounded below 2^256.
    init(roundingBelow2To256 value: BigUInt) {
        precondition(value.bitWidth <= 8 * Int(Self.maxSize), "a target value must be below 2^256")
        let size = (value.bitWidth + 7) / 8
        let mantissa = size <= 3 ? value << (8 * (3 - size)) : value >> (8 * (size - 3))
        self.init(bits: UInt32(size) << 24 | UInt32(mantissa))
    }

    /// `maxTarget(z) = 2^(256 − z) − 1`, rounded through the compact form.
    ///
    /// - Parameter zeros: z, the leading zero bits every valid block hash has at least.
    public static func maximum(zeros: UInt8) -> CompactTarget {
        CompactTarget(roundingBelow2To256: (BigUInt(1) << (256 - Int(zeros))) - 1)
    }

    /// The target value after the header checks of DESIGN.md section 6: size at most 32, canonical,
    /// non-zero and, when `maximum` is given, not above it.
    public func checkedValue(maximum: CompactTarget? = nil) throws(TargetRejection) -> BigUInt {
        guard size <= Self.maxSize else {
            throw .sizeTooLarge(maximum: Self.maxSize, found: size)
        }
        let value = value
        let canonical = CompactTarget(roundingBelow2To256: value)
        guard canonical == self else { throw .nonCanonical(expected: canonical, found: self) }
        guard value > 0 else { throw .zero(found: self) }
        if let maximum, value > maximum.value {
            throw .aboveMaximum(maximum: maximum, found: self)
        }
        return value
    }
}

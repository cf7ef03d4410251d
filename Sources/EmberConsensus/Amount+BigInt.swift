import BigInt
import EmberCore

extension Amount {
    /// The amount of `units`, or nil when it does not fit in 128 bits.
    init?(exactly units: BigUInt) {
        guard let units = UInt128(exactly: units) else { return nil }
        self.init(units: units)
    }

    /// The amount of `units` for a value the caller has bounded by another amount.
    init(boundedUnits units: BigUInt) {
        guard let amount = Amount(exactly: units) else {
            preconditionFailure("an amount bounded by another amount fits in 128 bits")
        }
        self = amount
    }

    /// The units as an arbitrary-precision integer, for the exact arithmetic of DESIGN.md sections 6-10.
    var bigUnits: BigUInt { BigUInt(units) }
}

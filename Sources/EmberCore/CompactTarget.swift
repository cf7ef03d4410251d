/// A proof-of-work target in its 4-byte compact form as it travels in a header (DESIGN.md section 6).
///
/// This is only the encoding; decoding it to a 256-bit value and every rule about it live in
/// EmberConsensus.
public struct CompactTarget: Hashable, Sendable, CustomStringConvertible {
    public var bits: UInt32

    public init(bits: UInt32) { self.bits = bits }

    /// Eight lowercase hex digits, as the research commands print it.
    public var description: String {
        let hex = String(bits, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

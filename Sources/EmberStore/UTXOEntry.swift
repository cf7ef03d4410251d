import EmberCore

/// An unspent output with what validation needs to know of its origin.
public struct UTXOEntry: Hashable, Sendable {
    /// The output itself.
    public var output: Output
    /// The height of the block whose transaction created it.
    public var height: UInt64
    /// Whether a coinbase created it.
    public var isCoinbase: Bool

    public init(output: Output, height: UInt64, isCoinbase: Bool) {
        self.output = output
        self.height = height
        self.isCoinbase = isCoinbase
    }
}

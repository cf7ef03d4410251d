/// An output not yet spent, with what the rules need to know about where it came from.
public struct UnspentOutput: Hashable, Sendable {
    /// The output itself.
    public var output: Output
    /// The height of the block that created it.
    public var height: UInt64
    /// Whether a coinbase created it.
    public var isCoinbase: Bool

    public init(output: Output, height: UInt64, isCoinbase: Bool) {
        self.output = output
        self.height = height
        self.isCoinbase = isCoinbase
    }
}

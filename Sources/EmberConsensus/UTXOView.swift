import EmberCore

/// The unspent outputs a block or transaction is checked against (DESIGN.md section 11, tier 4).
///
/// Synchronous on purpose: the caller fetches what a block needs first (one batched read from the
/// store), so the rules stay pure and never wait on a disk.
public protocol UTXOView {
    /// The unspent output at `outpoint`, or nil if it does not exist or is spent.
    func unspentOutput(at outpoint: OutPoint) -> UnspentOutput?
}

/// A view held in memory: prefetched outputs for a block, or a whole set in tests.
public struct InMemoryUTXOView: UTXOView, Sendable {
    public var outputs: [OutPoint: UnspentOutput]

    public init(_ outputs: [OutPoint: UnspentOutput] = [:]) { self.outputs = outputs }

    public func unspentOutput(at outpoint: OutPoint) -> UnspentOutput? { outputs[outpoint] }
}

import EmberCrypto

/// Merkle paths into the machine's current memory, for proofs made off chain about a whole region (a
/// Truebit reveal's output proof, docs/truebit.md) rather than about one step (`Prover.proof(ofStep:)`).
extension Machine {
    /// The 32 raw bytes of memory leaf `index` (bytes `32·index ..< 32·index + 32`).
    public func memoryLeaf(_ index: UInt32) -> [UInt8] {
        memory.leafBytes(index)
    }

    /// The 27 siblings of leaf `index`, lowest level first, in the memory tree whose root is `state.memoryRoot`.
    public func memorySiblings(ofLeaf index: UInt32) -> [Hash32] {
        // Siblings are read from the hashed tree, so bring it up to date with the latest writes first.
        _ = memory.updatedRoot()
        return memory.siblings(ofLeaf: index).map(\.hash32)
    }
}

/// A deliberate error in a run, for tests and demos only: a cheating Truebit solver whose register x`register`
/// is XORed with `mask` once the run has executed `afterStep + 1` instructions.
///
/// The state hashes at indices 0 … `afterStep` are the honest ones; from index `afterStep + 1` on they carry
/// the corrupted register (as long as the program does not overwrite it). Nothing in consensus or in an honest
/// run ever uses it; a `Prover` built with one answers for the faulty run, checkpoints included.
public struct RegisterFault: Hashable, Sendable, CustomStringConvertible {
    /// The last index whose state is honest.
    public var afterStep: UInt64
    /// x1 … x31 (x0 is always zero and cannot be corrupted).
    public var register: Int
    /// XORed into the register; must not be 0, which would change nothing.
    public var mask: UInt32

    public init?(afterStep: UInt64, register: Int, mask: UInt32) {
        guard (1..<32).contains(register), mask != 0, afterStep < .max else { return nil }
        self.afterStep = afterStep
        self.register = register
        self.mask = mask
    }

    /// The first index whose state is corrupted.
    public var firstWrongIndex: UInt64 { afterStep + 1 }

    public var description: String {
        "x\(register) XOR 0x\(hex32(mask)) from index \(firstWrongIndex)"
    }
}

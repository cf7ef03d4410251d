import EmberVM

extension Samples {
    /// The VM tests' prebuilt C programs and two assembled ones (text only, and text with data).
    public static var elfFiles: [[UInt8]] {
        let built = ["sha256", "sieve", "sort"].compactMap { repositoryFile("Tests/EmberVMTests/Programs/\($0).elf") }
        let sources = [
            "_start:\n li a0, 0\n li a7, 93\n ecall\n",
            "_start:\n la t0, value\n lw a0, 0(t0)\n li a7, 93\n ecall\n.data\nvalue:\n .word 7\n",
        ]
        return built + sources.compactMap { try? Assembler.assemble($0).elf() }
    }
}

extension Samples {
    /// Proofs of a few steps of a small program that loads, stores and halts, in their binary form.
    public static var stepProofs: [StepProof] {
        let source = "_start:\n la t0, value\n lw a0, 0(t0)\n sw a0, 4(t0)\n li a7, 93\n ecall\n.data\nvalue:\n .word 7\n .word 0\n"
        guard let program = try? Assembler.assemble(source).program else { return [] }
        return (0..<7).compactMap { try? prove(program: program, input: [9], step: UInt64($0)) }
    }
}

import EmberChannels
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Foundation
import Testing

/// The tic-tac-toe app program.
@Suite struct TicTacToeTests {
    /// The program's hash, pinned: channels name their app by it, so changing the program is deliberate.
    static let pinnedAppHash = "84a160c1a9524af5d27224b81dcda469e46cee6545bf9272d34617013b5399dd"

    @Test("the program assembles into an ELF the consensus loader accepts, named by its pinned hash")
    func programLoads() throws {
        let program = try ConsensusProgram(elf: TicTacToeProgram.elf)
        #expect(program == TicTacToeProgram.program)
        #expect(TicTacToeProgram.elf == (try Assembler.assemble(TicTacToeProgram.source).elf()))
        #expect(TicTacToeProgram.appHash == Blake3.hash(TicTacToeProgram.elf))
        #expect(TicTacToeProgram.appHash.hex == Self.pinnedAppHash)
    }

    @Test("ember vm asm makes the same ELF from the written source")
    func commandLineAssemblesTheSameELF() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ember-tictactoe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("tictactoe.s")
        let elf = folder.appendingPathComponent("tictactoe.elf")
        try TicTacToeProgram.writeSource(to: source)
        let result = try EmberBinary.run(["vm", "asm", source.path, "-o", elf.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect([UInt8](try Data(contentsOf: elf)) == TicTacToeProgram.elf)
    }
}

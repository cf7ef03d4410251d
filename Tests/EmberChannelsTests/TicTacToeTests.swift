import EmberChannels
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Foundation
import Testing

/// The tic-tac-toe app program and its Swift helpers. Expected verdicts come from `Rules` and the tables
/// of `Moves`, written from the game's rules.
@Suite struct TicTacToeTests {
    /// The program's hash, pinned: channels name their app by it, so changing the program is deliberate.
    static let pinnedAppHash = "84a160c1a9524af5d27224b81dcda469e46cee6545bf9272d34617013b5399dd"
    /// What the program says of `input`, run as `TicTacToe.checkMove` runs it.
    static func verdict(_ input: [UInt8]) -> TicTacToe.IllegalMove? {
        do {
            try TicTacToe.checkMove(input: input)
            return nil
        } catch {
            return error
        }
    }

    /// Checks that `openingState` and `nextState` build `game` when the players mark `cells` in turn.
    static func expectHelpersBuild(_ game: [ChannelState], cells: [Int]) throws {
        var state = TicTacToe.openingState(
            channelId: Rules.channelId, payoutA: Rules.payoutA, payoutB: Rules.payoutB, stake: Rules.stake)
        #expect(state == game[0])
        for (cell, expected) in zip(cells, game.dropFirst()) {
            state = try #require(TicTacToe.nextState(after: state, placingAt: cell, stake: Rules.stake))
            #expect(state == expected)
        }
    }

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

    @Test("a whole game won by A: every move is accepted and A takes both stakes")
    func gameWonByA() throws {
        for move in Moves.moves(of: Moves.wonByA, named: "won by A") {
            #expect(Self.verdict(move.input) == nil, "\(move.name)")
        }
        #expect(Moves.wonByA.last?.balances == [Rules.pay(Rules.total, to: Rules.payoutA)])
        try Self.expectHelpersBuild(Moves.wonByA, cells: [0, 3, 1, 4, 2])
        try TicTacToe.checkMove(params: Rules.params, deadline: Rules.deadline, old: Moves.wonByA[4], new: Moves.wonByA[5])
    }

    @Test("a drawn game: every move is accepted and the last one pays each player its stake")
    func drawnGame() throws {
        for move in Moves.moves(of: Moves.drawn, named: "drawn") {
            #expect(Self.verdict(move.input) == nil, "\(move.name)")
        }
        #expect(Moves.drawn.last?.balances == Rules.split)
        try Self.expectHelpersBuild(Moves.drawn, cells: [0, 1, 2, 4, 3, 5, 7, 6, 8])
        try TicTacToe.checkMove(params: Rules.params, deadline: Rules.deadline, old: Moves.drawn[8], new: Moves.drawn[9])
    }

    @Test("a game won by B, and A's line filling the board, are accepted")
    func otherEndings() throws {
        try Self.expectHelpersBuild(Moves.wonByB, cells: [0, 4, 1, 2, 8, 6])
        let (old, new) = Moves.wonByAWithTheLastCell
        #expect(new.balances == [Rules.pay(Rules.total, to: Rules.payoutA)])
        #expect(TicTacToe.nextState(after: old, placingAt: 1, stake: Rules.stake) == new)
        try TicTacToe.checkMove(params: Rules.params, deadline: Rules.deadline, old: old, new: new)
    }

    @Test("a legal move is accepted", arguments: Moves.legal)
    func legalMove(_ move: Move) {
        #expect(Self.verdict(move.input) == nil)
    }

    @Test("an illegal move is refused for the rule it breaks", arguments: Moves.illegal)
    func illegalMove(_ move: Move) {
        #expect(Self.verdict(move.input) == move.expected)
    }

    @Test("a channel whose app is not tic-tac-toe is refused before running anything")
    func otherApp() {
        var params = Rules.params
        params.app = Hash32.zero
        #expect(throws: TicTacToe.IllegalMove.notATicTacToeChannel(app: .zero)) {
            try TicTacToe.checkMove(params: params, deadline: Rules.deadline, old: Moves.wonByA[0], new: Moves.wonByA[1])
        }
    }

    @Test("random games to the end: every move is accepted, and the helpers build the states the rules give")
    func randomGames() throws {
        var generator = SeededGenerator(seed: 15)
        for _ in 0..<40 {
            var board = [UInt8](repeating: 0, count: 9)
            var rulesState = Rules.state(0, board)
            var helperState = TicTacToe.openingState(
                channelId: Rules.channelId, payoutA: Rules.payoutA, payoutB: Rules.payoutB, stake: Rules.stake)
            var version: UInt64 = 0
            while !Rules.hasLine(board, of: 1), !Rules.hasLine(board, of: 2), board.contains(0) {
                version += 1
                let cell = try #require(board.indices.filter { board[$0] == 0 }.randomElement(using: &generator))
                board[cell] = Rules.mark(ofMoverAt: version)
                let next = Rules.state(version, board)
                #expect(Self.verdict(Rules.input(rulesState, next)) == nil, "\(board) at version \(version)")
                helperState = try #require(TicTacToe.nextState(after: helperState, placingAt: cell, stake: Rules.stake))
                #expect(helperState == next)
                rulesState = next
            }
        }
    }

    @Test("the Swift helpers: who moves, the board, appData")
    func helpers() throws {
        #expect(TicTacToe.mover(ofVersion: 1) == .a && TicTacToe.mover(ofVersion: 2) == .b && TicTacToe.mover(ofVersion: .max) == .a)
        let board = try #require(TicTacToe.Board(bytes: Rules.board("ABA ABB BAA")))
        #expect(board.isFull && !board.hasLine(of: .a) && !board.hasLine(of: .b))
        #expect(TicTacToe.Board(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 3]) == nil)
        #expect(TicTacToe.Board(bytes: [0, 0, 0]) == nil)
        #expect(TicTacToe.Board.empty.placing(.a, at: 9) == nil)
        #expect(board.placing(.b, at: 0) == nil)
        let appData = TicTacToe.AppData(payoutA: Rules.payoutA, payoutB: Rules.payoutB, board: board)
        #expect(appData.encoded == Rules.payoutA.bytes + Rules.payoutB.bytes + Rules.board("ABA ABB BAA"))
        #expect(TicTacToe.AppData(decoding: appData.encoded) == appData)
        #expect(TicTacToe.AppData(decoding: appData.encoded + [0]) == nil)
        #expect(TicTacToe.balances(afterMoveBy: .a, board: board, payoutA: Rules.payoutA, payoutB: Rules.payoutB, stake: Rules.stake) == Rules.split)
        #expect(TicTacToe.balances(afterMoveBy: .a, board: board, payoutA: Rules.payoutA, payoutB: Rules.payoutB, stake: Amount(units: .max)) == nil)
        #expect(TicTacToe.nextState(after: Moves.drawn[9], placingAt: 0, stake: Rules.stake) == nil)
    }
}

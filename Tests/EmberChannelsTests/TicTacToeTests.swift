import EmberChannels
import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberVM
import Foundation
import Testing

/// The tic-tac-toe app program and its Swift helpers. Expected verdicts come from `Rules` and the tables
/// of `Moves`, written from the game's rules; the last test checks that every instruction of the
/// program is needed by some verdict there.
@Suite struct TicTacToeTests {
    /// The program's hash, pinned: channels name their app by it, so changing the program is deliberate.
    static let pinnedAppHash = "84a160c1a9524af5d27224b81dcda469e46cee6545bf9272d34617013b5399dd"
    /// The longest run of the program over any input, in steps (`longestRun` shows which input).
    static let longestRun: UInt32 = 2_323

    /// What the program says of `input`, run as `TicTacToe.checkMove` runs it.
    static func verdict(_ input: [UInt8]) -> TicTacToe.IllegalMove? {
        do {
            try TicTacToe.checkMove(input: input)
            return nil
        } catch {
            return error
        }
    }

    /// What another build of the program says of `input`, in the same terms.
    static func verdict(of program: ConsensusProgram, _ input: [UInt8]) -> TicTacToe.IllegalMove? {
        let outcome = ConsensusRun.run(program: program, input: input, maxSteps: TicTacToe.maxSteps)
        switch outcome {
        case .halted(exitCode: 0, steps: _): return nil
        case .halted(let code, steps: _): return TicTacToe.IllegalMove(exitCode: code) ?? .programFailed(.nonZeroExitCode(code))
        default: return .programFailed(outcome.failure!)
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

    @Test("every prefix of a legal move's input, and the input with a byte more, halt with a refusal, never a trap")
    func truncatedInputsHalt() {
        for move in [Moves.legal.first!, Moves.legal.last!] {
            for length in 0..<move.input.count {
                let outcome = ConsensusRun.run(program: TicTacToeProgram.program, input: Array(move.input.prefix(length)), maxSteps: TicTacToe.maxSteps)
                guard case .halted(let code, let steps) = outcome, code != 0, steps <= Self.longestRun else {
                    Issue.record("\(move.name) cut to \(length) bytes: \(outcome)")
                    continue
                }
            }
            for byte in [0x00, 0x49, 0x80, 0xff] as [UInt8] {
                #expect(Self.verdict(move.input + [byte]) == .malformedInput)
            }
        }
    }

    @Test("random corruptions of legal inputs halt with a verdict within the longest run, never a trap")
    func corruptedInputsHalt() {
        var generator = SeededGenerator(seed: 6)
        for move in Moves.legal {
            for _ in 0..<60 {
                var input = move.input
                for _ in 0...Int.random(in: 0...2, using: &generator) {
                    let index = Int.random(in: 0..<input.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: input[index] = UInt8.random(in: 0...255, using: &generator)
                    case 1: input.remove(at: index)
                    default: input.insert(UInt8.random(in: 0...255, using: &generator), at: index)
                    }
                }
                let outcome = ConsensusRun.run(program: TicTacToeProgram.program, input: input, maxSteps: TicTacToe.maxSteps)
                guard case .halted(_, let steps) = outcome, steps <= Self.longestRun else {
                    Issue.record("a corruption of \(move.name): \(outcome)")
                    continue
                }
            }
        }
    }

    /// The most work the program can be made to do: both states with the longest balances it reads
    /// (19-byte amounts), and a legal move. A run that ends sooner, at any refusal before the balance
    /// count, does less; one that goes past it has at most two new balances and reads fewer bytes.
    @Test("the longest run over any input, and a maxSteps of the next power of two above four times it")
    func longestRun() {
        let eight = Array(repeating: Rules.rawOutput(amount: Moves.longestAmount, payout: Rules.payoutA), count: 8)
        var longest: UInt32 = 0
        for (old, new) in Self.allMoves() {
            let rawOld = Rules.rawState(version: old.version, count: 8, outputs: eight, appData: old.appData)
            // The outcome's balances, each with a 19-byte amount: legal.
            let outcome = new.balances.map { balance in
                guard case .pubKeyHash(let payout) = balance.lock else { preconditionFailure("a game pays to pubKeyHashes") }
                return Rules.rawOutput(amount: Moves.longestAmount, payout: payout)
            }
            let runs = [
                (Rules.rawState(version: new.version, count: 8, outputs: eight, appData: new.appData), UInt32(11)),
                (Rules.rawState(version: new.version, count: UInt8(outcome.count), outputs: outcome, appData: new.appData), UInt32(0)),
            ]
            for (rawNew, code) in runs {
                let result = ConsensusRun.run(program: TicTacToeProgram.program, input: Rules.input(old: rawOld, new: rawNew), maxSteps: TicTacToe.maxSteps)
                guard case .halted(code, let steps) = result else {
                    Issue.record("version \(new.version) \(new.appData.suffix(9)): \(result), expected exit \(code)")
                    continue
                }
                longest = max(longest, steps)
            }
        }
        #expect(longest == Self.longestRun)
        #expect(TicTacToe.maxSteps.nonzeroBitCount == 1)
        #expect(TicTacToe.maxSteps / 2 <= 4 * longest && 4 * longest < TicTacToe.maxSteps)
    }

    /// Every legal move of every game, as (old, new) states with the outcome balances.
    static func allMoves() -> [(ChannelState, ChannelState)] {
        var moves: [(ChannelState, ChannelState)] = []
        var seen: Set<[UInt8]> = []
        func play(_ board: [UInt8], version: UInt64) {
            guard seen.insert(board).inserted, !Rules.hasLine(board, of: 1), !Rules.hasLine(board, of: 2) else { return }
            let mark = Rules.mark(ofMoverAt: version + 1)
            for cell in board.indices where board[cell] == 0 {
                var next = board
                next[cell] = mark
                moves.append((Rules.state(version, board), Rules.state(version + 1, next)))
                play(next, version: version + 1)
            }
        }
        play([UInt8](repeating: 0, count: 9), version: 0)
        return moves
    }

    @Test("deleting any one instruction of the program (but a ret) changes the verdict of some move in the tables")
    func everyInstructionIsNeeded() throws {
        let lines = TicTacToeProgram.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let moves = Moves.legal + Moves.illegal
        var instructions = 0
        var survivors: [String] = []
        for (index, line) in lines.enumerated() {
            guard let mutant = Self.deletingInstruction(line) else { continue }
            instructions += 1
            var source = lines
            source[index] = mutant
            // A mutant the assembler or the loader refuses is no program at all: killed.
            guard let elf = try? Assembler.assemble(source.joined(separator: "\n")).elf(),
                let program = try? ConsensusProgram(elf: elf)
            else { continue }
            if !moves.contains(where: { Self.verdict(of: program, $0.input) != $0.expected }) {
                survivors.append("line \(index + 1): \(line)")
            }
        }
        #expect(instructions > 100)
        #expect(survivors.isEmpty, "no test notices the deletion of:\n\(survivors.joined(separator: "\n"))")
    }

    /// `line` without its instruction (its label kept), or nil when it holds no instruction or a `ret`.
    static func deletingInstruction(_ line: String) -> String? {
        var code = Substring(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
        var label = ""
        if let colon = code.firstIndex(of: ":") {
            label = String(code[...colon])
            code = code[code.index(after: colon)...]
        }
        let instruction = code.trimmingCharacters(in: .whitespaces)
        // A routine's `ret` is no rule: without it the routine runs into the next one, which may
        // change nothing a caller reads.
        guard !instruction.isEmpty, !instruction.hasPrefix("."), instruction != "ret" else { return nil }
        return label
    }
}

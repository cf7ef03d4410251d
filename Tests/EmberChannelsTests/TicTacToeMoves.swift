import EmberChannels
import EmberCore
import EmberCrypto
import Testing

/// A force-move's program input and the verdict the rules give it: nil when the move is legal.
struct Move: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let expected: TicTacToe.IllegalMove?

    init(_ name: String, _ old: ChannelState, _ new: ChannelState, _ expected: TicTacToe.IllegalMove?) {
        self.init(name, input: Rules.input(old, new), expected)
    }

    init(_ name: String, input: [UInt8], _ expected: TicTacToe.IllegalMove?) {
        self.name = name
        self.input = input
        self.expected = expected
    }

    var testDescription: String { name }
}

/// The games and moves the tests play, each with the verdict the rules give.
enum Moves {
    /// A: 0, B: 3, A: 1, B: 4, A: 2 makes the top row.
    static let wonByA = game(["... ... ...", "A.. ... ...", "A.. B.. ...", "AA. B.. ...", "AA. BB. ...", "AAA BB. ..."])
    /// B makes the diagonal 2-4-6 at version 6.
    static let wonByB = game(["... ... ...", "A.. ... ...", "A.. .B. ...", "AA. .B. ...", "AAB .B. ...", "AAB .B. ..A", "AAB .B. B.A"])
    /// Nine moves, no line.
    static let drawn = game([
        "... ... ...", "A.. ... ...", "AB. ... ...", "ABA ... ...", "ABA .B. ...", "ABA AB. ...", "ABA ABB ...",
        "ABA ABB .A.", "ABA ABB BA.", "ABA ABB BAA",
    ])
    /// A's ninth mark fills the board and makes the top row: a win, not a draw.
    static let wonByAWithTheLastCell = (Rules.state(8, Rules.board("A.A BBA ABB")), Rules.state(9, Rules.board("AAA BBA ABB")))

    static func game(_ boards: [String]) -> [ChannelState] {
        boards.enumerated().map { Rules.state(UInt64($0.offset), Rules.board($0.element)) }
    }

    static func moves(of game: [ChannelState], named name: String) -> [Move] {
        zip(game, game.dropFirst()).map { Move("\(name): version \($1.version)", $0, $1, nil) }
    }

    static var legal: [Move] {
        moves(of: wonByA, named: "won by A") + moves(of: wonByB, named: "won by B") + moves(of: drawn, named: "drawn")
            + [Move("A fills the board with a line", wonByAWithTheLastCell.0, wonByAWithTheLastCell.1, nil)]
    }

    /// A state like `state` with other balances.
    static func paying(_ state: ChannelState, _ balances: [Output]) -> ChannelState {
        var changed = state
        changed.balances = balances
        return changed
    }

    static func withAppData(_ state: ChannelState, _ appData: [UInt8]) -> ChannelState {
        var changed = state
        changed.appData = appData
        return changed
    }

    static var illegal: [Move] {
        board + afterAWin + afterBWin + outcomes + format
    }

    /// Moves that break the board's rules; every new state carries the outcome of its board.
    static var board: [Move] {
        let (state, board) = (Rules.state, Rules.board)
        let aToMove = wonByA[2]  // A.. B.. ... at version 2
        let bToMove = wonByA[1]  // A.. ... ... at version 1
        return [
            Move("A moves into B's cell", aToMove, state(3, board("A.. A.. ..."), nil, false), .occupiedCell),
            Move("B moves into A's cell", bToMove, state(2, board("B.. ... ..."), nil, false), .occupiedCell),
            Move("A moves its mark to another cell", aToMove, state(3, board(".A. B.. ..."), nil, false), .occupiedCell),
            Move("A places two marks", aToMove, state(3, board("AA. BA. ..."), nil, false), .notOneCellChanged),
            Move("A places three marks in a row", wonByA[0], state(1, board("AAA ... ..."), nil, false), .notOneCellChanged),
            Move("A places nothing", aToMove, state(3, board("A.. B.. ..."), nil, false), .notOneCellChanged),
            Move("A places B's mark", aToMove, state(3, board("AB. B.. ..."), nil, false), .wrongMark),
            Move("B places A's mark", bToMove, state(2, board("AA. ... ..."), nil, false), .wrongMark),
            Move(
                "A places a 3", aToMove,
                withAppData(aToMove, Rules.payoutA.bytes + Rules.payoutB.bytes + [1, 3, 0, 2, 0, 0, 0, 0, 0]).bumped(),
                .wrongMark),
            Move("B moves first", wonByA[0], state(1, board("B.. ... ..."), nil, false), .wrongMark),
            Move("B moves on a full board", drawn[9], state(10, board("BBA ABB BAA"), nil, false), .occupiedCell),
            Move("B passes on a full board", drawn[9], state(10, board("ABA ABB BAA"), nil, false), .notOneCellChanged),
            Move("A moves twice", state(2, board("AA. ... ..."), nil, false), state(3, board("AAA ... ..."), nil, false), .outOfTurn),
            Move("B moves twice", state(3, board("A.. B.. ..."), nil, false), state(4, board("A.. BB. ..."), nil, false), .outOfTurn),
            Move(
                "A moves on a board where B has more marks", state(4, board("A.. BB. ..."), nil, false),
                state(5, board("AA. BB. ..."), nil, false), .outOfTurn),
            Move(
                "the old board holds a 3",
                withAppData(wonByA[0], Rules.payoutA.bytes + Rules.payoutB.bytes + [3, 0, 0, 0, 0, 0, 0, 0, 0]),
                withAppData(wonByA[1], Rules.payoutA.bytes + Rules.payoutB.bytes + [3, 1, 0, 0, 0, 0, 0, 0, 0]), .invalidCell),
            Move("a move after A has won", wonByA[5], state(6, board("AAA BB. B.."), nil, false), .gameAlreadyWon),
            Move("a move after B has won", wonByB[6], state(7, board("AAB AB. B.A"), nil, false), .gameAlreadyWon),
            Move("the new state is final", aToMove, state(3, board("AA. B.. ..."), nil, true), .finalState),
        ]
    }

    /// For each line, A holds it and B (to move) places a mark.
    static var afterAWin: [Move] {
        Rules.lines.map { line in
            var old = [UInt8](repeating: 0, count: 9)
            for cell in line { old[cell] = 1 }
            let others = (0..<9).filter { !line.contains($0) }
            for cell in others.prefix(2) { old[cell] = 2 }
            var new = old
            new[others[2]] = 2
            return Move("B moves after A made the line \(line)", Rules.state(5, old), Rules.state(6, new), .gameAlreadyWon)
        }
    }

    /// For each line, B holds it and A (to move) places a mark.
    static var afterBWin: [Move] {
        Rules.lines.map { line in
            var old = [UInt8](repeating: 0, count: 9)
            for cell in line { old[cell] = 2 }
            let others = (0..<9).filter { !line.contains($0) }
            // Three of A's marks that make no line of their own.
            var marks: [Int] = []
            for cell in others where marks.count < 3 {
                var trial = old
                for mark in marks + [cell] { trial[mark] = 1 }
                if !Rules.hasLine(trial, of: 1) { marks.append(cell) }
            }
            for cell in marks { old[cell] = 1 }
            var new = old
            new[others.first { old[$0] == 0 }!] = 1
            return Move("A moves after B made the line \(line)", Rules.state(6, old), Rules.state(7, new), .gameAlreadyWon)
        }
    }

    /// Moves on the board that are legal, with balances that are not the outcome, or payouts changed.
    static var outcomes: [Move] {
        let (stake, total, payoutA, payoutB) = (Rules.stake, Rules.total, Rules.payoutA, Rules.payoutB)
        let pay = { (amount: Amount, payout: Hash32) in Rules.pay(amount, to: payout) }
        let aMoves = (wonByA[2], wonByA[3])  // the game goes on: A takes all
        let bWins = (wonByB[5], wonByB[6])
        let draw = (drawn[8], drawn[9])
        let unit = Amount(units: 1)
        let high = Amount(units: 1 << 56)
        let dust = Amount(units: 1_000_000_000_000_000)
        func changedPayouts(_ state: ChannelState, a: Hash32, b: Hash32) -> ChannelState {
            withAppData(state, a.bytes + b.bytes + Array(state.appData[64...]))
        }
        return [
            Move("A's move pays B", aMoves.0, paying(aMoves.1, [pay(total, payoutB)]), .wrongPayee),
            Move("A's move splits the stakes", aMoves.0, paying(aMoves.1, Rules.split), .wrongBalanceCount),
            Move(
                "A's move pays A in two outputs", aMoves.0, paying(aMoves.1, [pay(stake, payoutA), pay(stake, payoutA)]),
                .wrongBalanceCount),
            Move("B's winning move pays A", bWins.0, paying(bWins.1, [pay(total, payoutA)]), .wrongPayee),
            Move("B's winning move splits the stakes", bWins.0, paying(bWins.1, Rules.split), .wrongBalanceCount),
            Move(
                "A's line on a full board split as a draw", wonByAWithTheLastCell.0, paying(wonByAWithTheLastCell.1, Rules.split),
                .wrongBalanceCount),
            Move("a draw paying all to A", draw.0, paying(draw.1, [pay(total, payoutA)]), .wrongBalanceCount),
            Move("a draw paying B first", draw.0, paying(draw.1, [pay(stake, payoutB), pay(stake, payoutA)]), .wrongPayee),
            Move("a draw paying A twice", draw.0, paying(draw.1, [pay(stake, payoutA), pay(stake, payoutA)]), .wrongPayee),
            Move("a draw paying B twice", draw.0, paying(draw.1, [pay(stake, payoutB), pay(stake, payoutB)]), .wrongPayee),
            Move(
                "a draw with one unit moved to A", draw.0,
                paying(draw.1, [pay(stake.adding(unit)!, payoutA), pay(stake.subtracting(unit)!, payoutB)]), .unequalDraw),
            Move(
                "a draw with 2^56 units moved to B", draw.0,
                paying(draw.1, [pay(stake.subtracting(high)!, payoutA), pay(stake.adding(high)!, payoutB)]), .unequalDraw),
            Move(
                "a draw paying B only the dust", draw.0,
                paying(draw.1, [pay(total.subtracting(dust)!, payoutA), pay(dust, payoutB)]),
                .unequalDraw),
            Move("B changes A's payout", wonByA[1], changedPayouts(wonByA[2], a: payoutB, b: payoutB), .payoutsChanged),
            Move("A changes B's payout", wonByA[2], changedPayouts(wonByA[3], a: payoutA, b: payoutA), .payoutsChanged),
            Move(
                "A swaps the payouts", wonByA[2],
                changedPayouts(paying(wonByA[3], [pay(total, payoutB)]), a: payoutB, b: payoutA), .payoutsChanged),
        ]
    }

    /// Inputs that are not two game states.
    static var format: [Move] {
        let old = wonByA[2]
        let new = wonByA[3]
        let good = Rules.input(old, new)
        let appData = { (state: ChannelState) in state.appData }
        let amount = Varint.encoded(Rules.total.units)
        let oneOutput = Rules.rawOutput(amount: amount, payout: Rules.payoutA)
        let rawOld = { (count: UInt8, outputs: [[UInt8]]) in
            Rules.rawState(version: 2, count: count, outputs: outputs, appData: appData(old))
        }
        // Twenty bytes; a program that read the last one as the lock's tag would find a pubKeyHash.
        let longAmount = [UInt8](repeating: 0x80, count: 19) + [0x00]
        return [
            Move("the new appData is one byte short", old, withAppData(new, appData(new).dropLast()), .wrongAppDataSize),
            Move("the new appData is one byte long", old, withAppData(new, appData(new) + [0]), .wrongAppDataSize),
            Move("the old appData is one byte long", withAppData(old, appData(old) + [0]), new, .wrongAppDataSize),
            Move("the old appData is empty", withAppData(old, []), new, .wrongAppDataSize),
            Move("the input misses its last byte", input: good.dropLast(), .malformedInput),
            Move("the input has a byte too many", input: good + [0], .malformedInput),
            Move("the input is empty", input: [], .malformedInput),
            Move("the input is the deadline and parameters only", input: Array(good.prefix(108)), .malformedInput),
            Move("the old state has no balance", input: Rules.input(old: rawOld(0, []), new: new.encoded), .malformedInput),
            Move(
                "the old state has nine balances", input: Rules.input(old: rawOld(9, Array(repeating: oneOutput, count: 9)), new: new.encoded),
                .malformedInput),
            Move(
                "the new state has nine balances", old,
                paying(new, Array(repeating: Rules.pay(Amount(units: 1), to: Rules.payoutA), count: 9)), .malformedInput),
            Move(
                "an old balance's amount is 20 bytes",
                input: Rules.input(old: rawOld(1, [Rules.rawOutput(amount: longAmount, payout: Rules.payoutA)]), new: new.encoded),
                .malformedInput),
            Move(
                "an old balance's lock is not a pubKeyHash",
                input: Rules.input(old: rawOld(1, [Rules.rawOutput(amount: amount, tag: 1, payout: Rules.payoutA)]), new: new.encoded),
                .malformedInput),
            Move(
                "an old balance carries data",
                input: Rules.input(old: rawOld(1, [Rules.rawOutput(amount: amount, payout: Rules.payoutA, dataLength: 1)]), new: new.encoded),
                .malformedInput),
        ]
    }

    /// The longest amount the program reads: 19 bytes.
    static let longestAmount = [UInt8](repeating: 0xff, count: 18) + [0x03]
}

extension ChannelState {
    /// The next version with the same balances and appData.
    fileprivate func bumped() -> ChannelState {
        var next = self
        next.version += 1
        return next
    }
}

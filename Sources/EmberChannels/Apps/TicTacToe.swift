import EmberCore
import EmberCrypto
import EmberVM

/// Tic-tac-toe on a state channel: the states a game's channel carries and the check of a move, which
/// runs `TicTacToeProgram` in EmberVM exactly as a force-move on layer 1 does, so the channel service's
/// verdict before co-signing a move and the Judge's verdict never differ.
///
/// A game's appData is `payoutA 32 | payoutB 32 | board 9` (cells row-major, 0 empty, 1 A's mark, 2 B's).
/// Version 0 (the refund co-signed at opening) has an empty board and both stakes back; A moves at
/// every odd version and B at every even one. Each state's balances are the outcome if the channel
/// settles there: the mover takes everything when it has just made a line or when the game goes on
/// (the side to move forfeits if it never moves), and a draw pays each its stake.
public enum TicTacToe {
    /// The steps a force-move declares for the program: the next power of two above four times the
    /// longest run over any input (2 323 steps, measured in `TicTacToeTests`).
    public static let maxSteps: UInt32 = 1 << 14
    /// The bytes of a game's appData.
    public static let appDataSize = 73

    /// One of the two players: A (the channel's keyA), who moves first, and B (keyB).
    public enum Player: Hashable, Sendable {
        case a, b

        /// The cell value of this player's mark.
        public var mark: Cell { self == .a ? .a : .b }
        /// The other player.
        public var opponent: Player { self == .a ? .b : .a }
    }

    /// A cell of the board.
    public enum Cell: UInt8, Hashable, Sendable {
        case empty = 0, a = 1, b = 2
    }

    /// The player who makes the move that produces the state of `version`: A at odd versions, B at even.
    public static func mover(ofVersion version: UInt64) -> Player {
        version & 1 == 1 ? .a : .b
    }

    /// The balances of a state whose board is `board` after `mover`'s move, for a game where each
    /// player staked `stake`: one output of both stakes to the mover's payout when it has a line or the
    /// board is not full, else one of `stake` to each payout, A's first. Nil when twice the stake
    /// overflows.
    public static func balances(
        afterMoveBy mover: Player, board: Board, payoutA: Hash32, payoutB: Hash32, stake: Amount
    ) -> [Output]? {
        guard let total = stake.adding(stake) else { return nil }
        if board.hasLine(of: mover) || !board.isFull {
            return [Output(amount: total, lock: .pubKeyHash(mover == .a ? payoutA : payoutB))]
        }
        return [Output(amount: stake, lock: .pubKeyHash(payoutA)), Output(amount: stake, lock: .pubKeyHash(payoutB))]
    }

    /// Version 0 of a game's channel, co-signed before funding: an empty board and each stake back.
    public static func openingState(channelId: Hash32, payoutA: Hash32, payoutB: Hash32, stake: Amount) -> ChannelState {
        let appData = AppData(payoutA: payoutA, payoutB: payoutB, board: .empty)
        return ChannelState(
            channelId: channelId, version: 0, isFinal: false,
            balances: [Output(amount: stake, lock: .pubKeyHash(payoutA)), Output(amount: stake, lock: .pubKeyHash(payoutB))],
            appData: appData.encoded)
    }

    /// The state after `old` in which its next mover puts its mark on `cell` (0 … 8, row-major), with the
    /// outcome balances; nil when `old` is not a game state, its version is the last, the cell is not on
    /// the board or not empty, or twice the stake overflows. It does not check that the move is legal
    /// (a finished game, the turn order): `checkMove` does.
    public static func nextState(after old: ChannelState, placingAt cell: Int, stake: Amount) -> ChannelState? {
        guard old.version < .max, let appData = AppData(decoding: old.appData) else { return nil }
        let mover = mover(ofVersion: old.version + 1)
        guard let board = appData.board.placing(mover, at: cell),
            let balances = balances(
                afterMoveBy: mover, board: board, payoutA: appData.payoutA, payoutB: appData.payoutB, stake: stake)
        else { return nil }
        return ChannelState(
            channelId: old.channelId, version: old.version + 1, isFinal: false, balances: balances,
            appData: AppData(payoutA: appData.payoutA, payoutB: appData.payoutB, board: board).encoded)
    }

    /// The program's input on a force-move: `deadline u64 ‖ ChannelParams ‖ oldState ‖ newState`.
    public static func programInput(deadline: UInt64, params: ChannelParams, old: ChannelState, new: ChannelState) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeUInt64(deadline)
        writer.write(params)
        writer.write(old)
        writer.write(new)
        return writer.bytes
    }

    /// Whether `new` is a legal move from `old` with the outcome balances, by running the program as a
    /// force-move would. What consensus checks before running it (both states well formed, the version
    /// one higher, the mover's signature) is the caller's to check.
    public static func checkMove(params: ChannelParams, deadline: UInt64, old: ChannelState, new: ChannelState) throws(IllegalMove) {
        guard params.app == TicTacToeProgram.appHash else {
            throw .notATicTacToeChannel(app: params.app)
        }
        try checkMove(input: programInput(deadline: deadline, params: params, old: old, new: new))
    }

    /// Runs the program over a force-move's raw input, under `maxSteps`.
    public static func checkMove(input: [UInt8]) throws(IllegalMove) {
        let outcome = ConsensusRun.run(program: TicTacToeProgram.program, input: input, maxSteps: maxSteps)
        guard let failure = outcome.failure else { return }
        if case .nonZeroExitCode(let code) = failure, let refusal = IllegalMove(exitCode: code) { throw refusal }
        // The program halts on every input within maxSteps with one of its codes; anything else is a bug.
        throw .programFailed(failure)
    }
}

import EmberCrypto
import EmberVM

extension TicTacToe {
    /// Why the program refuses a move: its exit code, or what stopped it otherwise.
    public enum IllegalMove: Error, Equatable, Sendable, CustomStringConvertible {
        /// Exit 1: bytes missing or left over, a balance count outside 1…8, a balance that is not a
        /// pubKeyHash output, an amount over 19 bytes, or output data.
        case malformedInput
        /// Exit 2: a state's appData is not `appDataSize` bytes.
        case wrongAppDataSize
        /// Exit 3: the new state is final.
        case finalState
        /// Exit 4: the new state's payouts differ from the old one's.
        case payoutsChanged
        /// Exit 5: a cell of the old board is not 0, 1 or 2.
        case invalidCell
        /// Exit 6: the mark went on a cell that was not empty.
        case occupiedCell
        /// Exit 7: the new mark is not the mover's.
        case wrongMark
        /// Exit 8: no cell or more than one changed.
        case notOneCellChanged
        /// Exit 9: the old board already has three in a row.
        case gameAlreadyWon
        /// Exit 10: the old board's counts of marks say it is the other player's turn.
        case outOfTurn
        /// Exit 11: not the number of balances the outcome has (one, or two in a draw).
        case wrongBalanceCount
        /// Exit 12: a balance is not locked to the payout the outcome names.
        case wrongPayee
        /// Exit 13: a draw whose two amounts differ.
        case unequalDraw
        /// The channel's app is not this program (checked before running it).
        case notATicTacToeChannel(app: Hash32)
        /// The run ended some other way (a bug in the program: it must halt on every input).
        case programFailed(ConsensusRunFailure)

        /// The refusal the program reports with `exitCode`; nil for 0 and unknown codes.
        public init?(exitCode: UInt32) {
            let byCode: [UInt32: IllegalMove] = [
                1: .malformedInput, 2: .wrongAppDataSize, 3: .finalState, 4: .payoutsChanged, 5: .invalidCell,
                6: .occupiedCell, 7: .wrongMark, 8: .notOneCellChanged, 9: .gameAlreadyWon, 10: .outOfTurn,
                11: .wrongBalanceCount, 12: .wrongPayee, 13: .unequalDraw,
            ]
            guard let move = byCode[exitCode] else { return nil }
            self = move
        }

        public var description: String {
            switch self {
            case .malformedInput: "the move is not a pair of tic-tac-toe states (malformed input)"
            case .wrongAppDataSize: "a state's appData is not the \(TicTacToe.appDataSize) bytes of a game"
            case .finalState: "a move cannot be a final state"
            case .payoutsChanged: "the move changes where the players are paid"
            case .invalidCell: "the old board holds a cell that is neither empty nor a mark"
            case .occupiedCell: "the mark goes on a cell that is not empty"
            case .wrongMark: "the new mark is not the mover's"
            case .notOneCellChanged: "a move places exactly one mark"
            case .gameAlreadyWon: "the game is already won"
            case .outOfTurn: "it is the other player's turn on the old board"
            case .wrongBalanceCount: "the balances are not the outcome of the game (wrong number of balances)"
            case .wrongPayee: "the balances are not the outcome of the game (paid to the wrong player)"
            case .unequalDraw: "a draw must pay both players the same amount"
            case .notATicTacToeChannel(let app): "the channel's app \(app) is not tic-tac-toe (\(TicTacToeProgram.appHash))"
            case .programFailed(let failure): "the tic-tac-toe program failed: \(failure)"
            }
        }
    }
}

import EmberCore
import EmberCrypto

/// An app a channel service knows by name; a channel's app hash must be its program's.
public struct ChannelApp: Sendable {
    public var name: String
    public var hash: Hash32
    public var program: [UInt8]
    /// The step budget a force-move declares for this app.
    public var maxSteps: UInt32
    /// Checks a move from `old` to `new` (the app program's verdict).
    public var checkMove: @Sendable (ChannelParams, ChannelState, ChannelState) throws(ChannelRefusal) -> Void
    /// The app data of the refund (version 0), such as an empty board.
    public var initialAppData: (@Sendable (ChannelRecord) -> [UInt8])?
}

public enum ChannelApps {
    /// Every app this service can run, by name.
    public static let all: [ChannelApp] = [ticTacToe]

    public static func app(named name: String) -> ChannelApp? { all.first { $0.name == name } }

    /// Tic-tac-toe for equal stakes (docs/channels.md, "Tic-tac-toe"): the side to move forfeits if it never moves.
    public static let ticTacToe = ChannelApp(
        name: "tictactoe", hash: TicTacToeProgram.appHash, program: TicTacToeProgram.elf, maxSteps: TicTacToe.maxSteps,
        checkMove: { params, old, new throws(ChannelRefusal) in
            do {
                // The deadline is part of the program's input; tic-tac-toe ignores it.
                try TicTacToe.checkMove(params: params, deadline: 0, old: old, new: new)
            } catch {
                throw .illegalMove((error as? TicTacToe.IllegalMove)?.description ?? "\(error)")
            }
        },
        initialAppData: { record in
            TicTacToe.AppData(payoutA: Blake3.hash(record.params.keyA.bytes), payoutB: Blake3.hash(record.params.keyB.bytes), board: .empty).encoded
        })
}

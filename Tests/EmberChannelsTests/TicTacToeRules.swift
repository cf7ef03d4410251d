import EmberChannels
import EmberCore
import EmberCrypto

/// The rules of tic-tac-toe on a channel, written again here from the issue and docs/channels.md, so the
/// expected verdict of every test comes from the game and not from the code under test.
enum Rules {
    static let payoutA = Blake3.hash(Array("where A is paid".utf8))
    static let payoutB = Blake3.hash(Array("where B is paid".utf8))
    /// Each player's stake: 2.5 EMB, a varint of nine bytes.
    static let stake = Amount(units: 2_500_000_000_000_000_000)
    static let total = Amount(units: 5_000_000_000_000_000_000)
    static let channelId = Blake3.hash(Array("a game of tic-tac-toe".utf8))
    static let deadline: UInt64 = 0x0102_0304_0506_0708
    static let params = ChannelParams(
        keyA: RawPublicKey([UInt8](repeating: 0xAA, count: 32))!, keyB: RawPublicKey([UInt8](repeating: 0xBB, count: 32))!,
        window: 30, app: TicTacToeProgram.appHash)

    /// Rows, columns and diagonals of a row-major board.
    static let lines = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6]]

    /// A board written row-major as `A`, `B` and `.` (spaces are ignored): 1, 2 and 0.
    static func board(_ text: String) -> [UInt8] {
        let cells: [UInt8] = text.compactMap { character in
            switch character {
            case "A": 1
            case "B": 2
            case ".": 0
            default: nil
            }
        }
        precondition(cells.count == 9, "a board has nine cells: \(text)")
        return cells
    }

    /// A's mark (1) at odd versions, B's (2) at even ones.
    static func mark(ofMoverAt version: UInt64) -> UInt8 { version % 2 == 1 ? 1 : 2 }

    static func hasLine(_ board: [UInt8], of mark: UInt8) -> Bool {
        lines.contains { line in line.allSatisfy { board[$0] == mark } }
    }

    static func pay(_ amount: Amount, to payout: Hash32) -> Output { Output(amount: amount, lock: .pubKeyHash(payout)) }

    /// The stakes back, A's first: the refund at version 0, and a draw.
    static var split: [Output] { [pay(stake, to: payoutA), pay(stake, to: payoutB)] }

    /// The outcome if the channel settles at `board`, just played by the mover of `version`: the mover
    /// takes both stakes when it has a line or the game goes on (the side to move forfeits if it never
    /// moves); a full board without a line is a draw.
    static func outcome(_ board: [UInt8], version: UInt64) -> [Output] {
        if version == 0 { return split }
        let mark = mark(ofMoverAt: version)
        if hasLine(board, of: mark) || board.contains(0) {
            return [pay(total, to: mark == 1 ? payoutA : payoutB)]
        }
        return split
    }

    /// A game state; its balances are the outcome unless given.
    static func state(_ version: UInt64, _ board: [UInt8], balances: [Output]? = nil, isFinal: Bool = false) -> ChannelState {
        ChannelState(
            channelId: channelId, version: version, isFinal: isFinal, balances: balances ?? outcome(board, version: version),
            appData: payoutA.bytes + payoutB.bytes + board)
    }

    /// A force-move's program input: `deadline u64 ‖ ChannelParams ‖ oldState ‖ newState`.
    static func input(_ old: ChannelState, _ new: ChannelState) -> [UInt8] {
        input(old: old.encoded, new: new.encoded)
    }

    static func input(old: [UInt8], new: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeUInt64(deadline)
        writer.write(params)
        return writer.bytes + old + new
    }

    /// A state's encoding from raw parts, for inputs no encoder would write.
    static func rawState(version: UInt64, count: UInt8, outputs: [[UInt8]], appData: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeHash(channelId)
        writer.writeUInt64(version)
        return writer.bytes + [0, count] + outputs.flatMap { $0 } + [UInt8(appData.count)] + appData
    }

    /// An output's encoding from raw parts: amount bytes, lock tag, 32 bytes, lockTime 0, data length byte.
    static func rawOutput(amount: [UInt8], tag: UInt8 = 0, payout: Hash32, dataLength: UInt8 = 0) -> [UInt8] {
        amount + [tag] + payout.bytes + [UInt8](repeating: 0, count: 8) + [dataLength]
    }
}

import EmberCrypto

extension TicTacToe {
    /// A game state's appData: `payoutA 32 | payoutB 32 | board 9`. The payouts are the pubKeyHashes the
    /// outcome pays each player to; they are fixed at opening and never change.
    public struct AppData: Hashable, Sendable {
        public var payoutA: Hash32
        public var payoutB: Hash32
        public var board: Board

        public init(payoutA: Hash32, payoutB: Hash32, board: Board) {
            self.payoutA = payoutA
            self.payoutB = payoutB
            self.board = board
        }

        /// Decodes appData; nil unless it is `appDataSize` bytes with a board of 0, 1 and 2 only.
        public init?(decoding bytes: [UInt8]) {
            guard bytes.count == TicTacToe.appDataSize, let payoutA = Hash32(bytes[0..<32]),
                let payoutB = Hash32(bytes[32..<64]), let board = Board(bytes: bytes[64..<73])
            else { return nil }
            self.init(payoutA: payoutA, payoutB: payoutB, board: board)
        }

        /// The 73 bytes a state carries.
        public var encoded: [UInt8] { payoutA.bytes + payoutB.bytes + board.bytes }
    }
}

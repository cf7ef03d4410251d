extension TicTacToe {
    /// A 3 × 3 board, cells row-major (0 … 8).
    public struct Board: Hashable, Sendable {
        /// The eight lines of three: rows, columns, diagonals.
        public static let lines: [[Int]] = [
            [0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6],
        ]
        public static let empty = Board(uncheckedCells: Array(repeating: .empty, count: 9))

        /// The nine cells.
        public private(set) var cells: [Cell]

        private init(uncheckedCells cells: [Cell]) { self.cells = cells }

        /// A board of `cells`; nil unless there are nine.
        public init?(cells: [Cell]) {
            guard cells.count == 9 else { return nil }
            self.cells = cells
        }

        /// The board the nine bytes encode; nil unless there are nine, each 0, 1 or 2.
        public init?(bytes: some Collection<UInt8>) {
            let cells = bytes.compactMap(Cell.init(rawValue:))
            guard bytes.count == 9, cells.count == 9 else { return nil }
            self.cells = cells
        }

        /// The nine bytes of appData.
        public var bytes: [UInt8] { cells.map(\.rawValue) }

        public subscript(cell: Int) -> Cell { cells[cell] }

        /// The board with `player`'s mark on `cell`; nil when the cell is off the board or not empty.
        public func placing(_ player: Player, at cell: Int) -> Board? {
            guard cells.indices.contains(cell), cells[cell] == .empty else { return nil }
            var board = self
            board.cells[cell] = player.mark
            return board
        }

        /// Whether `player` has three in a row.
        public func hasLine(of player: Player) -> Bool {
            Self.lines.contains { line in line.allSatisfy { cells[$0] == player.mark } }
        }

        /// Whether no cell is empty.
        public var isFull: Bool { !cells.contains(.empty) }
    }
}

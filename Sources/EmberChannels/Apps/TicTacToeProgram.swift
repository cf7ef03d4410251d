import EmberCrypto
import EmberVM
import Foundation

/// The tic-tac-toe app program (DESIGN.md section 16): the EmberVM program a channel's `app` hash names,
/// so the layer-1 Judge can take a move from one player alone and knows who wins.
///
/// The RISC-V assembly below is the source of truth; `elf` is what Ember's assembler makes of it (as
/// `ember vm asm` does from the file `writeSource(to:)` writes), and `appHash` is what a channel's
/// parameters carry. `TicTacToe` holds the Swift helpers that build states for it and run it.
public enum TicTacToeProgram {
    /// The program in the assembly language of `ember vm asm` (docs/vm.md).
    public static let source = """
        # Tic-tac-toe, an app program for Ember's state channels (DESIGN.md section 16).
        #
        # A force-move runs it with the input
        #   deadline u64 | ChannelParams (100 bytes) | oldState | newState
        # mapped at 0x3000_0004 (a0 = its length, a1 = its address). Consensus has already checked that both
        # states decode, that newState is well formed, that its version is oldState's plus one, that oldState
        # is not final, and the mover's signature. This program checks the game and exits with code 0 only
        # when newState is a legal move from oldState and its balances are the outcome if the channel settles
        # there. Any other input exits with a code from 1 to 13 (below); nothing traps, and every loop is
        # bounded, so any input halts within 2 323 steps (measured by TicTacToeTests).
        #
        # appData (exactly 73 bytes) = payoutA 32 | payoutB 32 | board 9 (row-major; 0 empty, 1 A, 2 B).
        # The mover is A when newState.version is odd (mark 1), B when it is even (mark 2).
        #
        # Exit codes:
        #   1 malformed input: a balance count outside 1..8, a balance that is not a pubKeyHash output,
        #     an amount longer than 19 bytes, output data, or bytes missing or left over after newState
        #   2 appData is not 73 bytes          3 newState is final
        #   4 the payouts changed               5 a cell of the old board is not 0, 1 or 2
        #   6 a mark went on an occupied cell   7 the new mark is not the mover's
        #   8 not exactly one cell changed      9 the old board already has three in a row
        #  10 the old board's marks do not fit the turn (A moves when the counts are equal, B when A has one more)
        #  11 not the number of balances due    12 a balance paid to the wrong party
        #  13 a draw whose two amounts differ
        #
        # A full old board needs no rule of its own: it has no empty cell, so no move can be legal on it.

            .text
            .globl _start
        _start:
            add   s0, a1, a0              # s0 = end of the input
            addi  a0, a1, 108             # oldState, past the deadline (8) and ChannelParams (100)
            jal   parse_state
            mv    s2, a3                  # s2 = old appData
            mv    s3, a0                  # s3 = newState
            jal   parse_state
            bne   a0, s0, malformed       # newState ends the input exactly
            mv    s5, a1                  # s5 = new balances
            mv    s6, a2                  # s6 = new balance count
            mv    s4, a3                  # s4 = new appData

            lbu   t0, 40(s3)              # newState.isFinal
            bnez  t0, final_state
            lbu   t0, 39(s3)              # low byte of newState.version (big-endian)
            andi  t0, t0, 1
            li    s7, 2                   # s7 = the mover's mark: 2 (B) for an even version
            beqz  t0, 1f
            li    s7, 1                   #   1 (A) for an odd one
        1:
            mv    a2, s2                  # payoutA and payoutB unchanged (a3 is still the new appData)
            li    a4, 64
            jal   words_differ
            bnez  a4, payouts_changed

            # One pass over the nine cells: the old board's marks of A (s10) and B (s11) as 9-bit masks,
            # A's count minus B's (a7), and the bits of the cells that changed (a6). These four start at 0:
            # the machine starts every register but sp, a0 and a1 at 0, and nothing above writes them.
            addi  s8, s2, 64              # old board
            addi  s9, s4, 64              # new board
            li    t3, 1                   # the current cell's bit
            li    t4, 0x200               # one past the last cell's bit
        cell:
            lbu   t0, 0(s8)               # old cell
            lbu   t1, 0(s9)               # new cell
            li    t2, 2
            bgtu  t0, t2, invalid_cell
            li    t2, 1
            bne   t0, t2, 2f
            or    s10, s10, t3
            addi  a7, a7, 1
        2:  li    t2, 2
            bne   t0, t2, 3f
            or    s11, s11, t3
            addi  a7, a7, -1
        3:  beq   t0, t1, 4f
            bnez  t0, occupied_cell
            bne   t1, s7, wrong_mark
            or    a6, a6, t3
        4:  addi  s8, s8, 1
            addi  s9, s9, 1
            slli  t3, t3, 1
            bne   t3, t4, cell

            beqz  a6, not_one_cell        # exactly one cell changed: a6 is one bit
            addi  t0, a6, -1
            and   t0, t0, a6
            bnez  t0, not_one_cell

            mv    a0, s10                 # the old board has no line of A's
            jal   has_line
            bnez  a0, already_won
            mv    a0, s11                 # nor of B's
            jal   has_line
            bnez  a0, already_won

            addi  t0, s7, -1              # A's count minus B's: 0 before A moves (mark 1), 1 before B moves
            bne   a7, t0, turn_order

            # The outcome if the channel settles at newState. While the new board has an empty cell the
            # game goes on, and the mover takes everything (the side to move forfeits if it never moves). A
            # full board comes from A's ninth mark (B moves when A has one more mark, so B never fills it):
            # A takes everything with a line, and without one it is a draw, split evenly.
            or    t0, s10, s11
            or    t0, t0, a6
            li    t1, 0x1ff
            bne   t0, t1, mover_takes_all
            or    a0, s10, a6             # A's marks on the full board
            jal   has_line
            bnez  a0, mover_takes_all

            li    t0, 2                   # a draw: two balances
            bne   s6, t0, balance_count
            mv    a0, s5
            jal   skip_varint             # a0 = the first balance's lock
            mv    s8, a0
            addi  a2, s8, 1               # the first pays payoutA
            mv    a3, s4
            li    a4, 32
            jal   words_differ
            bnez  a4, wrong_payee
            mv    t1, s5                  # the two amounts have the same encoding
            addi  t2, s8, 42              # the second balance: past tag 1, hash 32, lockTime 8, empty data 1
        6:  lbu   t3, 0(t1)
            lbu   t4, 0(t2)
            bne   t3, t4, unequal_draw
            addi  t1, t1, 1
            addi  t2, t2, 1
            andi  t3, t3, 0x80
            bnez  t3, 6b
            addi  a2, t2, 1               # the second pays payoutB (words_differ left a3 there)
            li    a4, 32
            jal   words_differ
            bnez  a4, wrong_payee
            j     legal

        mover_takes_all:
            li    t0, 1                   # one balance
            bne   s6, t0, balance_count
            mv    a0, s5
            jal   skip_varint
            addi  a2, a0, 1               # paying the mover's payout
            mv    a3, s4
            li    t0, 1
            beq   s7, t0, 7f
            addi  a3, s4, 32
        7:  li    a4, 32
            jal   words_differ
            bnez  a4, wrong_payee

        legal:
            li    a0, 0
            j     exit
        malformed:
            li    a0, 1
            j     exit
        app_data_size:
            li    a0, 2
            j     exit
        final_state:
            li    a0, 3
            j     exit
        payouts_changed:
            li    a0, 4
            j     exit
        invalid_cell:
            li    a0, 5
            j     exit
        occupied_cell:
            li    a0, 6
            j     exit
        wrong_mark:
            li    a0, 7
            j     exit
        not_one_cell:
            li    a0, 8
            j     exit
        already_won:
            li    a0, 9
            j     exit
        turn_order:
            li    a0, 10
            j     exit
        balance_count:
            li    a0, 11
            j     exit
        wrong_payee:
            li    a0, 12
            j     exit
        unequal_draw:
            li    a0, 13
        exit:
            li    a7, 93
            ecall

        # parse_state: a0 = a state's first byte. Returns a0 = the byte after the state, a1 = its first
        # balance, a2 = its balance count, a3 = its appData (after the length byte). Reads past the input's end
        # read zeros (the I/O window holds nothing else); the caller's end check catches a short input.
        parse_state:
            lbu   a2, 41(a0)              # past channelId 32, version 8, isFinal 1: the balance count,
            addi  t1, a2, -1              #   one byte since it is at most 8
            li    t2, 8
            bgeu  t1, t2, malformed
            addi  t0, a0, 42
            mv    a1, t0
            mv    t3, a2
        8:  li    t4, 19                  # each balance: an amount of at most 19 bytes,
        9:  lbu   t5, 0(t0)
            addi  t0, t0, 1
            andi  t5, t5, 0x80
            beqz  t5, 10f
            addi  t4, t4, -1
            bnez  t4, 9b
            j     malformed
        10: lbu   t5, 0(t0)               # lock tag 0 (pubKeyHash) and its hash,
            bnez  t5, malformed
            lbu   t5, 41(t0)              # lockTime 8, then empty data
            bnez  t5, malformed
            addi  t0, t0, 42
            addi  t3, t3, -1
            bnez  t3, 8b
            lbu   t5, 0(t0)               # appData: 73 bytes, so one length byte
            li    t6, 73
            bne   t5, t6, app_data_size
            addi  a3, t0, 1
            addi  a0, t0, 74
            ret

        # skip_varint: a0 = a varint parse_state has checked; returns a0 = the byte after it.
        skip_varint:
            lbu   t0, 0(a0)
            addi  a0, a0, 1
            andi  t0, t0, 0x80
            bnez  t0, skip_varint
            ret

        # words_differ: compares the a4 bytes (a multiple of 4, not 0) at a2 and a3. Returns a4 = 0 when they
        # are equal, with a2 and a3 just past them; else a4 = the bytes from the first differing word on.
        words_differ:
        11: lw    t0, 0(a2)
            lw    t1, 0(a3)
            bne   t0, t1, 12f
            addi  a2, a2, 4
            addi  a3, a3, 4
            addi  a4, a4, -4
            bnez  a4, 11b
        12: ret

        # has_line: a0 = a 9-bit mask of cells (bit i = cell i, row-major). Returns a0 unchanged when it holds
        # a line (so not 0), else 0.
        has_line:
            li    t1, 0x007               # rows
            and   t0, a0, t1
            beq   t0, t1, 13f
            li    t1, 0x038
            and   t0, a0, t1
            beq   t0, t1, 13f
            li    t1, 0x1c0
            and   t0, a0, t1
            beq   t0, t1, 13f
            li    t1, 0x049               # columns
            and   t0, a0, t1
            beq   t0, t1, 13f
            li    t1, 0x092
            and   t0, a0, t1
            beq   t0, t1, 13f
            li    t1, 0x124
            and   t0, a0, t1
            beq   t0, t1, 13f
            li    t1, 0x111               # diagonals
            and   t0, a0, t1
            beq   t0, t1, 13f
            li    t1, 0x054
            and   t0, a0, t1
            beq   t0, t1, 13f
            li    a0, 0
        13: ret

        """

    /// The program as a static ELF, assembled once from `source` by EmberVM's assembler.
    public static let elf: [UInt8] = {
        do {
            return try Assembler.assemble(source).elf()
        } catch {
            preconditionFailure("the tic-tac-toe program does not assemble: \(error)")
        }
    }()

    /// `H(elf)`: the `app` of a tic-tac-toe channel's parameters, naming the blob a force-move carries.
    public static let appHash: Hash32 = Blake3.hash(elf)

    /// The ELF as the consensus loader accepts it, ready for `ConsensusRun.run`.
    public static let program: ConsensusProgram = {
        do {
            return try ConsensusProgram(elf: elf)
        } catch {
            preconditionFailure("the consensus loader refuses the tic-tac-toe program: \(error)")
        }
    }()

    /// Writes `source` to `url` (replacing any file there), for `ember vm asm` or a reader.
    public static func writeSource(to url: URL) throws {
        try Data(source.utf8).write(to: url, options: .atomic)
    }
}

import EmberCore
import EmberCrypto
import Foundation

/// What a `ChannelGuard` stores for one channel, with its cursor: the record as layer 1 made it, the
/// state the current dispute carries (read from the witness that created it, so anyone can settle it),
/// and what each recent block changed, so a reorganisation can put it back (per-block undo).
struct GuardedChannel: Hashable, Sendable {
    /// Bounds the undo log: the watcher refuses to follow a reorganisation deeper than this anyway.
    static let undoDepth: UInt64 = UInt64(1_000)

    struct Undo: Hashable, Sendable {
        /// The block whose change this entry undoes.
        var height: UInt64
        var record: ChannelRecord
        var disputedState: ChannelState?
    }

    var record: ChannelRecord
    var disputedState: ChannelState?
    var undo: [Undo] = []

    /// The output of the channel a spend would take now: the funding output, or the dispute's.
    var currentOutpoint: OutPoint? {
        switch record.status {
        case .opening, .open, .closing: record.funding
        case .disputed: record.dispute?.outpoint
        case .closed: nil
        }
    }

    /// Records the change the block at `height` is about to make, and forgets what no reorg can undo.
    mutating func willChange(atHeight height: UInt64) {
        undo.append(Undo(height: height, record: record, disputedState: disputedState))
        undo.removeAll { $0.height + Self.undoDepth < height }
    }

    /// Undoes what the blocks from `height` up did; returns whether anything changed.
    mutating func revert(fromHeight height: UInt64) -> Bool {
        var reverted = false
        while let last = undo.last, last.height >= height {
            record = last.record
            disputedState = last.disputedState
            undo.removeLast()
            reverted = true
        }
        return reverted
    }

    /// Applies what transaction `txid` did to this channel at `height`.
    mutating func apply(_ outcome: ChannelSpendOutcome, txid: Hash32, height: UInt64) {
        willChange(atHeight: height)
        switch outcome {
        case .closed:
            record.status = .closed
            record.closingTxid = txid
            disputedState = nil
        case .disputed(let dispute, _, let state):
            record.status = .disputed
            record.dispute = dispute
            disputedState = state
        }
    }
}

extension GuardedChannel: Codable {
    private enum CodingKeys: String, CodingKey { case record, disputedState, undo }
    private enum UndoKeys: String, CodingKey { case height, record, disputedState }

    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        record = try values.decode(ChannelRecord.self, forKey: .record)
        disputedState = try Self.state(values.decodeIfPresent(String.self, forKey: .disputedState))
        var list = try values.nestedUnkeyedContainer(forKey: .undo)
        while !list.isAtEnd {
            let entry = try list.nestedContainer(keyedBy: UndoKeys.self)
            undo.append(Undo(
                height: try entry.decode(UInt64.self, forKey: .height), record: try entry.decode(ChannelRecord.self, forKey: .record),
                disputedState: try Self.state(entry.decodeIfPresent(String.self, forKey: .disputedState))))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(record, forKey: .record)
        try values.encodeIfPresent(disputedState?.encoded.hexString, forKey: .disputedState)
        var list = values.nestedUnkeyedContainer(forKey: .undo)
        for entry in undo {
            var item = list.nestedContainer(keyedBy: UndoKeys.self)
            try item.encode(entry.height, forKey: .height)
            try item.encode(entry.record, forKey: .record)
            try item.encodeIfPresent(entry.disputedState?.encoded.hexString, forKey: .disputedState)
        }
    }

    private static func state(_ hex: String?) throws -> ChannelState? {
        guard let hex else { return nil }
        guard let bytes = [UInt8](hexString: hex) else { throw Swift.DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not hex")) }
        return try ChannelState.decode(from: bytes, limit: Witness.maxItemSize)
    }
}

import EmberConsensus
import EmberCore
import EmberCrypto

extension ChannelService {
    /// Plays `cell` (0…8) in a tic-tac-toe channel: off chain when the peer answers; with `force`, on
    /// layer 1 instead (disputing the latest co-signed state first if no dispute is open), so a peer who
    /// stopped answering loses by the rules when its window runs out.
    public func move(_ id: Hash32, cell: Int, force: Bool = false) async throws -> ChannelStatus {
        let record = try record(id)
        guard let app = ChannelApps.app(named: record.app), app.hash == record.params.app, app.name == "tictactoe" else {
            throw ChannelServiceError.notAGame(id)
        }
        guard (0...8).contains(cell) else { throw ChannelServiceError.protocolViolation("a cell is 0 … 8, row by row") }
        if force { return try await forceMove(record, cell: cell, app: app) }
        let (current, base) = try proposalBase(id)
        let next = try nextMove(record: current, after: base, cell: cell)
        _ = try await propose(next, record: current)
        return status(of: try self.record(id))
    }

    /// The state after this side plays `cell` on `base`, checked by the app as the peer and layer 1 will check it.
    func nextMove(record: ChannelRecord, after base: ChannelState, cell: Int) throws -> ChannelState {
        let mover = TicTacToe.mover(ofVersion: base.version &+ 1)
        guard (mover == .a) == (record.side == .a) else { throw ChannelServiceError.protocolViolation("it is the other side's turn") }
        let stake = Amount(units: record.amount.units / 2)
        guard let next = TicTacToe.nextState(after: base, placingAt: cell, stake: stake) else {
            throw ChannelServiceError.protocolViolation("cell \(cell) is taken or the game is over")
        }
        try checkApp(record: record, old: base, new: next)
        return next
    }

    /// A force-move: this side's move signed by this side alone, published against the open dispute.
    func forceMove(_ record: ChannelRecord, cell: Int, app: ChannelApp) async throws -> ChannelStatus {
        let id = record.id
        var record = record
        if record.dispute == nil {
            guard let latest = latest[id] else { throw ChannelServiceError.unknownChannel(id.hex) }
            _ = try await publish(try await transactions.dispute(record, latest: latest))
            record = try await waitForDispute(id)
        }
        guard let dispute = record.dispute, let old = disputedState(of: record) else {
            throw ChannelServiceError.protocolViolation("the disputed state is not known to this side")
        }
        let new = try nextMove(record: record, after: old, cell: cell)
        let transaction = try await transactions.forceMove(
            record, dispute: dispute, old: old, new: new, moverSignature: sign(new), program: app.program, maxSteps: app.maxSteps)
        _ = try await publish(transaction)
        return status(of: try self.record(id))
    }

    /// The state the open dispute carries: our latest co-signed one, or a forced one the guard read from layer 1.
    func disputedState(of record: ChannelRecord) -> ChannelState? {
        guard let dispute = record.dispute else { return nil }
        if let latest = latest[record.id], latest.state.hash(network: params.networkID) == dispute.stateHash { return latest.state }
        return guardedStates[record.id].flatMap { $0.hash(network: params.networkID) == dispute.stateHash ? $0 : nil }
    }
}

import EmberCore
import EmberLayer2

/// The Truebit lock body of an output a builder is given, or the error naming what it should have been.
extension CovenantTransactionRequest.ReadOutput {
    func truebitTask() throws(TruebitTransactionError) -> TruebitTaskLock { try body("truebitTask", \.truebitTask) }
    func truebitCommit() throws(TruebitTransactionError) -> TruebitCommitLock { try body("truebitCommit", \.truebitCommit) }
    func truebitSolution() throws(TruebitTransactionError) -> TruebitSolutionLock { try body("truebitSolution", \.truebitSolution) }
    func truebitGame() throws(TruebitTransactionError) -> TruebitGameLock { try body("truebitGame", \.truebitGame) }

    /// Checks that the output has lock tag `tag` (`name` in the error).
    func requireTag(_ tag: UInt8, _ name: String) throws(TruebitTransactionError) {
        guard unspent.output.lock.tag == tag else { throw .notThe(name, outpoint) }
    }

    private func body<Body>(_ name: String, _ extract: KeyPath<Lock, Body?>) throws(TruebitTransactionError) -> Body {
        guard let body = unspent.output.lock[keyPath: extract] else { throw .notThe(name, outpoint) }
        return body
    }
}

// File-private, so that other files of this target may declare views of a lock of their own without a clash.
extension Lock {
    fileprivate var truebitTask: TruebitTaskLock? { if case .truebitTask(let body) = self { body } else { nil } }
    fileprivate var truebitCommit: TruebitCommitLock? { if case .truebitCommit(let body) = self { body } else { nil } }
    fileprivate var truebitSolution: TruebitSolutionLock? { if case .truebitSolution(let body) = self { body } else { nil } }
    fileprivate var truebitGame: TruebitGameLock? { if case .truebitGame(let body) = self { body } else { nil } }
}

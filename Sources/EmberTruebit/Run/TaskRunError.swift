import EmberCrypto
import EmberVM

/// Why a task's run cannot be made or cannot answer a question; phrased for the person running a daemon.
public enum TaskRunError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The program blob does not load under the consensus loader (a post would have been refused).
    case programRejected(ConsensusProgramRejection)
    /// The input does not fit the machine's input window.
    case inputRejected(ProgramError)
    /// The program and input load to another initial state than the task names.
    case initialStateMismatch(task: Hash32, computed: Hash32)
    /// maxSteps is 0, so there is nothing to run.
    case noSteps
    /// A state past maxSteps of a run that had not stopped by then: no game over the task can ask for it.
    case beyondRun(index: UInt64, maxSteps: UInt64)
    /// The range of a game cannot be cut into parts (one step or none).
    case notBisectable(lo: UInt64, hi: UInt64)

    public var description: String {
        switch self {
        case .programRejected(let rejection): "the program does not load under the consensus loader: \(rejection)"
        case .inputRejected(let error): "the input cannot be mapped: \(error)"
        case .initialStateMismatch(let task, let computed):
            "the program and input give the initial state \(computed.hex), but the task names \(task.hex)"
        case .noSteps: "the task allows no step"
        case .beyondRun(let index, let maxSteps): "state \(index) lies past the task's \(maxSteps) steps, which the run did not stop within"
        case .notBisectable(let lo, let hi): "the range [\(lo), \(hi)] has no bisection points"
        }
    }
}

/// Why the operator's listener did not start.
public enum OperatorServerError: Error, Hashable, Sendable, CustomStringConvertible {
    case stoppedBeforeListening(host: String, port: Int)

    public var description: String {
        switch self {
        case .stoppedBeforeListening(let host, let port): "the operator's HTTP listener on \(host):\(port) stopped before it listened"
        }
    }
}

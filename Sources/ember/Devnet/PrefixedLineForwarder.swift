import Foundation
import Synchronization

/// Copies a child process's output to ours a whole line at a time, each line prefixed, so the lines of
/// several children interleave but never mix within a line.
final class PrefixedLineForwarder: Sendable {
    private let prefix: Data
    private let destination: FileHandle
    /// Bytes after the last newline, waiting for the rest of their line.
    private let partialLine = Mutex(Data())
    private let streams: OpenOutputStreams

    private init(prefix: String, destination: FileHandle, streams: OpenOutputStreams) {
        self.prefix = Data(prefix.utf8)
        self.destination = destination
        self.streams = streams
    }

    /// A pipe for a child's output whose lines reach `destination` with `prefix`; `streams` counts it
    /// open until the child's end closes.
    static func pipe(prefix: String, to destination: FileHandle, streams: OpenOutputStreams) -> Pipe {
        let pipe = Pipe()
        let forwarder = PrefixedLineForwarder(prefix: prefix, destination: destination, streams: streams)
        streams.opened()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                forwarder.finish()
            } else {
                forwarder.receive(data)
            }
        }
        return pipe
    }

    private func receive(_ data: Data) {
        let lines: Data? = partialLine.withLock { partial in
            partial.append(data)
            guard let lastNewline = partial.lastIndex(of: UInt8(ascii: "\n")) else { return nil }
            let complete = partial[partial.startIndex...lastNewline]
            partial = Data(partial[partial.index(after: lastNewline)...])
            return complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
                .reduce(into: Data()) { $0 += prefix + $1 + [UInt8(ascii: "\n")] }
        }
        if let lines { destination.write(lines) }
    }

    /// Writes a last line that had no newline, and counts this stream closed.
    private func finish() {
        let rest = partialLine.withLock { partial in
            defer { partial = Data() }
            return partial
        }
        if !rest.isEmpty { destination.write(prefix + rest + [UInt8(ascii: "\n")]) }
        streams.closed()
    }
}

/// How many forwarded output streams are still open, so the launcher can let the last lines through
/// before it exits.
final class OpenOutputStreams: Sendable {
    private let count = Mutex(0)

    func opened() { count.withLock { $0 += 1 } }
    func closed() { count.withLock { $0 -= 1 } }
    var allClosed: Bool { count.withLock { $0 == 0 } }
}

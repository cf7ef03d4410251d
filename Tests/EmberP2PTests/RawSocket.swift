#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A plain TCP client for hostile-peer tests: it sends whatever bytes a test chooses, from a chosen
/// loopback source address (any of 127.0.0.0/8 reaches the node), so a ban on it leaves 127.0.0.1 free.
final class RawSocket: Sendable {
    let descriptor: Int32

    init(connectingTo port: Int, from sourceHost: String = "127.0.0.1") throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed") }
        var source = sockaddr_in()
        source.sin_family = sa_family_t(AF_INET)
        source.sin_port = 0
        inet_pton(AF_INET, sourceHost, &source.sin_addr)
        let bound = withUnsafePointer(to: &source) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { close(descriptor); throw TestFailure("bind to \(sourceHost) failed") }
        var destination = sockaddr_in()
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &destination.sin_addr)
        let connected = withUnsafePointer(to: &destination) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(descriptor); throw TestFailure("connect to port \(port) failed") }
    }

    /// An already connected socket (one a `RawListener` accepted).
    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// `send` on a thread of its own: a large write blocks until the node reads it, and blocking a
    /// thread of the concurrency pool would slow the node under test, which shares it.
    func sendOnThread(_ bytes: [UInt8]) async -> Bool {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.send(bytes)) }
            thread.start()
        }
    }

    /// Writes all of `bytes`; false when the connection is already closed.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Reads what arrives until the node closes the connection or `seconds` pass; `closed` tells which.
    /// It polls without blocking, so the test's thread stays free for the node it talks to.
    func readUntilClosed(seconds: Double) async -> (bytes: [UInt8], closed: Bool) {
        var received = [UInt8]()
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 { return (received, true) }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                    try? await Task.sleep(for: .milliseconds(20))
                    continue
                }
                return (received, true)
            }
            received.append(contentsOf: buffer[0..<count])
        }
        return (received, false)
    }
}

extension RawSocket {
    /// Every frame (command, payload) that arrives within `seconds`.
    func frames(seconds: Double) async -> [(command: UInt8, payload: [UInt8])] {
        var buffer = await readUntilClosed(seconds: seconds).bytes[...]
        var frames = [(command: UInt8, payload: [UInt8])]()
        while buffer.count >= 13 {
            let start = buffer.startIndex
            let length = buffer[(start + 5)..<(start + 9)].reduce(0) { $0 << 8 | Int($1) }
            guard buffer.count >= 13 + length else { break }
            frames.append((buffer[start + 4], Array(buffer[(start + 13)..<(start + 13 + length)])))
            buffer = buffer.dropFirst(13 + length)
        }
        return frames
    }

    /// Reads frames until one with `command` arrives (its payload), or `seconds` pass (nil).
    func awaitFrame(command: UInt8, seconds: Double) async -> [UInt8]? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            while buffer.count >= 13 {
                let length = buffer[5..<9].reduce(0) { $0 << 8 | Int($1) }
                guard buffer.count >= 13 + length else { break }
                let frameCommand = buffer[4]
                let payload = Array(buffer[13..<(13 + length)])
                buffer.removeFirst(13 + length)
                if frameCommand == command { return payload }
            }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                return nil
            } else {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        return nil
    }
}

/// A listening socket on a chosen loopback address, for tests where the node dials a hostile peer.
final class RawListener {
    let descriptor: Int32
    let port: Int

    init(host: String) throws {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listening >= 0 else { throw TestFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listening, 16) == 0 else { close(listening); throw TestFailure("cannot listen on \(host)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) }
        }
        _ = fcntl(listening, F_SETFL, fcntl(listening, F_GETFL) | O_NONBLOCK)
        descriptor = listening
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    /// The next connection, or nil when none comes within `seconds`; polls without blocking.
    func accept(seconds: Double) async -> RawSocket? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let accepted = Glibc.accept(descriptor, nil, nil)
            if accepted >= 0 {
                _ = fcntl(accepted, F_SETFL, fcntl(accepted, F_GETFL) & ~O_NONBLOCK)
                return RawSocket(descriptor: accepted)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

/// The resident memory of this process, in bytes (Linux).
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

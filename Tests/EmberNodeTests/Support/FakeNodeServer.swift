import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for a node's REST API: a plain HTTP/1.1 server on 127.0.0.1 that answers every request
/// from a handler, one connection at a time, so `NodeClient` is tested over a real socket.
final class FakeNodeServer: Sendable {
    struct Request: Sendable {
        let method: String
        let path: String
        let body: Data
    }

    struct Reply: Sendable {
        let status: Int
        let body: Data

        static func json(_ text: String, status: Int = 200) -> Reply { Reply(status: status, body: Data(text.utf8)) }
    }

    enum SetupError: Error { case socket(String) }

    let port: UInt16
    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let requests = Mutex<[Request]>([])

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var receivedRequests: [Request] { requests.withLock { $0 } }

    init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw SetupError.socket("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw SetupError.socket("bind/listen: \(errno)")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    /// Stops accepting; the serving thread ends at its next `accept`.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            if let request = Self.readRequest(connection) {
                requests.withLock { $0.append(request) }
                Self.write(handler(request), to: connection)
            }
            close(connection)
        }
    }

    private static func readRequest(_ connection: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let separator = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            if headerEnd == nil, let end = buffer.firstRange(of: separator)?.upperBound {
                headerEnd = end
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let headerEnd, buffer.count >= headerEnd + contentLength {
                let head = String(decoding: buffer[..<headerEnd], as: UTF8.self)
                let requestLine = head.split(separator: "\r\n").first?.split(separator: " ") ?? []
                guard requestLine.count >= 2 else { return nil }
                return Request(
                    method: String(requestLine[0]), path: String(requestLine[1]),
                    body: Data(buffer[headerEnd..<(headerEnd + contentLength)]))
            }
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }

    private static func write(_ reply: Reply, to connection: Int32) {
        let head = "HTTP/1.1 \(reply.status) Reply\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(reply.body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + Array(reply.body)
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a client that hangs up early must not kill the test process with SIGPIPE.
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }
}

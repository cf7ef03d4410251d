import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free TCP ports on 127.0.0.1 for tests that start servers, so parallel suites never collide.
public enum PortAllocator {
    /// A port the kernel just handed out and released; free unless another process grabs it at once.
    public static func freePort() throws -> Int {
        guard let port = bindAndRelease(port: 0) else { throw POSIXError(.EADDRINUSE) }
        return port
    }

    /// Whether `port` can be bound on 127.0.0.1 right now, for servers whose ports follow a pattern
    /// (a cluster's node i on base + 10·i).
    public static func isFree(_ port: Int) -> Bool {
        (1...65_535).contains(port) && bindAndRelease(port: port) == port
    }

    /// Runs `body` with a port of 127.0.0.1 that is bound but never listened on: a connection to it is
    /// refused, and no other test can take the port meanwhile (as one freed by `freePort` could be).
    public static func withRefusingPort<Result>(_ body: (Int) async throws -> Result) async throws -> Result {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(socketDescriptor) }
        guard let port = bind(socketDescriptor, port: 0) else { throw POSIXError(.EADDRINUSE) }
        return try await body(port)
    }

    /// Binds a socket to `port` (0: any), returns the port it got and closes it; nil when binding fails.
    private static func bindAndRelease(port: Int) -> Int? {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return nil }
        defer { close(socketDescriptor) }
        return bind(socketDescriptor, port: port)
    }

    /// Binds `socketDescriptor` to `port` (0: any) of 127.0.0.1; the port it got, or nil.
    private static func bind(_ socketDescriptor: Int32, port: Int) -> Int? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

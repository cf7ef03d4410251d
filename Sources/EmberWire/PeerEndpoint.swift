import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A peer's `HOST:PORT`, where the host is an IPv4 address, `localhost` or a bracketed IPv6 address
/// (`[::1]:9270`). Names other than `localhost` are refused: resolving them would let whoever answers
/// DNS choose the node's peers.
public struct PeerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The address or `localhost`, without brackets.
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// What a person should write, for error messages.
    public static let expectedForm = "HOST:PORT with an IPv4 address, localhost or [IPv6] and a port 1…65535"

    /// Parses `HOST:PORT`; nil when either part is malformed.
    public init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
            guard Self.isIPv6Address(String(hostPart)) else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            guard hostPart == "localhost" || Self.isIPv4Address(String(hostPart)) else { return nil }
        }
        guard portPart.count <= 5, portPart.allSatisfy(\.isASCIIDigit), let port = Int(portPart), (1...65_535).contains(port) else {
            return nil
        }
        host = String(hostPart)
        self.port = port
    }

    /// `HOST:PORT`, with an IPv6 host in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether `text` is an IPv4 or IPv6 address (no brackets, no port), as bans need.
    public static func isIPAddress(_ text: String) -> Bool { isIPv4Address(text) || isIPv6Address(text) }

    private static func isIPv4Address(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private static func isIPv6Address(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}

private extension Character {
    /// Only 0…9: `Int` alone would also take a sign, as in `+80`.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

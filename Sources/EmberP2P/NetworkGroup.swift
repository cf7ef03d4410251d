#if canImport(Glibc)
import Glibc
#endif

/// The range an address belongs to for connection limits and eviction: an IPv4 /16 or an IPv6 /32,
/// as Bitcoin Core groups them, since one operator usually holds addresses in one range. An IPv6
/// address that maps an IPv4 one groups as that IPv4 address.
struct NetworkGroup: Hashable, Sendable, CustomStringConvertible {
    let prefix: [UInt8]

    init(host: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            let bytes = withUnsafeBytes(of: &v4) { Array($0) }
            prefix = [4] + bytes.prefix(2)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                prefix = [4] + bytes[12..<14]
            } else {
                prefix = [6] + bytes.prefix(4)
            }
            return
        }
        // Not an address (a Unix socket, "unknown"): its own group.
        prefix = [0] + Array(host.utf8)
    }

    var description: String { prefix.map(String.init).joined(separator: ".") }
}

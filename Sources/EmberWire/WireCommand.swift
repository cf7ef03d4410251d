/// The one-byte command code in a frame header; it says how to decode the payload (docs/wire.md).
public enum WireCommand: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case version = 0
    case verack = 1
    case ping = 2
    case pong = 3
    case getHeaders = 4
    case headers = 5
    case inventory = 6
    case getData = 7
    case block = 8
    case transaction = 9
    case notFound = 10
    case getAddr = 11
    case addr = 12

    /// The short name used in logs and docs/wire.md, such as `getheaders`.
    public var description: String {
        switch self {
        case .version: "version"
        case .verack: "verack"
        case .ping: "ping"
        case .pong: "pong"
        case .getHeaders: "getheaders"
        case .headers: "headers"
        case .inventory: "inv"
        case .getData: "getdata"
        case .block: "block"
        case .transaction: "tx"
        case .notFound: "notfound"
        case .getAddr: "getaddr"
        case .addr: "addr"
        }
    }
}

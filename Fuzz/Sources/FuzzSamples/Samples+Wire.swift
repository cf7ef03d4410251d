import EmberCore
import EmberCrypto
import EmberWire

extension Samples {
    /// One message of every command, and a command this node does not know.
    public static var wireMessages: [WireMessage] {
        let header = block().header
        let items = [InventoryItem(kind: .block, hash: hash(4)), InventoryItem(kind: .transaction, hash: hash(5))]
        let transactions = Samples.transactions
        return [
            .version(
                VersionMessage(
                    network: .devnet, genesisHash: hash(6), bestHeight: 42, cumulativeWork: [1, 0, 0], nonce: 0xfeed,
                    userAgent: Array("/ember:0.2/".utf8))),
            .verack,
            .ping(PingMessage(nonce: 1)),
            .pong(PongMessage(nonce: 2)),
            .getHeaders(GetHeadersMessage(locator: [hash(7), hash(8)], stopHash: hash(9))),
            .headers(HeadersMessage(headers: [header, header])),
            .inventory(InventoryMessage(items: items)),
            .getData(GetDataMessage(items: items)),
            .block(BlockMessage(block: block(transactions: Array(transactions.prefix(2))))),
            .transaction(TransactionMessage(transaction: transactions[0])),
            .transaction(TransactionMessage(transaction: transactions[2])),
            .notFound(NotFoundMessage(items: items)),
            .getAddr,
            .addr(
                AddrMessage(addresses: [
                    PeerAddress(ipv4: (127, 0, 0, 1), port: 18_444, lastSeen: 1_767_225_600),
                    PeerAddress(ipBytes: [UInt8](repeating: 0x20, count: 16), port: 8_333, lastSeen: 1)!,
                ])),
            .unknown(command: 200, payload: [1, 2, 3]),
        ]
    }
}

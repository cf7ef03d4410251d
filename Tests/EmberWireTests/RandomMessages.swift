import EmberCore
import EmberCrypto
import EmberTestSupport
import EmberWire

/// Random wire messages of every kind, within their limits, for round-trip and decoder tests.
enum RandomMessages {
    static func inventoryItems(count: Int, using generator: inout SeededGenerator) -> [InventoryItem] {
        (0..<count).map { _ in
            InventoryItem(
                kind: InventoryItem.Kind.allCases.randomElement(using: &generator) ?? .block,
                hash: RandomValues.hash32(using: &generator)
            )
        }
    }

    static func peerAddress(using generator: inout SeededGenerator) -> PeerAddress {
        let lastSeen = generator.next()
        let port = UInt16.random(in: .min ... .max, using: &generator)
        if Bool.random(using: &generator) {
            let octets = RandomValues.bytes(count: 4, using: &generator)
            return PeerAddress(ipv4: (octets[0], octets[1], octets[2], octets[3]), port: port, lastSeen: lastSeen)
        }
        let ipBytes = RandomValues.bytes(count: 16, using: &generator)
        return PeerAddress(ipBytes: ipBytes, port: port, lastSeen: lastSeen)
            ?? PeerAddress(ipv4: (127, 0, 0, 1), port: port, lastSeen: lastSeen)
    }

    static func version(using generator: inout SeededGenerator) -> VersionMessage {
        VersionMessage(
            protocolVersion: UInt32.random(in: .min ... .max, using: &generator),
            network: NetworkID.allCases.randomElement(using: &generator) ?? .devnet,
            genesisHash: RandomValues.hash32(using: &generator),
            bestHeight: generator.next(),
            cumulativeWork: RandomValues.byteString(
                lengths: 0...VersionMessage.maxCumulativeWorkSize,
                using: &generator
            ),
            nonce: generator.next(),
            userAgent: RandomValues.byteString(lengths: 0...VersionMessage.maxUserAgentSize, using: &generator)
        )
    }

    static func inventoryItems(using generator: inout SeededGenerator) -> [InventoryItem] {
        inventoryItems(count: Int.random(in: 0...6, using: &generator), using: &generator)
    }

    /// One random message of each command, in `WireCommand` order.
    static func oneOfEach(using generator: inout SeededGenerator) -> [WireMessage] {
        let small = 0...6
        return [
            .version(version(using: &generator)),
            .verack,
            .ping(PingMessage(nonce: generator.next())),
            .pong(PongMessage(nonce: generator.next())),
            .getHeaders(
                GetHeadersMessage(
                    locator: (0..<Int.random(in: 0...GetHeadersMessage.maxLocatorHashes, using: &generator)).map { _ in
                        RandomValues.hash32(using: &generator)
                    },
                    stopHash: RandomValues.hash32(using: &generator)
                )
            ),
            .headers(
                HeadersMessage(
                    headers: (0..<Int.random(in: small, using: &generator)).map { _ in
                        RandomValues.blockHeader(using: &generator)
                    }
                )
            ),
            .inventory(InventoryMessage(items: inventoryItems(using: &generator))),
            .getData(GetDataMessage(items: inventoryItems(using: &generator))),
            .block(BlockMessage(block: RandomValues.block(using: &generator))),
            .transaction(TransactionMessage(transaction: RandomValues.transaction(using: &generator))),
            .notFound(NotFoundMessage(items: inventoryItems(using: &generator))),
            .getAddr,
            .addr(
                AddrMessage(
                    addresses: (0..<Int.random(in: small, using: &generator)).map { _ in
                        peerAddress(using: &generator)
                    }
                )
            ),
        ]
    }
}

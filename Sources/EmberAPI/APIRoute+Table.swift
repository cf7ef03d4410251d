import EmberCore
import EmberCrypto
import Hummingbird

extension APIRoute {
    /// Bounds a POSTed transaction: the hex of the largest one (2 × 1 MiB, blobs included: a Truebit post
    /// carries its program and input) plus JSON framing.
    static let maxTransactionBody = 2 * Transaction.maxSize + 4 * 1_024
    /// Bounds a POSTed block: its hex (2 × 4 MiB) plus JSON framing.
    static let maxBlockBody = 9 * 1_024 * 1_024

    /// Every route of the API. The router registers from this table, the API-key middleware reads
    /// its protection from it and the OpenAPI document is written from it, so adding a route here is
    /// the whole change (with a `NodeBackend` method when it needs something new from the node).
    public static let all: [APIRoute] = chainRoutes + explorerRoutes + peerRoutes + serviceRoutes

    private static let chainRoutes: [APIRoute] = [
        .json(.get, "/v1/info", "Network, tip, difficulty, hash rate, PoLW state and supply") { request in
            try await request.backend.info()
        },
        .json(.get, "/v1/blocks/{hash}", "A block by hash") { request in
            let hash = try request.parameter(PathParameters.hash)
            guard let block = try await request.backend.block(hash: hash) else { throw APIError.notFound("no block \(hash)") }
            return block
        },
        .json(.get, "/v1/blocks/height/{height}", "The active chain's block at a height") { request in
            let height = try request.parameter(PathParameters.height)
            guard let block = try await request.backend.block(height: height) else {
                throw APIError.notFound("no active block at height \(height)")
            }
            return block
        },
        .json(.get, "/v1/transactions/{txid}", "A confirmed or mempool transaction") { request in
            let txid = try request.parameter(PathParameters.txid)
            guard let transaction = try await request.backend.transaction(txid: txid) else { throw APIError.notFound("no transaction \(txid)") }
            return transaction
        },
        .json(
            .post, "/v1/transactions", "Submit a signed transaction (hex)", body: Body(type: HexBody.self, limit: maxTransactionBody),
            isProtected: true
        ) { request in
            let bytes = try await request.body(HexBody.self).bytes()
            let transaction = try APIError.decoding("transaction") { try Transaction.decode(from: bytes, limit: Transaction.maxSize) }
            return SubmittedTransactionView(txid: try await request.backend.submit(transaction).hex)
        },
        .json(.get, "/v1/addresses/{address}/balance", "Confirmed balance of an address") { request in
            try await request.backend.balance(of: try request.parameter(PathParameters.address))
        },
        .json(.get, "/v1/addresses/{address}/outputs", "Confirmed unspent outputs of an address", takesLimit: true) { request in
            let address = try request.parameter(PathParameters.address)
            let outputs = try await request.backend.outputs(of: address, limit: try request.limit())
            return OutputsView(address: address.string, outputs: outputs)
        },
        .json(.get, "/v1/addresses/{address}/history", "Confirmed transactions touching an address, newest first", takesLimit: true) { request in
            let address = try request.parameter(PathParameters.address)
            let entries = try await request.backend.history(of: address, limit: try request.limit())
            return HistoryView(address: address.string, entries: entries)
        },
        .json(
            .get, "/v1/locks/{lock}/outputs", "Confirmed unspent outputs under exactly one lock (its canonical encoding in hex)",
            takesLimit: true
        ) { request in
            let lock = try request.parameter(PathParameters.lock)
            let outputs = try await request.backend.outputs(lockedBy: lock, limit: try request.limit())
            return LockOutputsView(lock: lock, network: request.backend.network, outputs: outputs)
        },
        .json(.get, "/v1/blobs/{hash}", "A blob published on the active chain, by its hash") { request in
            let hash = try request.parameter(PathParameters.hash)
            guard let blob = try await request.backend.blob(hash: hash) else { throw APIError.notFound("no blob \(hash) on the active chain") }
            return blob
        },
        .json(.get, "/v1/mempool", "Transactions waiting to be mined, by fee rate") { request in
            try await request.backend.mempool()
        },
        .json(.get, "/v1/mining/template", "A block template for an external miner", isProtected: true, mayBeUnavailable: true) { request in
            try await request.backend.miningTemplate()
        },
        .json(
            .post, "/v1/mining/submit", "Submit a solved block (hex)", body: Body(type: HexBody.self, limit: maxBlockBody), isProtected: true
        ) { request in
            let bytes = try await request.body(HexBody.self).bytes()
            let block = try APIError.decoding("block") { try Block.decode(from: bytes, limit: Block.maxSize) }
            return try await request.backend.submit(block)
        },
    ]

    private static let serviceRoutes: [APIRoute] = [
        APIRoute(.get, "/v1/openapi.json", "This document", answer: .openAPI) { _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
        },
        APIRoute(.get, "/metrics", "Prometheus metrics (text format)", answer: .text(contentType: PrometheusText.contentType)) { request in
            let text = PrometheusText.render(try await request.backend.metrics(), apiRequests: request.servedRequests.count)
            return Response(
                status: .ok, headers: [.contentType: PrometheusText.contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
        },
    ]
}

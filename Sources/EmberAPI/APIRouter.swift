import EmberCore
import EmberCrypto
import Foundation
import Hummingbird

/// Builds the API's router over a node backend.
public enum APIRouter {
    /// Bounds a POSTed transaction: its hex (2 × 100 000) plus JSON framing.
    static let maxTransactionBody = 256 * 1_024
    /// Bounds a POSTed block: its hex (2 × 4 MiB) plus JSON framing.
    static let maxBlockBody = 9 * 1_024 * 1_024
    /// Bounds the lock a `/v1/locks/{lock}` path makes the node decode; every lock body is far smaller.
    static let maxLockSize = 4_096
    static let defaultListLimit = 100
    static let maxListLimit = 1_000

    /// The router; with `apiKey`, wallet and mining routes require it (set it whenever the API listens
    /// beyond loopback).
    public static func make(backend: some NodeBackend, apiKey: String?) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        if let apiKey { router.add(middleware: APIKeyMiddleware(key: apiKey)) }
        for route in APIRoute.all {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in
                try await handle(route, request: request, context: context, backend: backend)
            }
        }
        return router
    }

    private static func handle(
        _ route: APIRoute, request: Request, context: BasicRequestContext, backend: some NodeBackend
    ) async throws -> Response {
        switch route.path {
        case "/v1/info":
            return try json(await backend.info())
        case "/v1/blocks/{hash}":
            let hash = try hashParameter("hash", context)
            guard let block = try await backend.block(hash: hash) else { throw APIError.notFound("no block \(hash)") }
            return try json(block)
        case "/v1/blocks/height/{height}":
            guard let text = context.parameters.get("height"), let height = UInt64(text) else {
                throw APIError.badRequest("height must be a whole number")
            }
            guard let block = try await backend.block(height: height) else { throw APIError.notFound("no active block at height \(height)") }
            return try json(block)
        case "/v1/transactions/{txid}":
            let txid = try hashParameter("txid", context)
            guard let transaction = try await backend.transaction(txid: txid) else { throw APIError.notFound("no transaction \(txid)") }
            return try json(transaction)
        case "/v1/transactions":
            let bytes = try await hexBody(request, limit: maxTransactionBody)
            let transaction: Transaction
            do {
                transaction = try Transaction.decode(from: bytes, limit: Transaction.maxSize)
            } catch {
                throw APIError.badRequest("malformed transaction: \(error)")
            }
            return try json(SubmittedTransactionView(txid: try await backend.submit(transaction).hex))
        case "/v1/addresses/{address}/balance":
            return try json(await backend.balance(of: try addressParameter(context, network: backend.network)))
        case "/v1/addresses/{address}/outputs":
            let address = try addressParameter(context, network: backend.network)
            let outputs = try await backend.outputs(of: address, limit: try limit(request))
            return try json(OutputsView(address: address.string, outputs: outputs))
        case "/v1/addresses/{address}/history":
            let address = try addressParameter(context, network: backend.network)
            let entries = try await backend.history(of: address, limit: try limit(request))
            return try json(HistoryView(address: address.string, entries: entries))
        case "/v1/locks/{lock}/outputs":
            let lock = try lockParameter(context)
            let outputs = try await backend.outputs(lockedBy: lock, limit: try limit(request))
            return try json(LockOutputsView(lock: lock, network: backend.network, outputs: outputs))
        case "/v1/blobs/{hash}":
            let hash = try hashParameter("hash", context)
            guard let blob = try await backend.blob(hash: hash) else { throw APIError.notFound("no blob \(hash) on the active chain") }
            return try json(blob)
        case "/v1/mempool":
            return try json(await backend.mempool())
        case "/v1/mining/template":
            return try json(await backend.miningTemplate())
        case "/v1/mining/submit":
            let bytes = try await hexBody(request, limit: maxBlockBody)
            let block: Block
            do {
                block = try Block.decode(from: bytes, limit: Block.maxSize)
            } catch {
                throw APIError.badRequest("malformed block: \(error)")
            }
            return try json(await backend.submit(block))
        case "/v1/peers", "/v1/peers/{id}", "/v1/bans", "/v1/bans/{host}":
            return try await handlePeerRoute(route, request: request, context: context, peers: backend.peerAdministration)
        case "/v1/openapi.json":
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
        case "/metrics":
            let text = PrometheusText.render(try await backend.metrics())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
        default:
            throw APIError.notFound("no handler for \(route.path)")
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func hashParameter(_ name: String, _ context: BasicRequestContext) throws -> Hash32 {
        guard let text = context.parameters.get(name), let hash = Hash32(hex: text) else {
            throw APIError.badRequest("\(name) must be 64 hex digits")
        }
        return hash
    }

    private static func addressParameter(_ context: BasicRequestContext, network: NetworkID) throws -> Address {
        guard let text = context.parameters.get("address") else { throw APIError.badRequest("missing address") }
        do {
            return try Address.parse(text, expecting: network)
        } catch {
            throw APIError.badRequest("\(error)")
        }
    }

    /// The `{lock}` path parameter: a lock's canonical encoding (tag byte, then body) in hex.
    private static func lockParameter(_ context: BasicRequestContext) throws -> Lock {
        guard let text = context.parameters.get("lock"), let bytes = [UInt8](hexString: text), !bytes.isEmpty else {
            throw APIError.badRequest("lock must be a lock's canonical encoding in hex (an even number of hex digits)")
        }
        do {
            return try Lock.decode(from: bytes, limit: maxLockSize)
        } catch {
            throw APIError.badRequest("malformed lock: \(error)")
        }
    }

    private static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return defaultListLimit }
        guard let value = Int(text), (1...maxListLimit).contains(value) else {
            throw APIError.badRequest("limit must be a whole number from 1 to \(maxListLimit)")
        }
        return value
    }

    /// The bytes of a `{"hex": "..."}` body, read with a size limit.
    private static func hexBody(_ request: Request, limit: Int) async throws -> [UInt8] {
        let body = try await jsonBody(HexBody.self, from: request, limit: limit, shape: "{\"hex\": \"...\"}")
        guard let bytes = [UInt8](hexString: body.hex) else { throw APIError.badRequest("hex must be an even number of hex digits") }
        return bytes
    }

    /// A JSON body read with a size limit, so a client cannot make the node buffer without end;
    /// `shape` shows a person what was expected when it does not decode.
    static func jsonBody<Body: Decodable>(_ type: Body.Type, from request: Request, limit: Int, shape: String) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "too large", detail: "the body exceeds \(limit) bytes")
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView)) else {
            throw APIError.badRequest("the body must be JSON \(shape)")
        }
        return body
    }
}

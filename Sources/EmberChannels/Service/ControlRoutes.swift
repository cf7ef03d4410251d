import EmberCore
import EmberCrypto
import EmberNode
import Foundation
import Hummingbird
import NIOCore

/// The control API's routes: JSON in and out, errors as `{"error": "..."}` with a status that says whose
/// fault it is (400 a bad request, 404 an unknown channel, 409 a peer that refused or is away, 502 the node).
struct ControlRoutes: Sendable {
    let service: ChannelService

    func add(to router: Router<BasicRequestContext>) {
        let service = self.service
        router.get("/v1/channels") { _, _ in try Self.json(await service.channels()) }
        router.get("/v1/channels/:id") { _, context in
            try await Self.answer { () async throws in
                try await service.status(of: try await service.resolve(context.parameters.get("id") ?? ""))
            }
        }
        router.get("/v1/channels/:id/state") { _, context in
            try await Self.answer { () async throws in
                let state = try await service.latestState(of: try await service.resolve(context.parameters.get("id") ?? ""))
                return ["coSignedState": state.encoded.hexString]
            }
        }
        router.post("/v1/channels") { request, _ in
            let body = try await Self.body(OpenChannelRequest.self, request)
            return try await Self.answer { () async throws in
                let amount = try Self.amount(body.amount)
                let peerAmount = try body.peerAmount.map { try Self.amount($0) } ?? .zero
                let record = try await service.open(
                    peerURL: body.peer, amount: amount, peerAmount: peerAmount, window: body.window, app: body.app ?? "payments")
                if body.waitForConfirmation ?? true { try await service.waitForFunding(record.id) }
                return try await service.status(of: record.id)
            }
        }
        router.post("/v1/channels/:id/pay") { request, context in
            let body = try await Self.body(PayRequest.self, request)
            return try await Self.answer { () async throws in
                let id = try await service.resolve(context.parameters.get("id") ?? "")
                let amount = try Self.amount(body.amount)
                let count = body.count ?? 1
                guard count >= 1, count <= 1_000_000 else { throw ChannelServiceError.protocolViolation("count must be 1 … 1000000") }
                _ = try await service.payMany(id, amount: amount, count: count)
                return try await service.status(of: id)
            }
        }
        router.post("/v1/channels/:id/move") { request, context in
            let body = try await Self.body(MoveRequest.self, request)
            let id = context.parameters.get("id") ?? ""
            return try await Self.answer { () async throws in
                try await service.move(try await service.resolve(id), cell: body.cell, force: body.force ?? false)
            }
        }
        router.post("/v1/channels/:id/dispute") { request, context in
            let body = try await Self.body(DisputeRequest.self, request)
            let id = context.parameters.get("id") ?? ""
            return try await Self.answer { () async throws in
                let state = try body.coSignedState.map { text -> CoSignedState in
                    guard let bytes = [UInt8](hexString: text), let state = try? CoSignedState.decode(from: bytes, limit: 1 << 20) else {
                        throw ChannelServiceError.protocolViolation("coSignedState is not the hex of a co-signed state")
                    }
                    return state
                }
                return PublishedTransaction(txid: try await service.dispute(try await service.resolve(id), with: state).hex)
            }
        }
        router.post("/v1/channels/:id/watch") { request, context in
            let body = try await Self.body(WatchRequest.self, request)
            let id = context.parameters.get("id") ?? ""
            return try await Self.answer { () async throws in
                let resolved = try await service.resolve(id)
                try await service.watch(resolved, tower: body.tower)
                return try await service.status(of: resolved)
            }
        }
        router.post("/v1/channels/:id/close") { _, context in
            try await Self.answer { () async throws in
                let id = try await service.resolve(context.parameters.get("id") ?? "")
                return PublishedTransaction(txid: try await service.close(id).hex)
            }
        }
    }

    static func amount(_ text: String) throws(ChannelServiceError) -> Amount {
        guard let amount = CoinAmount.parseUnits(text) else { throw .protocolViolation("'\(text)' is not an amount in base units") }
        return amount
    }

    static func body<Body: Decodable>(_ type: Body.Type, _ request: Request) async throws -> Body {
        let buffer = try await request.body.collect(upTo: ChannelServer.maxBodySize)
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: "the body is not the JSON this route takes: \(error)")
        }
    }

    /// Runs `body` in a task of its own, not in the HTTP connection's task, so a client that hangs up
    /// does not cancel an update half way (the peer may already hold it).
    static func answer<Value: Encodable & Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Response {
        let value: Value
        do {
            value = try await Task.detached { try await body() }.value
        } catch {
            guard let error = error as? ChannelServiceError else { return try json(ControlError(error: "\(error)"), status: .badRequest) }
            let status: HTTPResponse.Status = switch error {
            case .unknownChannel: .notFound
            case .peerUnreachable, .peerNotConnected, .peerRefused, .timedOut: .conflict
            case .node: .badGateway
            case .store: .internalServerError
            default: .badRequest
            }
            return try json(ControlError(error: error.description), status: status)
        }
        return try json(value)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

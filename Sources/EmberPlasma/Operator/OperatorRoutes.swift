import EmberCore
import EmberCrypto
import Foundation
import Hummingbird
import NIOCore

/// The operator's HTTP routes, each with its handler and its limits (docs/plasma-operator.md, "HTTP
/// API"). JSON out; errors as `{"error": "..."}` with a status that says whose fault it is: 400 a
/// malformed request, 404 no such block or coin, 500 the operator's own store.
///
/// Every path parameter and body is untrusted: each is parsed with its size checked first, and nothing
/// a request holds reaches the store before it parsed.
struct OperatorRoutes: Sendable {
    let service: OperatorService
    /// Blocks one history request covers at most (`OperatorServer.defaultMaxHistoryBlocks`).
    let maxHistoryBlocks: Int
    /// Bounds a block request's answer: 10 000 transactions are 2.7 MB of hex.
    static let maxTransactionsPerPage = 10_000

    func add(to router: Router<BasicRequestContext>) {
        let (service, maxHistoryBlocks) = (self.service, self.maxHistoryBlocks)
        router.post("/v1/plasma/transactions") { request, _ in
            try await Self.answer { () async throws in
                let moves = try await Self.batch(request)
                let verdicts = try await service.submit(moves)
                return OperatorResponses.Submitted(moves: moves, verdicts: verdicts)
            }
        }
        router.get("/v1/plasma/status") { _, _ in
            try await Self.answer { () async throws in OperatorResponses.Status(try await service.status()) }
        }
        router.get("/v1/plasma/blocks/:number") { request, context in
            try await Self.answer { () async throws in
                let number = try Self.blockNumber(context.parameters.get("number"))
                let after = try request.uri.queryParameters.get("after").map { text throws(RouteFailure) in try Self.hash(text, "after") }
                guard let block = try await service.sealedBlock(number) else { throw RouteFailure.notFound("there is no block \(number)") }
                let page = try await service.moves(inBlock: number, after: after, limit: Self.maxTransactionsPerPage)
                return OperatorResponses.Block(
                    number: block.number, root: block.root.hex, sealedAtMs: Int64((block.sealedAt.timeIntervalSince1970 * 1_000).rounded()),
                    transactionCount: block.transactionCount, commitTxid: block.commitTxid?.hex, commitHeight: block.commitHeight,
                    transactions: page.map { $0.encoded.hexString },
                    nextAfter: page.count == Self.maxTransactionsPerPage ? page.last?.coinId.hex : nil,
                    maxTransactionsPerPage: Self.maxTransactionsPerPage)
            }
        }
        router.get("/v1/plasma/blocks/:number/proofs/:coin") { _, context in
            try await Self.answer { () async throws in
                let number = try Self.blockNumber(context.parameters.get("number"))
                let coin = try Self.hash(context.parameters.get("coin") ?? "", "the coin id")
                guard let (block, proof) = try await service.proof(of: coin, inBlock: number) else {
                    throw RouteFailure.notFound("there is no block \(number)")
                }
                return OperatorResponses.Proof(coinId: coin.hex, evidence: OperatorResponses.Evidence(block: block, proof: proof))
            }
        }
        router.get("/v1/plasma/coins/:coin/history") { request, context in
            try await Self.answer { () async throws in
                let coin = try Self.hash(context.parameters.get("coin") ?? "", "the coin id")
                guard let known = try await service.coin(coin) else {
                    throw RouteFailure.notFound("the operator knows no deposit of coin \(coin.hex)")
                }
                let from = try request.uri.queryParameters.get("from").map { text throws(RouteFailure) in try Self.number(text, "from") }
                let page = try await service.history(of: coin, from: from ?? known.firstBlock, maxBlocks: maxHistoryBlocks)
                return OperatorResponses.History(
                    coinId: coin.hex, from: page.from, latestBlock: page.latestBlock, maxBlocksPerRequest: maxHistoryBlocks,
                    next: page.next, entries: page.entries.map { OperatorResponses.Evidence(block: $0.block, proof: $0.proof) })
            }
        }
    }

    // MARK: - Parsing untrusted input

    /// A request the operator refuses, with its status.
    enum RouteFailure: Error {
        case badRequest(String)
        case notFound(String)
    }

    /// The body's child transactions; a declared or actual length over the limit is refused before
    /// more than the limit is read.
    static func batch(_ request: Request) async throws -> [ChildTransaction] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > ChildTransactionBatch.maxByteCount {
            throw RouteFailure.badRequest(ChildTransactionBatch.Refusal.tooMany(byteCount: declared).description)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: ChildTransactionBatch.maxByteCount)
        } catch is NIOTooManyBytesError {
            throw RouteFailure.badRequest(
                "the body is over \(ChildTransactionBatch.maxByteCount) bytes (\(ChildTransactionBatch.maxCount) child transactions); split it into several requests")
        }
        do {
            return try ChildTransactionBatch.decode(Array(buffer.readableBytesView))
        } catch {
            throw RouteFailure.badRequest(error.description)
        }
    }

    /// A block number of a path: decimal, 1 … 2^63 − 1 (no larger number is ever sealed).
    static func blockNumber(_ text: String?) throws(RouteFailure) -> UInt64 {
        let number = try number(text ?? "", "the block number")
        guard number >= 1 else { throw .notFound("child blocks are numbered from 1; 0 stands for the deposit") }
        return number
    }

    static func number(_ text: String, _ what: String) throws(RouteFailure) -> UInt64 {
        guard text.utf8.count <= 20, let number = UInt64(text), number <= UInt64(Int64.max) else {
            throw .badRequest("\(what) must be a decimal number below 2^63, not '\(text.prefix(40))'")
        }
        return number
    }

    static func hash(_ text: String, _ what: String) throws(RouteFailure) -> Hash32 {
        guard text.utf8.count == 2 * Hash32.byteCount, let hash = Hash32(hex: text) else {
            throw .badRequest("\(what) must be 64 hexadecimal digits, not '\(text.prefix(80))'")
        }
        return hash
    }

    // MARK: - Answers

    static func answer<Value: Encodable & Sendable>(_ body: @Sendable () async throws -> Value) async throws -> Response {
        do {
            return try json(try await body())
        } catch let failure as RouteFailure {
            switch failure {
            case .badRequest(let message): return try json(OperatorResponses.Failure(error: message), status: .badRequest)
            case .notFound(let message): return try json(OperatorResponses.Failure(error: message), status: .notFound)
            }
        } catch {
            return try json(OperatorResponses.Failure(error: "\(error)"), status: .internalServerError)
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import Foundation
import Hummingbird

/// A request the router matched to a route, with the typed reads a handler needs: path parameters,
/// the `limit` query parameter and the JSON body, each as the route declares it.
struct APIRequest {
    static let defaultListLimit = 100
    static let maxListLimit = 1_000

    let route: APIRoute
    let request: Request
    let context: BasicRequestContext
    let backend: any NodeBackend
    /// The `/v1` requests this router has served, for `/metrics`.
    let servedRequests: APIRequestCounter

    /// The value of one of the route's path parameters; a 400 when its text means nothing.
    func parameter<Value>(_ parameter: PathParameter<Value>) throws -> Value {
        let name = parameter.syntax.name
        guard route.parameters.contains(where: { $0.name == name }), let text = context.parameters.get(name) else {
            throw APIError(.internalServerError, "internal error", detail: "\(route.path) declares no parameter {\(name)}")
        }
        return try parameter.parse(text, network: backend.network)
    }

    /// The `limit` query parameter of a list route: 1 … `maxListLimit`, `defaultListLimit` when absent.
    func limit() throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return Self.defaultListLimit }
        guard let value = Int(text), (1...Self.maxListLimit).contains(value) else {
            throw APIError.badRequest("limit must be a whole number from 1 to \(Self.maxListLimit)")
        }
        return value
    }

    /// The JSON body the route declares, read with the route's size limit, so a client cannot make
    /// the node buffer without end.
    func body<Body: RequestBody>(_ type: Body.Type) async throws -> Body {
        guard let declared = route.body, ObjectIdentifier(declared.type) == ObjectIdentifier(Body.self) else {
            throw APIError(.internalServerError, "internal error", detail: "\(route.path) declares no \(Body.schemaName) body")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: declared.limit)
        } catch {
            throw APIError(.contentTooLarge, "too large", detail: "the body exceeds \(declared.limit) bytes")
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView)) else {
            throw APIError.badRequest("the body must be JSON \(Body.shape)")
        }
        return body
    }
}

/// A JSON request body.
public protocol RequestBody: DocumentedView {
    /// The body's shape as a person would write it, shown when a body does not decode.
    static var shape: String { get }
}

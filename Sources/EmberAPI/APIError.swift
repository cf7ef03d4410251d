import Foundation
import HTTPTypes
import Hummingbird

/// An error response: a status and the JSON body `{"error", "detail"}` a caller can act on.
public struct APIError: Error, HTTPResponseError {
    public let status: HTTPResponse.Status
    public let error: String
    public let detail: String
    /// Headers the answer carries besides its content type, such as `Allow` on a 405.
    public let headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ error: String, detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = (try? JSONEncoder().encode(ErrorView(error: error, detail: detail))) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ detail: String) -> APIError { APIError(.badRequest, "bad request", detail: detail) }
    static func notFound(_ detail: String) -> APIError { APIError(.notFound, "not found", detail: detail) }

    /// What `decode` decodes from a caller's bytes; a 400 naming `what` and the codec's error when they
    /// do not decode.
    static func decoding<Value>(_ what: String, _ decode: () throws -> Value) throws -> Value {
        do {
            return try decode()
        } catch {
            throw badRequest("malformed \(what): \(error)")
        }
    }
}

/// Turns every failure into the JSON error shape, so no request, however malformed, yields a bare
/// or 5xx answer unless the node itself failed.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as SubmissionRejected {
            throw APIError(error.isConflict ? .conflict : .badRequest, "rejected", detail: error.reason)
        } catch let error as ServiceUnavailable {
            throw APIError(.serviceUnavailable, "unavailable", detail: error.reason)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            throw Self.notServed(request)
        } catch let error as HTTPError {
            let detail = error.body ?? (error.status == .notFound ? "no route \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            throw APIError(error.status, error.status == .notFound ? "not found" : "bad request", detail: detail)
        } catch {
            throw APIError(.internalServerError, "internal error", detail: "\(error)")
        }
    }

    /// The answer to a request no route serves: 405 with the methods the path does answer when some
    /// route has the path, else 404.
    static func notServed(_ request: Request) -> APIError {
        let path = request.uri.path
        let allowed = APIRoute.allowedMethods(path: path)
        guard !allowed.isEmpty else { return APIError.notFound("no route \(request.method) \(path)") }
        let methods = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(
            .methodNotAllowed, "method not allowed", detail: "\(path) answers \(methods), not \(request.method)",
            headers: [.allow: methods])
    }
}

/// Requires the API key on wallet and mining routes when the API listens beyond loopback.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headerName: HTTPField.Name { HTTPField.Name("X-Ember-API-Key")! }
    let key: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard APIRoute.isProtected(method: request.method, path: request.uri.path) else { return try await next(request, context) }
        guard let given = request.headers[Self.headerName], constantTimeEqual(given, key) else {
            throw APIError(.unauthorized, "unauthorized", detail: "this route needs the node's API key in the X-Ember-API-Key header")
        }
        return try await next(request, context)
    }

    private func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

import EmberCore
import Foundation
import Hummingbird

/// Builds the API's router over a node backend, from the routes of `APIRoute.all`.
public enum APIRouter {
    /// The router; with `apiKey`, wallet and mining routes require it (set it whenever the API listens
    /// beyond loopback).
    public static func make(backend: some NodeBackend, apiKey: String?) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let servedRequests = APIRequestCounter()
        router.add(middleware: RequestCountingMiddleware(counter: servedRequests))
        router.add(middleware: JSONErrorMiddleware())
        if let apiKey { router.add(middleware: APIKeyMiddleware(key: apiKey)) }
        let backend: any NodeBackend = backend
        for route in APIRoute.all {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in
                try await route.respond(to: APIRequest(route: route, request: request, context: context, backend: backend, servedRequests: servedRequests))
            }
        }
        ExplorerAssets.register(on: router)
        return router
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

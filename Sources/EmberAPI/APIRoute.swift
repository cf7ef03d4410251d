import Hummingbird

/// One route of the API, declared once (in `APIRoute+Table.swift`) with everything the router, the
/// API-key middleware and the OpenAPI document need: method, path, parameters, request body, answer
/// and handler.
public struct APIRoute: Sendable {
    /// What a successful answer carries.
    public enum Answer: Sendable {
        /// A JSON body of the view's schema.
        case json(any DocumentedView.Type)
        /// Text in the given content type, such as Prometheus metrics.
        case text(contentType: String)
        /// The OpenAPI document itself.
        case openAPI
        case noContent
    }

    /// A JSON request body and the most bytes read of it.
    public struct Body: Sendable {
        public let type: any RequestBody.Type
        public let limit: Int
    }

    public let method: HTTPRequest.Method
    /// The path in OpenAPI form, e.g. `/v1/blocks/{hash}`; each `{name}` is one of `PathParameters`.
    public let path: String
    public let summary: String
    /// The path's parameters, in order.
    public let parameters: [PathParameterSyntax]
    /// Whether the route takes the `limit` query parameter of list routes.
    public let takesLimit: Bool
    public let body: Body?
    public let answer: Answer
    /// Wallet, mining and peer administration routes: they need the API key when the API listens
    /// beyond loopback.
    public let isProtected: Bool
    /// The status of a successful answer.
    public let successStatus: HTTPResponse.Status
    /// Whether the node may lack what the route needs (PoLW coins, networking) and answer 503.
    public let mayBeUnavailable: Bool
    private let handler: @Sendable (APIRequest) async throws -> Response

    init(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, body: Body? = nil, takesLimit: Bool = false,
        answer: Answer, isProtected: Bool = false, successStatus: HTTPResponse.Status = .ok, mayBeUnavailable: Bool = false,
        handler: @escaping @Sendable (APIRequest) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        parameters = path.split(separator: "/").compactMap { part in
            guard let name = Self.parameterName(part) else { return nil }
            guard let syntax = PathParameters.all[name] else { preconditionFailure("\(path) names {\(name)}, which PathParameters lacks") }
            return syntax
        }
        self.takesLimit = takesLimit
        self.body = body
        self.answer = answer
        self.isProtected = isProtected
        self.successStatus = successStatus
        self.mayBeUnavailable = mayBeUnavailable
        self.handler = handler
    }

    /// A route answering `View` as JSON.
    static func json<View: DocumentedView>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, body: Body? = nil, takesLimit: Bool = false,
        isProtected: Bool = false, successStatus: HTTPResponse.Status = .ok, mayBeUnavailable: Bool = false,
        handler: @escaping @Sendable (APIRequest) async throws -> View
    ) -> APIRoute {
        APIRoute(
            method, path, summary, body: body, takesLimit: takesLimit, answer: .json(View.self), isProtected: isProtected,
            successStatus: successStatus, mayBeUnavailable: mayBeUnavailable
        ) { request in
            try APIRouter.json(await handler(request), status: successStatus)
        }
    }

    /// A route answering an empty body.
    static func noContent(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, body: Body? = nil, isProtected: Bool = false,
        mayBeUnavailable: Bool = false, handler: @escaping @Sendable (APIRequest) async throws -> Void
    ) -> APIRoute {
        APIRoute(
            method, path, summary, body: body, answer: .noContent, isProtected: isProtected, successStatus: .noContent,
            mayBeUnavailable: mayBeUnavailable
        ) { request in
            try await handler(request)
            return Response(status: .noContent)
        }
    }

    /// Answers a request the router matched to this route: 400 for a path parameter outside its
    /// declared form, else whatever the handler answers.
    func respond(to request: APIRequest) async throws -> Response {
        for parameter in parameters {
            try parameter.check(request.context.parameters.get(parameter.name) ?? "")
        }
        return try await handler(request)
    }

    /// The path in Hummingbird's form, e.g. `/v1/blocks/:hash`.
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            Self.parameterName(part).map { ":" + $0 } ?? String(part)
        }.joined(separator: "/")
    }

    /// Whether a request path is this route's path. It is matched segment by segment, as the router
    /// matches it, so `/v1/peers/7`, `/v1//peers/7/` and `/v1/peers/{id}` are one route and no
    /// spelling of a protected path slips past the key.
    func matches(_ requested: [Substring]) -> Bool {
        let template = path.split(separator: "/")
        return template.count == requested.count && zip(template, requested).allSatisfy { part, given in
            Self.parameterName(part) != nil || part == given
        }
    }

    private static func parameterName(_ part: Substring) -> String? {
        part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
    }

    /// Whether a request needs the API key.
    static func isProtected(method: HTTPRequest.Method, path: String) -> Bool {
        let requested = path.split(separator: "/")
        return all.contains { $0.isProtected && $0.method == method && $0.matches(requested) }
    }

    /// The methods declared on a request's path, in table order; empty when no route has the path.
    static func allowedMethods(path: String) -> [HTTPRequest.Method] {
        let requested = path.split(separator: "/")
        var methods = [HTTPRequest.Method]()
        for route in all where route.matches(requested) && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }
}

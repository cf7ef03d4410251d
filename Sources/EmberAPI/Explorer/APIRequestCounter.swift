import Hummingbird
import Synchronization

/// Counts the `/v1` requests one router has served, for `/metrics`: the explorer's benchmark reads it
/// before and after a page render to show how many API calls the render made.
public final class APIRequestCounter: Sendable {
    private let served = Atomic<Int>(0)

    public init() {}

    /// The `/v1` requests answered so far, errors included.
    public var count: Int { served.load(ordering: .relaxed) }

    func record() { served.add(1, ordering: .relaxed) }
}

/// Counts every request under `/v1/` in an `APIRequestCounter`, whatever its answer.
struct RequestCountingMiddleware<Context: RequestContext>: RouterMiddleware {
    let counter: APIRequestCounter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/v1/") { counter.record() }
        return try await next(request, context)
    }
}

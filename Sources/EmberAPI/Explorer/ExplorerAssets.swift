import Hummingbird

/// The explorer page at `/explorer`: static files compiled into the binary as string constants (so an
/// `ember` executable copied anywhere serves them, with no resource bundle to find), talking only to
/// the `/v1` routes. No file loads anything from elsewhere: the page works with no internet access.
enum ExplorerAssets {
    struct Asset {
        let contentType: String
        let body: String
    }

    /// Each file by the path it is served at.
    static let files: [String: Asset] = [
        "/explorer": Asset(contentType: "text/html; charset=utf-8", body: ExplorerHTML.page),
        "/explorer/style.css": Asset(contentType: "text/css; charset=utf-8", body: ExplorerStyle.sheet),
        "/explorer/api.js": Asset(contentType: "text/javascript; charset=utf-8", body: ExplorerScriptAPI.module),
        "/explorer/charts.js": Asset(contentType: "text/javascript; charset=utf-8", body: ExplorerScriptCharts.module),
        "/explorer/pages.js": Asset(contentType: "text/javascript; charset=utf-8", body: ExplorerScriptPages.module),
        "/explorer/app.js": Asset(contentType: "text/javascript; charset=utf-8", body: ExplorerScriptApp.module),
    ]

    /// Adds a GET route for each file (the router ignores a trailing slash, so `/explorer/` is the page too).
    static func register(on router: Router<BasicRequestContext>) {
        for (path, asset) in files {
            router.get(RouterPath(path)) { _, _ in response(asset) }
        }
    }

    private static func response(_ asset: Asset) -> Response {
        Response(
            status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: asset.body)))
    }
}

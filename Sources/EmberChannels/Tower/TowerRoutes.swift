import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The watchtower's intake on the peer-facing listener: `POST /v1/tower/channels` with a binary
/// `TowerEntry` (at most `TowerEntry.maxEncodedSize` bytes). 200 "watching", or 400 with the reason.
public struct TowerRoutes: Sendable {
    public let tower: Watchtower

    public init(tower: Watchtower) {
        self.tower = tower
    }

    public func add(to router: Router<BasicWebSocketRequestContext>) {
        let tower = self.tower
        router.post("/v1/tower/channels") { request, _ -> Response in
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: TowerEntry.maxEncodedSize)
            } catch {
                return Self.text("the body is over \(TowerEntry.maxEncodedSize) bytes", status: .contentTooLarge)
            }
            do throws(TowerError) {
                let entry = try TowerEntry.decode(body: Array(buffer: buffer))
                try await tower.watch(entry)
            } catch {
                return Self.text(error.description, status: .badRequest)
            }
            return Self.text("watching", status: .ok)
        }
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

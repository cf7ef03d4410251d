import Foundation
import Hummingbird
import NIOCore

/// The operator's layer-1 route, added beside the operator's own (`OperatorRoutes`).
struct OperatorLayer1Routes: Sendable {
    let layer1: PlasmaOperatorLayer1

    func add(to router: Router<BasicRequestContext>) {
        let layer1 = self.layer1
        router.get("/v1/plasma/layer1") { _, _ -> Response in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            do {
                let data = try encoder.encode(try await layer1.status())
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            } catch {
                let data = try encoder.encode(["error": "\(error)"])
                return Response(
                    status: .internalServerError, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }
}

import EmberNode
import Foundation

/// Hands a channel's latest co-signed state to a watchtower over HTTP (`POST /v1/tower/channels`).
enum TowerClient {
    static func send(_ entry: TowerEntry, to tower: String) async throws {
        guard let url = URL(string: tower.hasSuffix("/") ? tower + "v1/tower/channels" : tower + "/v1/tower/channels"), url.host != nil else {
            throw ChannelServiceError.protocolViolation("'\(tower)' is not an http://host:port URL")
        }
        let response: WalletHTTPTransport.Response
        do {
            response = try await WalletHTTPTransport(timeout: 30, maxBodySize: 64 * 1_024)
                .send("POST", url, headers: [("Content-Type", "application/octet-stream")], body: Data(entry.encoded))
        } catch {
            throw ChannelServiceError.peerUnreachable(url: tower, reason: "\(error)")
        }
        guard response.status == 200 else {
            throw ChannelServiceError.peerRefused("the tower refused the state: \(String(decoding: response.body, as: UTF8.self))")
        }
    }
}

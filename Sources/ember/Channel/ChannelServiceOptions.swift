import ArgumentParser
import EmberChannels
import EmberNode
import Foundation

/// The option that finds the local channel service's control API, and the calls the commands make to it.
struct ChannelServiceOptions: ParsableArguments {
    static let defaultControlPort = 19_736

    @Option(help: ArgumentHelp("The channel service's control API (default: http://127.0.0.1:19736).", valueName: "url"))
    var service: String?

    var baseURL: String { service ?? "http://127.0.0.1:\(Self.defaultControlPort)" }

    /// Calls the control API and prints its JSON answer; an error answer becomes the command's failure.
    func call(_ method: String, _ path: String, body: (some Encodable)?, timeout: TimeInterval = 600) async throws -> Data {
        guard let url = URL(string: baseURL + path), url.host != nil else { throw commandFailure("--service '\(baseURL)' is not a URL") }
        let encoded = try body.map { try JSONEncoder().encode($0) }
        let response: WalletHTTPTransport.Response
        do {
            response = try await WalletHTTPTransport(timeout: timeout, maxBodySize: 16 * 1_024 * 1_024)
                .send(method, url, headers: encoded == nil ? [] : [("Content-Type", "application/json")], body: encoded)
        } catch {
            throw commandFailure("the channel service at \(baseURL) is not reachable (is `ember channel serve` running?): \(error)")
        }
        guard response.status == 200 else {
            let message = (try? JSONDecoder().decode(ControlError.self, from: response.body))?.error
                ?? String(decoding: response.body, as: UTF8.self)
            throw commandFailure(message)
        }
        return response.body
    }

    func get(_ path: String) async throws -> Data {
        try await call("GET", path, body: Optional<OpenChannelRequest>.none)
    }
}

/// Prints a JSON answer as it came.
func printJSON(_ data: Data) {
    print(String(decoding: data, as: UTF8.self))
}

/// An EMB amount from the command line, in base units for the control API.
func unitsArgument(_ text: String, name: String) throws -> String {
    do {
        return String(try CoinAmount.parse(text).units)
    } catch {
        throw commandFailure("\(name) '\(text)': \(error.description)")
    }
}

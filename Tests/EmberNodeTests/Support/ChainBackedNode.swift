import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Synchronization

/// A fake node over a `ChainBuilder` chain: it lists the chain's unspent outputs per address and
/// accepts a submitted transaction only when a block holding it passes every consensus tier.
final class ChainBackedNode: Sendable {
    let chain: ChainBuilder
    private let server: FakeNodeServer
    private let verdicts: VerdictLog

    var url: URL { server.url }
    /// "valid" or the rejection, one per submitted transaction.
    var submissions: [String] { verdicts.entries.withLock { $0 } }
    var requestPaths: [String] { server.receivedRequests.map { "\($0.method) \($0.path)" } }

    init(chain: ChainBuilder = ChainBuilder(), network: NetworkID = .devnet) throws {
        self.chain = chain
        let verdicts = VerdictLog()
        self.verdicts = verdicts
        server = try FakeNodeServer { request in
            Self.answer(request, chain: chain, network: network, verdicts: verdicts)
        }
    }

    func stop() { server.stop() }

    private static func answer(
        _ request: FakeNodeServer.Request, chain: ChainBuilder, network: NetworkID, verdicts: VerdictLog
    ) -> FakeNodeServer.Reply {
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts.count) {
        case ("GET", 2) where parts == ["v1", "info"]:
            return .json(#"{"network":"\#(network)","networkID":\#(network.rawValue),"height":\#(chain.tip.header.height),"tip":"\#(chain.tip.hash)"}"#)
        case ("GET", 4) where parts[1] == "addresses" && parts[3] == "outputs":
            guard let address = try? Address.parse(parts[2]) else { return .json(#"{"error":"bad address"}"#, status: 400) }
            let outputs = chain.utxos.outputs
                .filter { $0.value.output.lock == .pubKeyHash(address.publicKeyHash) }
                .map { outpoint, unspent in
                    #"{"txid":"\#(outpoint.txid)","index":\#(outpoint.index),"amount":"\#(unspent.output.amount.units)","#
                        + #""lockTime":\#(unspent.output.lockTime),"height":\#(unspent.height),"coinbase":\#(unspent.isCoinbase)}"#
                }
            return .json(#"{"address":"\#(address)","outputs":[\#(outputs.joined(separator: ","))]}"#)
        case ("POST", 2) where parts == ["v1", "transactions"]:
            struct Body: Decodable { let hex: String }
            guard let body = try? JSONDecoder().decode(Body.self, from: request.body),
                  let bytes = [UInt8](hexString: body.hex),
                  let transaction = try? Transaction.decode(from: bytes, limit: Transaction.maxSize)
            else { return .json(#"{"error":"bad request"}"#, status: 400) }
            do {
                _ = try chain.validate(chain.makeBlock([transaction]))
            } catch {
                verdicts.entries.withLock { $0.append("\(error)") }
                return .json(#"{"error":"transaction rejected"}"#, status: 400)
            }
            verdicts.entries.withLock { $0.append("valid") }
            return .json(#"{"txid":"\#(transaction.txid)"}"#)
        default:
            return .json(#"{"error":"not found"}"#, status: 404)
        }
    }
}

/// What the node said of each submitted transaction, shared with its request handler.
private final class VerdictLog: Sendable {
    let entries = Mutex<[String]>([])
}

import EmberAPI
import EmberCore
import EmberCrypto

/// A backend that has a peer network and nothing else: the peer routes touch only
/// `peerAdministration`, and any other route answering would mean the router sent a request astray.
struct PeerOnlyBackend: NodeBackend {
    let peerAdministration: (any PeerAdministration)?
    var network: NetworkID { .devnet }

    private var notInThisTest: ServiceUnavailable { ServiceUnavailable(reason: "only the peer routes are served in this test") }

    func info() async throws -> NodeInfoView { throw notInThisTest }
    func block(hash: Hash32) async throws -> BlockView? { throw notInThisTest }
    func block(height: UInt64) async throws -> BlockView? { throw notInThisTest }
    func transaction(txid: Hash32) async throws -> TransactionView? { throw notInThisTest }
    func balance(of address: Address) async throws -> BalanceView { throw notInThisTest }
    func outputs(of address: Address, limit: Int) async throws -> [OutputView] { throw notInThisTest }
    func history(of address: Address, limit: Int) async throws -> [HistoryEntryView] { throw notInThisTest }
    func outputs(lockedBy lock: Lock, limit: Int) async throws -> [OutputView] { throw notInThisTest }
    func blob(hash: Hash32) async throws -> BlobView? { throw notInThisTest }
    func submit(_ transaction: Transaction) async throws -> Hash32 { throw notInThisTest }
    func mempool() async throws -> MempoolView { throw notInThisTest }
    func miningTemplate() async throws -> MiningTemplateView { throw notInThisTest }
    func submit(_ block: Block) async throws -> BlockSubmissionView { throw notInThisTest }
    func metrics() async throws -> NodeMetrics { throw notInThisTest }
}

import EmberCore

// The name each JSON body has in the OpenAPI document; its fields come from the type itself.

extension NodeInfoView: DocumentedView { public static var schemaName: String { "NodeInfo" } }
extension BlockView: DocumentedView { public static var schemaName: String { "Block" } }
extension TransactionView: DocumentedView { public static var schemaName: String { "Transaction" } }
extension OutPointView: DocumentedView { public static var schemaName: String { "OutPoint" } }
extension BalanceView: DocumentedView { public static var schemaName: String { "Balance" } }
extension OutputView: DocumentedView { public static var schemaName: String { "Output" } }
extension OutputsView: DocumentedView { public static var schemaName: String { "Outputs" } }
extension BlobView: DocumentedView { public static var schemaName: String { "Blob" } }
extension HistoryEntryView: DocumentedView { public static var schemaName: String { "HistoryEntry" } }
extension HistoryView: DocumentedView { public static var schemaName: String { "History" } }
extension MempoolView: DocumentedView { public static var schemaName: String { "Mempool" } }
extension MempoolEntryView: DocumentedView { public static var schemaName: String { "MempoolEntry" } }
extension MiningTemplateView: DocumentedView { public static var schemaName: String { "MiningTemplate" } }
extension BlockSubmissionView: DocumentedView { public static var schemaName: String { "BlockSubmission" } }
extension SubmittedTransactionView: DocumentedView { public static var schemaName: String { "SubmittedTransaction" } }
extension ErrorView: DocumentedView { public static var schemaName: String { "Error" } }
extension PeersView: DocumentedView { public static var schemaName: String { "Peers" } }
extension PeerView: DocumentedView { public static var schemaName: String { "Peer" } }
extension BanView: DocumentedView { public static var schemaName: String { "BanInForce" } }

extension TransactionOutputView: DocumentedView {
    public static var schemaName: String { "TransactionOutput" }
    public static var fieldNotes: [String: String] {
        ["address": "the address of a pubKeyHash lock; absent for other locks",
         "lockHex": "the lock's canonical encoding, tag byte included: the {lock} of GET /v1/locks/{lock}/outputs"]
    }
}

extension LockOutputsView: DocumentedView {
    public static var schemaName: String { "LockOutputs" }
    public static var fieldNotes: [String: String] { ["address": "the address of a pubKeyHash lock; absent for other locks"] }
}

extension HexBody: RequestBody {
    public static var schemaName: String { "HexBody" }
    public static var shape: String { "{\"hex\": \"...\"}" }

    /// The bytes `hex` spells; a 400 when it is not an even number of hex digits.
    func bytes() throws -> [UInt8] {
        guard let bytes = [UInt8](hexString: hex) else { throw APIError.badRequest("hex must be an even number of hex digits") }
        return bytes
    }
}

extension PeerConnectionBody: RequestBody {
    public static var schemaName: String { "PeerConnection" }
    public static var shape: String { "{\"address\": \"HOST:PORT\"}" }
}

extension BanBody: RequestBody {
    public static var schemaName: String { "Ban" }
    public static var shape: String { "{\"host\": \"IP\", \"seconds\": N (optional), \"reason\": \"...\" (optional)}" }
}

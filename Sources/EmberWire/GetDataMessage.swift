/// Requests the blocks and transactions named by earlier announcements; answered by `BlockMessage`s,
/// `TransactionMessage`s and a `NotFoundMessage` for the rest.
public struct GetDataMessage: InventoryListPayload {
    public static let command = WireCommand.getData
    public static let codecName = "getdata"

    public var items: [InventoryItem]

    public init(items: [InventoryItem]) {
        self.items = items
    }
}

/// Announces blocks and transactions the sender has and thinks the receiver may not.
public struct InventoryMessage: InventoryListPayload {
    public static let command = WireCommand.inventory
    public static let codecName = "inv"

    public var items: [InventoryItem]

    public init(items: [InventoryItem]) {
        self.items = items
    }
}

/// Lists the items of a `GetDataMessage` the sender does not have, so the requester can ask elsewhere.
public struct NotFoundMessage: InventoryListPayload {
    public static let command = WireCommand.notFound
    public static let codecName = "notfound"

    public var items: [InventoryItem]

    public init(items: [InventoryItem]) {
        self.items = items
    }
}

import EmberCore

/// A message whose payload is one list of inventory items (inv, getdata, notfound); they share one codec.
public protocol InventoryListPayload: WirePayload {
    /// Bounds the hashes one message can make us look up, track or send.
    static var maxItems: Int { get }
    var items: [InventoryItem] { get }
    init(items: [InventoryItem])
}

extension InventoryListPayload {
    public static var maxItems: Int { 50_000 }
    public static var maxPayloadSize: Int {
        Varint.encodedSize(of: UInt128(maxItems)) + maxItems * InventoryItem.encodedSize
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeList(items)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Self {
        Self(items: try reader.readList(of: InventoryItem.self, limit: maxItems, field: "items"))
    }
}

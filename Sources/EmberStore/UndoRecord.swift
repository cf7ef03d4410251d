import EmberCore

/// The stored form of a block's undo data: the spent entries in order, each as outpoint, output,
/// height (u64) and coinbase flag (u8), in a varint-counted list, with EmberCore's codec.
enum UndoRecord {
    /// Bounds the entries decoded from one record: a block spends at most this many outputs.
    static let maxEntries = Block.maxTransactions * Transaction.maxInputs

    static func encode(_ spent: [UTXO]) -> [UInt8] {
        var writer = ByteWriter(reservingCapacity: spent.count * 80)
        writer.writeCount(spent.count)
        for utxo in spent {
            writer.write(utxo.outpoint)
            writer.write(utxo.entry.output)
            writer.writeUInt64(utxo.entry.height)
            writer.writeUInt8(utxo.entry.isCoinbase ? 1 : 0)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(DecodingError) -> [UTXO] {
        var reader = ByteReader(bytes)
        let spent = try reader.readList(limit: maxEntries, field: "spent") { reader throws(DecodingError) in
            let outpoint = try reader.read(OutPoint.self, field: "outpoint")
            let output = try reader.read(Output.self, field: "output")
            let height = try reader.readUInt64(field: "height")
            let coinbaseFlag = try reader.readUInt8(field: "isCoinbase")
            guard coinbaseFlag <= 1 else { throw DecodingError(.unknownTag(coinbaseFlag), at: "isCoinbase") }
            return UTXO(outpoint: outpoint, entry: UTXOEntry(output: output, height: height, isCoinbase: coinbaseFlag == 1))
        }
        try reader.expectEnd()
        return spent
    }
}

/// A transaction output: an amount under a lock, optionally time-locked, with a little free data.
public struct Output: Hashable, Sendable {
    /// Bounds the bytes an output can make every node store in its UTXO set.
    public static let maxDataSize = 256

    /// The value, in base units (the format allows any 128-bit amount; consensus caps it).
    public var amount: Amount
    /// Who may spend the output.
    public var lock: Lock
    /// Milliseconds since the Unix epoch before which the output cannot be spent; 0 means none.
    public var lockTime: UInt64
    /// Free bytes (the coinbase puts the block height here); at most `maxDataSize`.
    public var data: [UInt8]

    public init(amount: Amount, lock: Lock, lockTime: UInt64 = 0, data: [UInt8] = []) {
        self.amount = amount
        self.lock = lock
        self.lockTime = lockTime
        self.data = data
    }
}

extension Output: CanonicalCodable {
    public static let codecName = "output"

    public func encode(to writer: inout ByteWriter) {
        writer.writeVarint(amount.units)
        writer.write(lock)
        writer.writeUInt64(lockTime)
        writer.writeByteString(data)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodingError) -> Output {
        let amount = Amount(units: try reader.readVarint(field: "amount"))
        let lock = try reader.read(Lock.self, field: "lock")
        let lockTime = try reader.readUInt64(field: "lockTime")
        let data = try reader.readByteString(limit: maxDataSize, field: "data")
        return Output(amount: amount, lock: lock, lockTime: lockTime, data: data)
    }
}

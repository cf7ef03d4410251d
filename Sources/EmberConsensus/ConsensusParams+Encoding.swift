import BigInt
import EmberCore
import EmberCrypto

/// The canonical encoding of the parameters, which genesis commits to (DESIGN.md section 12): two
/// nodes whose parameters differ in any field have different genesis hashes.
extension ConsensusParams: CanonicalEncodable {
    /// Marks the encoding's layout, so a future layout can never collide with this one.
    public static let encodingTag: [UInt8] = Array("ember/params/v1".utf8)

    public func encode(to writer: inout ByteWriter) {
        writer.writeRawBytes(Self.encodingTag)
        writer.writeUInt8(networkID.rawValue)
        writer.writeVarint(UInt128(chainCount))
        writer.writeUInt64(blockTimeMs)
        writer.writeUInt8(maxTargetZeros)
        writer.writeUInt32(maxTarget.bits)
        writer.writeVarint(UInt128(polwFactor))
        writer.writeByteString(polwThresholdHashRate.bigEndianBytes)
        writer.writeUInt64(coinbaseLockupMs)
        writer.writeUInt64(launchTimestampMs)
        writer.writeVarint(minFeeRate.units)
        writer.writeVarint(dust.units)
        writer.writeVarint(maxAmount.units)
        for limit in [maxTransactionSize, maxBlockWeight, maxTransactionsPerBlock, maxListLength, maxOutputDataSize,
                      maxWitnessItemSize] {
            writer.writeVarint(UInt128(limit))
        }
        writer.writeVarint(UInt128(difficultyWindow))
        // Protocol v2 adds nothing here for Ember's own networks (their layer-2 numbers follow the network
        // id), so chains made before it keep their genesis; a network running other lock rules says so.
        if covenantRules != .enshrined {
            writer.writeByteString(Array("covenants:\(covenantRules.identity)".utf8))
        }
    }

    /// `H(canonical encoding)`: the parameters' identity, stored in genesis and in a node's database.
    public var parametersHash: Hash32 { Blake3.hash(encoded) }
}

extension BigUInt {
    /// The value as big-endian bytes without leading zeros (empty for zero).
    var bigEndianBytes: [UInt8] {
        var bytes = [UInt8]()
        for word in words.reversed() {
            for shift in stride(from: UInt.bitWidth - 8, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt(shift)))
            }
        }
        return Array(bytes.drop { $0 == 0 })
    }
}

import EmberCore
import EmberCrypto
import EmberTruebit
import Testing

/// One way to break a valid chain or its input, and the failure the program must report for it.
enum SPVBreakage: String, CaseIterable, CustomTestStringConvertible {
    case parentIsNotThePreviousHeader
    case hashAboveTarget
    case heightSkipsOne
    case timestampEqualsParent
    case nonCanonicalTarget
    case targetAboveMaximum
    case headerVersionTwo
    case truncatedByOneByte
    case countSaysOneMoreHeader
    case zeroHeaders
    case nonCanonicalMaximum
    case shorterThanThePrefix

    var testDescription: String { rawValue }

    /// The input for `headers` broken at header `index` (or as a whole).
    func apply(to headers: [BlockHeader], at index: Int) throws -> [UInt8] {
        var headers = headers
        var header = headers[index]
        switch self {
        case .parentIsNotThePreviousHeader:
            header.parent = Hash32([UInt8](repeating: 0x5a, count: 32))!
            header = SPVChains.remined(header)
        case .hashAboveTarget:
            // Half of all hashes miss the fast target: try nonces until one does.
            let target = header.target.bits
            var counter: UInt64 = 1
            repeat {
                header.nonce = Nonce(high: 1, middle: 0, low: counter)
                counter += 1
            } while header.hash.bytes[0] <= UInt8(target >> 16 & 0xff)
        case .heightSkipsOne:
            header.height += 1
            header = SPVChains.remined(header)
        case .timestampEqualsParent:
            header.timestamp = headers[index - 1].timestamp
            header = SPVChains.remined(header)
        case .nonCanonicalTarget:
            // Size 32 with a zero top mantissa byte: the same value encodes with size 31.
            header.target = CompactTarget(bits: 0x2000_ffff)
        case .targetAboveMaximum:
            // 2^255, one more than the fast maximum's value 0x7fffff · 2^232 rounds up to.
            header.target = CompactTarget(bits: 0x2080_0000)
        default:
            break
        }
        headers[index] = header
        var bytes = try SPVChains.input(headers)
        let headerStart = SPVTaskInput.prefixSize + index * BlockHeader.encodedSize
        switch self {
        case .headerVersionTwo: bytes[headerStart + 24] = 2
        case .truncatedByOneByte: bytes.removeLast()
        case .countSaysOneMoreHeader: bytes[7] += 1
        case .zeroHeaders: bytes = Array(bytes[0..<4]) + [0, 0, 0, 0]
        case .nonCanonicalMaximum: bytes.replaceSubrange(0..<4, with: [0x20, 0x00, 0xff, 0xff])
        case .shorterThanThePrefix: bytes = Array(bytes[0..<7])
        default: break
        }
        return bytes
    }

    /// The failure the program reports for this breakage at header `index`.
    func expectedFailure(at index: Int) -> SPVFailure {
        let header = UInt32(index)
        return switch self {
        case .parentIsNotThePreviousHeader: SPVFailure(kind: .brokenParentLink, headerIndex: header)
        case .hashAboveTarget: SPVFailure(kind: .insufficientWork, headerIndex: header)
        case .heightSkipsOne: SPVFailure(kind: .wrongHeight, headerIndex: header)
        case .timestampEqualsParent: SPVFailure(kind: .timestampNotAfterParent, headerIndex: header)
        case .nonCanonicalTarget, .targetAboveMaximum: SPVFailure(kind: .badTarget, headerIndex: header)
        case .headerVersionTwo: SPVFailure(kind: .malformedInput, headerIndex: header)
        case .truncatedByOneByte, .countSaysOneMoreHeader, .zeroHeaders, .nonCanonicalMaximum, .shorterThanThePrefix:
            SPVFailure(kind: .malformedInput, headerIndex: nil)
        }
    }
}

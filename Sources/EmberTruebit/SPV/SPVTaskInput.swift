import EmberConsensus
import EmberCore

/// The input of the SPV program (Programs/spv/README.md): the maximum target every header must stay
/// within, then the headers in chain order, each in its 109-byte canonical encoding.
///
/// `maximumTarget u32 | count u32 | count × header`, integers big-endian as the headers' own.
public struct SPVTaskInput: Hashable, Sendable {
    /// The bytes before the first header: the maximum target and the count.
    public static let prefixSize = 8
    /// A task's input is one blob (docs/truebit.md, Post rule 2), so at most 2 404 headers fit.
    public static let maxHeaders = (Transaction.maxBlobSize - prefixSize) / BlockHeader.encodedSize

    /// The largest target a header may carry: the network's `maxTarget`, so no header's work is cheaper
    /// than the network allows.
    public let maximumTarget: CompactTarget
    /// The headers, each the child of the one before; the first one's parent is the chain's anchor.
    public let headers: [BlockHeader]

    /// An input for `headers` (1 … `maxHeaders`) under `maximumTarget`, which must be a canonical,
    /// non-zero compact target (the program refuses any other as malformed input).
    ///
    /// The headers are not checked here: checking them is the program's task.
    public init(headers: [BlockHeader], maximumTarget: CompactTarget) throws(SPVTaskInputError) {
        guard !headers.isEmpty else { throw .noHeaders }
        guard headers.count <= Self.maxHeaders else { throw .tooManyHeaders(limit: Self.maxHeaders, found: headers.count) }
        do {
            _ = try maximumTarget.checkedValue()
        } catch {
            throw .invalidMaximumTarget(error)
        }
        self.headers = headers
        self.maximumTarget = maximumTarget
    }

    /// The input bytes to post as the task's input blob.
    public var encoded: [UInt8] {
        var writer = ByteWriter(reservingCapacity: Self.prefixSize + headers.count * BlockHeader.encodedSize)
        writer.writeUInt32(maximumTarget.bits)
        writer.writeUInt32(UInt32(headers.count))
        for header in headers { header.encode(to: &writer) }
        return writer.bytes
    }
}

import EmberCrypto

/// The canonical binary form of a step proof (DESIGN.md section 2: fixed-width big-endian integers,
/// an explicit size limit, no trailing bytes). Layout in docs/vm.md.
extension StepProof {
    public static let binaryVersion: UInt8 = 1
    /// The largest valid encoding is 2,908 bytes; anything longer is rejected before parsing.
    public static let maxEncodedBytes = 4096
    static let leafProofBytes = 4 + 32 + 32 * MachineLayout.treeDepth

    public func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.binaryVersion]
        out.reserveCapacity(256 + Self.leafProofBytes * 3)
        out += preStateHash.bytes
        out += preState.encodedFields()
        out.append(instruction == nil ? 0 : 1)
        if let instruction { append(instruction, to: &out) }
        out.append(UInt8(truncatingIfNeeded: data.count))
        for leaf in data { append(leaf, to: &out) }
        return out
    }

    private func append(_ leaf: LeafProof, to out: inout [UInt8]) {
        appendBigEndian(&out, leaf.index)
        out += leaf.leaf
        for sibling in leaf.siblingDigests { out += sibling.bytes }
    }

    /// Decodes the canonical binary form; any deviation is a `.malformed` rejection.
    public init(encoded bytes: [UInt8]) throws(StepProofRejection) {
        guard bytes.count <= Self.maxEncodedBytes else {
            throw .malformed("\(bytes.count) bytes, over the \(Self.maxEncodedBytes)-byte limit")
        }
        var reader = BigEndianReader(bytes: bytes)
        let version = try reader.byte("version")
        guard version == Self.binaryVersion else { throw .malformed("version \(version), expected \(Self.binaryVersion)") }
        let preStateHash = try reader.hash("preStateHash")
        let pc = try reader.u32("pc")
        var registers: [UInt32] = [0]
        for index in 1..<32 { registers.append(try reader.u32("x\(index)")) }
        let memoryRoot = try reader.hash("memoryRoot")
        let stepHigh = try reader.u32("step")
        let stepLow = try reader.u32("step")
        let step = UInt64(stepHigh) << 32 | UInt64(stepLow)
        let statusByte = try reader.byte("status")
        guard let status = MachineStatus(rawValue: statusByte) else { throw .malformed("status \(statusByte) is not 0, 1 or 2") }
        let exitCode = try reader.u32("exitCode")
        let state = MachineState(pc: pc, registers: registers, memoryRoot: memoryRoot, step: step, status: status, exitCode: exitCode)
        let hasInstruction = try reader.byte("instruction flag")
        guard hasInstruction <= 1 else { throw .malformed("instruction flag \(hasInstruction) is not 0 or 1") }
        let instruction = hasInstruction == 1 ? try Self.leaf(&reader, "instruction leaf") : nil
        let dataCount = try reader.byte("data leaf count")
        guard Int(dataCount) <= Self.maxDataLeaves else { throw .malformed("\(dataCount) data leaves, at most \(Self.maxDataLeaves)") }
        var data: [LeafProof] = []
        for position in 0..<Int(dataCount) { data.append(try Self.leaf(&reader, "data leaf \(position + 1)")) }
        guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) trailing bytes") }
        self.init(preStateHash: preStateHash, preState: state, instruction: instruction, data: data)
    }

    private static func leaf(_ reader: inout BigEndianReader, _ which: String) throws(StepProofRejection) -> LeafProof {
        let index = try reader.u32("\(which) index")
        let leaf = try reader.bytes(MachineLayout.leafSize, "\(which) bytes")
        var siblings: [Digest32] = []
        siblings.reserveCapacity(MachineLayout.treeDepth)
        for level in 0..<MachineLayout.treeDepth {
            siblings.append(Digest32(bytes: try reader.bytes(32, "\(which) sibling \(level)")))
        }
        return LeafProof(index: index, leaf: leaf, siblingDigests: siblings)
    }
}

extension MachineState {
    /// The bytes of the state's fields as a step proof carries its pre-state (and a Truebit reveal its final
    /// state): `pc u32 | x1 … x31 u32 | memoryRoot 32 | step u64 | status u8 | exitCode u32`, big-endian,
    /// 173 bytes; x0 is not carried.
    public func encodedFields() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.encodedFieldsBytes)
        appendBigEndian(&out, pc)
        for index in 1..<32 { appendBigEndian(&out, index < registers.count ? registers[index] : 0) }
        out += memoryRoot.bytes
        appendBigEndian(&out, step)
        out.append(status.rawValue)
        appendBigEndian(&out, exitCode)
        return out
    }

    /// The length of `encodedFields()`.
    public static let encodedFieldsBytes = 173
}

private func appendBigEndian<Value: FixedWidthInteger>(_ out: inout [UInt8], _ value: Value) {
    withUnsafeBytes(of: value.bigEndian) { out += $0 }
}

/// Reads fields in order, naming the field that ran past the end.
private struct BigEndianReader {
    let bytes: [UInt8]
    var position = 0

    var remaining: Int { bytes.count - position }

    mutating func bytes(_ count: Int, _ field: String) throws(StepProofRejection) -> [UInt8] {
        guard remaining >= count else { throw .malformed("input ends inside \(field)") }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    mutating func byte(_ field: String) throws(StepProofRejection) -> UInt8 {
        try bytes(1, field)[0]
    }

    mutating func u32(_ field: String) throws(StepProofRejection) -> UInt32 {
        try bytes(4, field).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func hash(_ field: String) throws(StepProofRejection) -> Hash32 {
        // Exactly 32 bytes were read, so the conversion cannot fail.
        Hash32(try bytes(32, field)) ?? .zero
    }
}

import EmberCrypto

/// The JSON form of a step proof, for people and the command line. Every field is required, unknown
/// fields are rejected, hex is lowercase. Layout in docs/vm.md.
extension StepProof {
    public static let jsonFormat = "ember/vm/step-proof/v1"

    /// Compact JSON, one line, fields in a fixed order.
    public func json() -> String {
        func leafJSON(_ leaf: LeafProof) -> String {
            let siblings = leaf.siblingDigests.map { "\"\($0.bytes.hexString)\"" }.joined(separator: ",")
            return "{\"index\":\(leaf.index),\"leaf\":\"\(leaf.leaf.hexString)\",\"siblings\":[\(siblings)]}"
        }
        let registers = (1..<32).map { String($0 < preState.registers.count ? preState.registers[$0] : 0) }.joined(separator: ",")
        let state = "{\"pc\":\(preState.pc),\"registers\":[\(registers)],\"memoryRoot\":\"\(preState.memoryRoot.hex)\","
            + "\"step\":\(preState.step),\"status\":\(preState.status.rawValue),\"exitCode\":\(preState.exitCode)}"
        return "{\"format\":\"\(Self.jsonFormat)\",\"preStateHash\":\"\(preStateHash.hex)\",\"preState\":\(state),"
            + "\"instruction\":\(instruction.map(leafJSON) ?? "null"),\"data\":[\(data.map(leafJSON).joined(separator: ","))]}"
    }

    /// Parses the JSON form; every deviation is a `.malformed` rejection naming the field.
    public init(json bytes: [UInt8]) throws(StepProofRejection) {
        let root: StrictJSON
        do {
            root = try StrictJSON.parse(bytes)
        } catch {
            throw .malformed("not valid proof JSON: \(error.message)")
        }
        let top = try Self.fields(root, ["format", "preStateHash", "preState", "instruction", "data"], "proof")
        guard case .string(let format)? = top["format"], format == Self.jsonFormat else {
            throw .malformed("format must be \"\(Self.jsonFormat)\"")
        }
        let preStateHash = try Self.hash(top["preStateHash"], "preStateHash")
        let stateFields = try Self.fields(top["preState"], ["pc", "registers", "memoryRoot", "step", "status", "exitCode"], "preState")
        guard case .array(let registerValues)? = stateFields["registers"], registerValues.count == 31 else {
            throw .malformed("preState.registers must be an array of 31 numbers (x1…x31)")
        }
        var registers: [UInt32] = [0]
        for (position, value) in registerValues.enumerated() {
            registers.append(try Self.u32(value, "preState.registers[\(position)] (x\(position + 1))"))
        }
        let statusValue = try Self.u32(stateFields["status"], "preState.status")
        guard let status = MachineStatus(rawValue: UInt8(truncatingIfNeeded: statusValue)), statusValue <= 2 else {
            throw .malformed("preState.status \(statusValue) is not 0, 1 or 2")
        }
        guard case .number(let step)? = stateFields["step"] else { throw .malformed("preState.step must be a number") }
        let state = MachineState(
            pc: try Self.u32(stateFields["pc"], "preState.pc"), registers: registers,
            memoryRoot: try Self.hash(stateFields["memoryRoot"], "preState.memoryRoot"), step: step, status: status,
            exitCode: try Self.u32(stateFields["exitCode"], "preState.exitCode")
        )
        let instruction: LeafProof?
        switch top["instruction"] {
        case .null?: instruction = nil
        case let value: instruction = try Self.leaf(value, "instruction")
        }
        guard case .array(let dataValues)? = top["data"], dataValues.count <= Self.maxDataLeaves else {
            throw .malformed("data must be an array of at most \(Self.maxDataLeaves) leaf proofs")
        }
        var data: [LeafProof] = []
        for (position, value) in dataValues.enumerated() { data.append(try Self.leaf(value, "data[\(position)]")) }
        self.init(preStateHash: preStateHash, preState: state, instruction: instruction, data: data)
    }

    /// The members of an object that must have exactly `keys`.
    private static func fields(_ value: StrictJSON?, _ keys: [String], _ path: String) throws(StepProofRejection) -> [String: StrictJSON] {
        guard case .object(let members)? = value else { throw .malformed("\(path) must be an object") }
        if let unknown = members.keys.sorted().first(where: { !keys.contains($0) }) {
            throw .malformed("unknown field \(path).\(unknown)")
        }
        if let missing = keys.first(where: { members[$0] == nil }) { throw .malformed("missing field \(path).\(missing)") }
        return members
    }

    private static func u32(_ value: StrictJSON?, _ path: String) throws(StepProofRejection) -> UInt32 {
        guard case .number(let number)? = value, let word = UInt32(exactly: number) else {
            throw .malformed("\(path) must be a whole number below 2^32")
        }
        return word
    }

    private static func hexBytes(_ value: StrictJSON?, count: Int, _ path: String) throws(StepProofRejection) -> [UInt8] {
        guard case .string(let text)? = value, text.utf8.count == 2 * count,
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
            let bytes = [UInt8](hexString: text)
        else { throw .malformed("\(path) must be \(2 * count) lowercase hex digits") }
        return bytes
    }

    private static func hash(_ value: StrictJSON?, _ path: String) throws(StepProofRejection) -> Hash32 {
        // hexBytes returned exactly 32 bytes.
        Hash32(try hexBytes(value, count: 32, path)) ?? .zero
    }

    private static func leaf(_ value: StrictJSON?, _ path: String) throws(StepProofRejection) -> LeafProof {
        let members = try fields(value, ["index", "leaf", "siblings"], path)
        guard case .array(let siblingValues)? = members["siblings"], siblingValues.count == MachineLayout.treeDepth else {
            throw .malformed("\(path).siblings must be an array of \(MachineLayout.treeDepth) hashes")
        }
        var siblings: [Digest32] = []
        for (level, sibling) in siblingValues.enumerated() {
            siblings.append(Digest32(bytes: try hexBytes(sibling, count: 32, "\(path).siblings[\(level)]")))
        }
        return LeafProof(
            index: try u32(members["index"], "\(path).index"), leaf: try hexBytes(members["leaf"], count: MachineLayout.leafSize, "\(path).leaf"),
            siblingDigests: siblings
        )
    }
}

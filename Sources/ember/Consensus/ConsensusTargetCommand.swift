import ArgumentParser
import BigInt
import EmberConsensus
import EmberCore

/// `ember consensus target`: compact target encoding, decoding and the target of a hash rate.
struct ConsensusTargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "Encode or decode a compact target, or find the target a hash rate meets in one block time.",
        usage: """
            ember consensus target --encode <hex>
            ember consensus target --decode <bits>
            ember consensus target --from-hashrate <H/s> --block-time-ms <ms> --chain-count <C>
            """
    )

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("A target value in hexadecimal: print its canonical compact bits.", valueName: "hex"))
    var encode: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Compact bits (8 hex digits): print the value and whether they are a valid target.", valueName: "bits"))
    var decode: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("A network hash rate: print targetFromHashRate (DESIGN.md section 6).", valueName: "H/s"))
    var fromHashrate: String?

    @OptionGroup(title: "With --from-hashrate") var timingOptions: ConsensusTimingOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unexpected: [String] = []

    func run() throws {
        try ConsensusArgument.rejectUnexpected(unexpected)
        let modes = [encode, decode, fromHashrate].compactMap { $0 }
        guard modes.count == 1 else {
            throw ConsensusArgumentError("give exactly one of --encode, --decode and --from-hashrate")
        }
        if let fromHashrate {
            print(try targetFromHashRate(fromHashrate).text)
            return
        }
        guard timingOptions.isEmpty else {
            throw ConsensusArgumentError("--block-time-ms and --chain-count only go with --from-hashrate")
        }
        if let encode {
            print(try encoding(encode).text)
        } else if let decode {
            print(try decoding(decode).text)
        }
    }

    private func encoding(_ text: String) throws -> ConsensusJSON {
        let value = try ConsensusArgument.hexValue(text, "--encode")
        guard let bits = CompactTarget(rounding: value) else {
            throw ConsensusArgumentError("--encode value \(value.prefixedHex) is 2^256 or more; a target has 256 bits")
        }
        var json = ConsensusJSON()
        json.add("bits", bits.description)
        json.add("value", bits.value.prefixedHex)
        return json
    }

    private func decoding(_ text: String) throws -> ConsensusJSON {
        let bits = try ConsensusArgument.bits(text, "--decode")
        var json = ConsensusJSON()
        json.add("bits", bits.description)
        json.add("value", bits.value.prefixedHex)
        do {
            let weight = try Work.weight(of: bits)
            json.add("valid", true)
            json.add("weight", weight.description)
        } catch {
            json.add("valid", false)
            json.add("rejection", error.description)
        }
        return json
    }

    private func targetFromHashRate(_ text: String) throws -> ConsensusJSON {
        let hashRate = try ConsensusArgument.bigUInt(text, "--from-hashrate")
        let timing = try timingOptions.timing()
        let bits = timing.target(forHashRate: hashRate)
        var json = ConsensusJSON()
        json.add("hashRate", hashRate.description)
        json.add("bits", bits.description)
        json.add("value", bits.value.prefixedHex)
        return json
    }
}

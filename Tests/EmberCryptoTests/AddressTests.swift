import EmberCrypto
import EmberTestSupport
import Testing

@Suite struct AddressTests {
    static let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    static func randomHash(_ random: inout SeededGenerator) -> Hash32 {
        Hash32((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })!
    }

    static func sampleAddress(_ network: NetworkID = .mainnet, seed: UInt64 = 7) -> Address {
        var random = SeededGenerator(seed: seed)
        return Address(publicKeyHash: randomHash(&random), network: network)
    }

    /// A correctly checksummed string under `prefix` carrying `payload`, to reach the checks after the checksum.
    static func encoded(prefix: String, payload: [UInt8]) -> String {
        Bech32m.encode(humanReadablePart: prefix, values: Bech32m.fiveBitValues(fromBytes: payload))
    }

    @Test(arguments: NetworkID.allCases)
    func roundTripsOnEveryNetwork(_ network: NetworkID) throws {
        var random = SeededGenerator(seed: 0xADD0 + UInt64(network.rawValue))
        for _ in 0..<200 {
            let address = Address(publicKeyHash: Self.randomHash(&random), network: network)
            let string = address.string
            #expect(string.hasPrefix(network.addressPrefix + "1"))
            #expect(string.count == network.addressPrefix.count + 1 + 53 + 6)
            #expect(try Address.parse(string, expecting: network) == address)
            #expect(try Address.parse(string.uppercased()) == address)
        }
    }

    @Test func payloadIsVersionZeroThenKeyHash() throws {
        let address = Self.sampleAddress()
        let decoded = try Bech32m.decode(address.string)
        #expect(decoded.humanReadablePart == "em")
        #expect(try Bech32m.bytes(fromFiveBitValues: decoded.values) == [0x00] + address.publicKeyHash.bytes)
    }

    @Test func publicKeyAddressCarriesItsHash() throws {
        let publicKey = SigningKey.devnet(index: 0).publicKey
        let address = publicKey.address(on: .devnet)
        #expect(address.publicKeyHash == Blake3.hash(publicKey.bytes))
        #expect(address == Address(publicKey: publicKey, network: .devnet))
        #expect(address.string.hasPrefix("emd1"))
    }

    @Test func everySubstitutionIsReportedAsMistyped() throws {
        let string = Array(Self.sampleAddress().string.utf8)
        let dataStart = try #require(string.firstIndex(of: UInt8(ascii: "1"))) + 1
        for index in dataStart..<string.count {
            for replacement in Self.alphabet where replacement != string[index] {
                var mutated = string
                mutated[index] = replacement
                let error = #expect(throws: AddressError.malformed(.checksumMismatch)) {
                    try Address.parse(String(decoding: mutated, as: UTF8.self))
                }
                #expect(error?.description.hasPrefix("address is mistyped (checksum does not match)") == true)
            }
        }
    }

    @Test func everyAdjacentSwapIsReportedAsMistyped() {
        let string = Array(Self.sampleAddress(seed: 99).string.utf8)
        for index in 3..<(string.count - 1) where string[index] != string[index + 1] {
            var mutated = string
            mutated.swapAt(index, index + 1)
            #expect(throws: AddressError.malformed(.checksumMismatch)) {
                try Address.parse(String(decoding: mutated, as: UTF8.self))
            }
        }
    }

    @Test func everyDeletionAndInsertionIsRejected() {
        let string = Array(Self.sampleAddress(seed: 3).string.utf8)
        for index in 3..<string.count {
            var shorter = string
            shorter.remove(at: index)
            #expect(throws: AddressError.self) { try Address.parse(String(decoding: shorter, as: UTF8.self)) }
            for inserted in Self.alphabet {
                var longer = string
                longer.insert(inserted, at: index)
                #expect(throws: AddressError.self) { try Address.parse(String(decoding: longer, as: UTF8.self)) }
            }
        }
    }

    @Test func wrongNetworkIsNamed() {
        let testnet = Self.sampleAddress(.testnet).string
        let error = #expect(throws: AddressError.wrongNetwork(expected: .mainnet, found: .testnet)) {
            try Address.parse(testnet, expecting: .mainnet)
        }
        #expect(error?.description.contains("testnet (prefix emt)") == true)
    }

    @Test func wrongNetworkIsReportedEvenWhenAlsoMistyped() {
        var devnet = Array(Self.sampleAddress(.devnet).string.utf8)
        devnet[10] = devnet[10] == UInt8(ascii: "q") ? UInt8(ascii: "p") : UInt8(ascii: "q")
        #expect(throws: AddressError.wrongNetwork(expected: .testnet, found: .devnet)) {
            try Address.parse(String(decoding: devnet, as: UTF8.self), expecting: .testnet)
        }
    }

    @Test func foreignPrefixIsNamedNotMistyped() {
        let bitcoinLike = Self.encoded(prefix: "bc", payload: [0] + Self.sampleAddress().publicKeyHash.bytes)
        #expect(throws: AddressError.unknownPrefix("bc")) { try Address.parse(bitcoinLike) }
        // BIP-350's own segwit example: a real address of another coin.
        #expect(throws: AddressError.unknownPrefix("bc")) {
            try Address.parse("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
        }
    }

    @Test func wrongPayloadLengthIsRejected() {
        let hash = Self.sampleAddress().publicKeyHash.bytes
        let short = Self.encoded(prefix: "em", payload: [0] + hash.dropLast())
        #expect(throws: AddressError.wrongLength(expected: 62, found: short.count)) { try Address.parse(short) }
        let long = Self.encoded(prefix: "em", payload: [0] + hash + [0])
        #expect(throws: AddressError.wrongLength(expected: 62, found: long.count)) { try Address.parse(long) }
    }

    @Test func nonZeroPaddingIsRejected() {
        var values = Bech32m.fiveBitValues(fromBytes: [0] + Self.sampleAddress().publicKeyHash.bytes)
        // 33 bytes are 264 bits in 53 values: the last value's lowest bit is padding.
        values[values.count - 1] |= 1
        let string = Bech32m.encode(humanReadablePart: "em", values: values)
        #expect(throws: AddressError.malformed(.nonZeroPadding)) { try Address.parse(string) }
    }

    @Test func unknownVersionIsRejected() {
        let string = Self.encoded(prefix: "emt", payload: [1] + Self.sampleAddress().publicKeyHash.bytes)
        #expect(throws: AddressError.unsupportedVersion(1)) { try Address.parse(string) }
    }

    @Test func mixedCaseIsRejected() {
        let string = Self.sampleAddress().string
        let mixed = "EM" + string.dropFirst(2)
        #expect(throws: AddressError.malformed(.mixedCase)) { try Address.parse(mixed) }
    }

    @Test func characterOutsideTheAlphabetIsLocated() {
        var string = Array(Self.sampleAddress().string.utf8)
        string[20] = UInt8(ascii: "b")
        #expect(throws: AddressError.malformed(.characterNotInAlphabet("b", position: 21))) {
            try Address.parse(String(decoding: string, as: UTF8.self))
        }
        let withSpace = " " + Self.sampleAddress().string
        #expect(throws: AddressError.malformed(.characterOutOfRange(" ", position: 1))) { try Address.parse(withSpace) }
    }

    @Test func overlongAndEmptyInputsAreRejected() {
        let overlong = Self.sampleAddress().string + String(repeating: "q", count: 40)
        #expect(throws: AddressError.malformed(.tooLong(length: overlong.count))) { try Address.parse(overlong) }
        #expect(throws: AddressError.malformed(.missingSeparator)) { try Address.parse("") }
    }

    @Test func randomGarbageNeverCrashes() {
        var random = SeededGenerator(seed: 0x6A4BA6E)
        let pool = Array("em1qpzry9x8gf2tvdw0s3jn54khce6mua7lEMQPZbio é€\u{0}".unicodeScalars)
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...120, using: &random)
            let string = String(String.UnicodeScalarView((0..<length).map { _ in pool.randomElement(using: &random)! }))
            #expect(throws: AddressError.self) { try Address.parse(string) }
        }
    }
}

import EmberCrypto
import Testing

/// Reference strings copied from BIP-350, "Test vectors for Bech32m".
@Suite struct Bech32mTests {
    static let validStrings = [
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    ]

    /// Each BIP-350 invalid string with the error its stated reason maps to.
    static let invalidStrings: [(String, Bech32mError)] = [
        ("\u{20}1xj0phk", .characterOutOfRange(" ", position: 1)),  // HRP character out of range
        ("\u{7F}1g6xzxy", .characterOutOfRange("\u{7F}", position: 1)),  // HRP character out of range
        ("\u{80}1vctc34", .characterOutOfRange("\u{80}", position: 1)),  // HRP character out of range
        ("an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
         .tooLong(length: 91)),  // overall max length exceeded
        ("qyrz8wqd2c9m", .missingSeparator),
        ("1qyrz8wqd2c9m", .emptyHumanReadablePart),
        ("y1b0jsk6g", .characterNotInAlphabet("b", position: 3)),  // invalid data character
        ("lt1igcx5c0", .characterNotInAlphabet("i", position: 4)),  // invalid data character
        ("in1muywd", .checksumTooShort),
        ("mm1crxm3i", .characterNotInAlphabet("i", position: 9)),  // invalid character in checksum
        ("au1s5cgom", .characterNotInAlphabet("o", position: 8)),  // invalid character in checksum
        ("M1VUXWEZ", .checksumMismatch),  // checksum calculated with uppercase form of HRP
        ("16plkw9", .emptyHumanReadablePart),
        ("1p2gdwpf", .emptyHumanReadablePart),
    ]

    @Test(arguments: validStrings)
    func validStringDecodesAndReencodes(_ string: String) throws {
        let decoded = try Bech32m.decode(string)
        let reencoded = Bech32m.encode(humanReadablePart: decoded.humanReadablePart, values: decoded.values)
        #expect(reencoded == string.lowercased())
    }

    @Test(arguments: invalidStrings)
    func invalidStringIsRejectedForItsReason(_ string: String, expected: Bech32mError) {
        #expect(throws: expected) { try Bech32m.decode(string) }
    }

    @Test(arguments: validStrings)
    func everySingleSubstitutionIsDetected(_ string: String) throws {
        let lowered = Array(string.lowercased().utf8)
        let dataStart = try #require(lowered.lastIndex(of: UInt8(ascii: "1"))) + 1
        let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        for index in dataStart..<lowered.count {
            for replacement in alphabet where replacement != lowered[index] {
                var mutated = lowered
                mutated[index] = replacement
                #expect(throws: Bech32mError.checksumMismatch) {
                    try Bech32m.decode(String(decoding: mutated, as: UTF8.self))
                }
            }
        }
    }

    @Test func mixedCaseIsRejected() {
        #expect(throws: Bech32mError.mixedCase) { try Bech32m.decode("A1lqfn3a") }
    }

    @Test func lengthIsCountedInCharactersNotBytes() {
        let huge = String(repeating: "q", count: 100_000)
        #expect(throws: Bech32mError.tooLong(length: 100_000)) { try Bech32m.decode(huge) }
        let accented = String(repeating: "é", count: 100)
        #expect(throws: Bech32mError.characterOutOfRange("é", position: 1)) { try Bech32m.decode(accented) }
        let longAccented = "a1" + String(repeating: "q", count: 88) + "é"
        #expect(throws: Bech32mError.tooLong(length: 91)) { try Bech32m.decode(longAccented) }
    }

    @Test func byteRegroupingRoundTripsEveryLength() throws {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let values = Bech32m.fiveBitValues(fromBytes: bytes)
            #expect(values.count == (length * 8 + 4) / 5)
            #expect(values.allSatisfy { $0 < 32 })
            #expect(try Bech32m.bytes(fromFiveBitValues: values) == bytes)
        }
    }

    @Test func regroupingRejectsBadPadding() {
        // One byte takes two 5-bit values with 2 padding bits: the low bits of the last value.
        #expect(throws: Bech32mError.nonZeroPadding) { try Bech32m.bytes(fromFiveBitValues: [0, 1]) }
        // Three values hold 15 bits: one byte and 7 padding bits, more than a correct encoder emits.
        #expect(throws: Bech32mError.excessPadding) { try Bech32m.bytes(fromFiveBitValues: [0, 0, 0]) }
    }

    @Test func errorMessagesNameTheProblem() {
        #expect(Bech32mError.checksumMismatch.description.contains("mistyped"))
        #expect(Bech32mError.characterOutOfRange(" ", position: 1).description.contains("U+0020"))
        #expect(Bech32mError.characterNotInAlphabet("b", position: 3).description.contains("'b' at position 3"))
    }
}

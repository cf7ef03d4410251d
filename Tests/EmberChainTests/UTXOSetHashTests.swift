import BigInt
import EmberCore
import EmberCrypto
import EmberTestSupport
import Foundation
import Testing

@testable import EmberChain

/// The UTXO-set hash against DESIGN.md section 13 computed here with arbitrary-precision integers,
/// and its fixed-width arithmetic at the edges of the modulus.
@Suite struct UTXOSetHashTests {
    static let modulus = (BigUInt(1) << 256) - 189

    static func big(_ words: (UInt64, UInt64, UInt64, UInt64)) -> BigUInt {
        [words.0, words.1, words.2, words.3].reduce(BigUInt(0)) { $0 << 64 | BigUInt($1) }
    }

    static func words(_ value: BigUInt) -> (UInt64, UInt64, UInt64, UInt64) {
        let limb = { (shift: Int) in UInt64(truncatingIfNeeded: value >> shift) }
        return (limb(192), limb(128), limb(64), limb(0))
    }

    /// Values at and around 0, the modulus and 2^256, and some from a fixed generator.
    static var edgeValues: [BigUInt] {
        let top = (BigUInt(1) << 256) - 1
        var values: [BigUInt] = [0, 1, 188, 189, 190, modulus - 1, modulus, modulus + 1, top - 1, top, BigUInt(1) << 255]
        var generator = SeededGenerator(seed: 13)
        for _ in 0..<40 { values.append(big((generator.next(), generator.next(), generator.next(), generator.next()))) }
        return values
    }

    @Test func fixedWidthArithmeticMatchesArbitraryPrecision() {
        let values = Self.edgeValues
        for left in values {
            let a = ModularSum256(reducing: Self.words(left))
            #expect(Self.big(a.words) == left % Self.modulus)
            for right in values {
                let b = ModularSum256(reducing: Self.words(right))
                let (x, y) = (left % Self.modulus, right % Self.modulus)
                #expect(Self.big(a.adding(b).words) == (x + y) % Self.modulus)
                #expect(Self.big(a.subtracting(b).words) == (x + Self.modulus - y) % Self.modulus)
            }
        }
    }

    @Test func theHashIsTheSumOfTheTermsOfSectionThirteen() {
        var generator = SeededGenerator(seed: 14)
        var hash = UTXOSetHash.empty
        var reference = BigUInt(0)
        var outputs: [(OutPoint, Output)] = []
        for _ in 0..<200 {
            let outpoint = OutPoint(txid: RandomValues.hash32(using: &generator), index: UInt32.random(in: 0...9, using: &generator))
            let output = Output(amount: Amount(units: UInt128(generator.next())), lock: .pubKeyHash(RandomValues.hash32(using: &generator)))
            outputs.append((outpoint, output))
            hash.insert(outpoint, output)
            var writer = ByteWriter()
            writer.writeRawBytes(Array("ember/utxo/v1".utf8))
            writer.write(outpoint)
            writer.write(output)
            reference = (reference + BigUInt(Data(Blake3.hash(writer.bytes).bytes))) % Self.modulus
            #expect(Self.big(hash.hash.bigEndianWords) == reference)
        }
        // Removing in another order returns to the empty set, through the stored form too.
        var reloaded = UTXOSetHash(hash.hash)
        for (outpoint, output) in outputs.reversed() { reloaded.remove(outpoint, output) }
        #expect(reloaded == .empty)
        #expect(reloaded.hash == .zero)
    }
}

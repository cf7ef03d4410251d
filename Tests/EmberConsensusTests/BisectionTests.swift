import EmberConsensus
import EmberTestSupport
import Foundation
import Testing

/// Truebit's bisection points (DESIGN.md section 18), against the truebit section of
/// `../shared/vectors/layer2.json` as it is, and at the edges of 64 bits.
@Suite("Truebit bisection points")
struct BisectionTests {
    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        let lo: UInt64
        let hi: UInt64
        let points: [UInt64]
        var testDescription: String { "[\(lo), \(hi)]" }
    }

    static let vectors: [Vector] = {
        struct Truebit: Decodable { let bisectionPoints: [Vector] }
        struct File: Decodable { let truebit: Truebit }
        // The vectors are read once; a missing file fails `theVectorsAreThere` below.
        guard let data = try? SharedVectors.data(named: "layer2.json") else { return [] }
        return (try? JSONDecoder().decode(File.self, from: data).truebit.bisectionPoints) ?? []
    }()

    @Test func theVectorsAreThere() {
        #expect(Self.vectors.count == 7)
    }

    @Test(arguments: vectors)
    func pointsMatchTheVectors(_ vector: Vector) {
        #expect(Bisection.points(lo: vector.lo, hi: vector.hi) == vector.points)
    }

    @Test(arguments: vectors)
    func partsTileTheSpan(_ vector: Vector) throws {
        // Part j runs from the point before it to the point after it, lo and hi at the ends.
        let bounds = [vector.lo] + vector.points + [vector.hi]
        let parts = try #require(Bisection.partCount(lo: vector.lo, hi: vector.hi))
        #expect(parts == UInt64(vector.points.count + 1))
        for j in 1...parts {
            let part = try #require(Bisection.part(j, lo: vector.lo, hi: vector.hi))
            #expect(part.lo == bounds[Int(j) - 1] && part.hi == bounds[Int(j)])
            #expect(part.hi > part.lo)
        }
        #expect(Bisection.part(0, lo: vector.lo, hi: vector.hi) == nil)
        #expect(Bisection.part(parts + 1, lo: vector.lo, hi: vector.hi) == nil)
    }

    @Test("one step left, an empty span and a reversed one cannot be bisected")
    func notBisectable() {
        #expect(Bisection.points(lo: 7, hi: 8) == nil)
        #expect(Bisection.points(lo: 7, hi: 7) == nil)
        #expect(Bisection.points(lo: 8, hi: 7) == nil)
        #expect(Bisection.part(1, lo: 7, hi: 8) == nil)
    }

    @Test("the widest span, [0, 2^64 − 1], is cut at the sixteenths without overflow")
    func widestSpan() throws {
        let points = try #require(Bisection.points(lo: 0, hi: .max))
        // Each point is i · (2^64 − 1) / 16 rounded down, i.e. i · 2^60 − 1 for i = 1 … 15.
        #expect(points == (1...15).map { UInt64($0) << 60 - 1 })
        let top = try #require(Bisection.points(lo: .max - 20, hi: .max))
        #expect(top.count == 15 && top.last! < .max && top.first! > .max - 20)
    }

    @Test("rounds: ⌈log16(steps)⌉", arguments: [
        (UInt64(0), 0), (1, 0), (2, 1), (16, 1), (17, 2), (256, 2), (257, 3), (1_000_000, 5), (10_000_000, 6),
        (100_000_000, 7), (1_000_000_000, 8), (UInt64.max, 16),
    ])
    func rounds(steps: UInt64, expected: Int) {
        #expect(Bisection.maxRounds(steps: steps) == expected)
    }
}

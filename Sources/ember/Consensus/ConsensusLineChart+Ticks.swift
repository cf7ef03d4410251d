import Foundation

extension ConsensusLineChart {
    private static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
    ]

    /// `number` in superscript digits, for powers in tick labels.
    static func superscript(_ number: Int) -> String {
        String(String(number).map { superscripts[$0]! })
    }

    /// Round steps (1, 2 or 5 times a power of ten) from 0 to `maximum`, at most ten of them.
    static func ticks(maximum: Double) -> [Tick] {
        let magnitude = pow(10, log10(maximum / 5).rounded(.down))
        let step = [1.0, 2, 5].map { $0 * magnitude }.first { maximum / $0 <= 10 } ?? 10 * magnitude
        return (0...Int((maximum * 1.05 / step).rounded(.down))).map { index in
            let value = Double(index) * step
            return Tick(value: value, label: String(format: "%g", value))
        }
    }

    /// Ticks at every `every`-th whole power in `range` of a log axis, labelled `base` to that power.
    static func powerTicks(_ range: ClosedRange<Double>, base: String, every: Int = 1) -> [Tick] {
        let powers = Int(range.lowerBound.rounded(.up))...Int(range.upperBound.rounded(.down))
        return powers.filter { $0 % every == 0 }.map { Tick(value: Double($0), label: base + superscript($0)) }
    }
}

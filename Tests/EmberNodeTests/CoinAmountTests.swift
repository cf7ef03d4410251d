import EmberCore
import EmberNode
import EmberTestSupport
import Testing

@Suite("EMB amounts")
struct CoinAmountTests {
    static let coin = Amount.unitsPerCoin

    @Test("valid decimal texts parse to exact units", arguments: [
        ("1", coin),
        ("0", 0),
        ("0.5", coin / 2),
        ("1.000000000000000001", coin + 1),
        ("0.000000000000000001", 1),
        ("123.456", 123 * coin + 456 * coin / 1_000),
        ("007.10", 7 * coin + coin / 10),
        ("1000000000", 1_000_000_000 * coin),
        ("340282366920938463463.374607431768211455", UInt128.max),
    ] as [(String, UInt128)])
    func valid(text: String, units: UInt128) throws {
        #expect(try CoinAmount.parse(text) == Amount(units: units))
    }

    @Test("invalid texts give the exact message", arguments: [
        ("", "the amount is empty; write it in EMB, such as 12.5"),
        ("1.0000000000000000001", "the amount '1.0000000000000000001' has 19 decimals; EMB has at most 18"),
        ("-1", "the amount '-1' is negative; write a positive number of EMB"),
        ("1e5", "the amount '1e5' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"),
        ("+1", "the amount '+1' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"),
        (".5", "the amount '.5' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"),
        ("1.", "the amount '1.' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"),
        ("1.2.3", "the amount '1.2.3' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"),
        (" 1", "the amount ' 1' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"),
        ("1,5", "the amount '1,5' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"),
        ("١", "the amount '١' is not a decimal number of EMB; use digits with at most one '.', such as 12.5"),
        ("340282366920938463463.374607431768211456", "the amount '340282366920938463463.374607431768211456' is too large to be an amount of EMB"),
        ("9999999999999999999999", "the amount '9999999999999999999999' is too large to be an amount of EMB"),
        (String(repeating: "1", count: 65), "the amount is 65 characters long; at most 64 are accepted"),
    ])
    func invalid(text: String, message: String) {
        let error = #expect(throws: CoinAmount.ParseError.self) { try CoinAmount.parse(text) }
        #expect(error?.description == message)
    }

    @Test("formatting trims trailing zeros", arguments: [
        (0, "0"),
        (1, "0.000000000000000001"),
        (coin, "1"),
        (coin / 2, "0.5"),
        (coin + 1, "1.000000000000000001"),
        (1_000_000 * coin, "1000000"),
        (12 * coin + 340 * coin / 1_000, "12.34"),
    ] as [(UInt128, String)])
    func format(units: UInt128, text: String) throws {
        #expect(CoinAmount.format(Amount(units: units)) == text)
        #expect(try CoinAmount.parse(text) == Amount(units: units))
    }

    @Test("format then parse is the identity on random amounts")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 0xE3B)
        for _ in 0..<1_000 {
            let amount = RandomValues.amount(using: &generator)
            #expect(try CoinAmount.parse(CoinAmount.format(amount)) == amount)
        }
    }
}

import EmberCore
import EmberTestSupport
import Testing

@testable import EmberStore

@Suite struct UndoRecordTests {
    @Test func roundTripsRandomEntries() throws {
        var generator = SeededGenerator(seed: 50)
        for count in [0, 1, 7] {
            let spent = (0..<count).map { _ in
                UTXO(
                    outpoint: RandomValues.outPoint(using: &generator),
                    entry: UTXOEntry(
                        output: RandomValues.output(using: &generator),
                        height: generator.next(),
                        isCoinbase: Bool.random(using: &generator)
                    )
                )
            }
            #expect(try UndoRecord.decode(UndoRecord.encode(spent)) == spent)
        }
    }

    @Test(arguments: [[UInt8](), [0x01], [0x00, 0x00], [0x05, 0x01, 0x02]])
    func rejectsDamagedBytes(bytes: [UInt8]) {
        #expect(throws: DecodingError.self) { try UndoRecord.decode(bytes) }
    }
}

// Fuzzes `TruebitTransactions.postedPoints(in:spending:)`, which reads the solver's state hashes from
// the witness of a bisect that a node or a peer sent (docs/truebit.md, "Challenger"): the transaction
// is decoded from the input by `Transaction.decode(from:limit:)`, then its points are asked for the game
// at each of its inputs' outpoints and at an outpoint it does not spend.
// Properties: points are read only from a Truebit bisect spending that outpoint (its first input that
// does), 1 to `Bisection.maxParts − 1` of them, and they are the first witness item of that input, byte
// for byte; an outpoint the transaction does not spend has no points.

import EmberConsensus
import EmberCore
import EmberCrypto
import EmberTruebit
import FuzzSamples
import FuzzSupport

Fuzz.main(seeds: { bisects().map(\.encoded) }, check: check)

func check(_ bytes: [UInt8]) -> Bool {
    guard let transaction = try? Transaction.decode(from: bytes, limit: Transaction.maxSize) else { return false }
    let unspent = OutPoint(txid: Samples.hash(0xee), index: 0xeeee)
    var accepted = false
    for game in transaction.inputs.map(\.outpoint) + [unspent] {
        guard let points = try? TruebitTransactions.postedPoints(in: transaction, spending: game) else { continue }
        accepted = true
        let index = transaction.inputs.firstIndex { $0.outpoint == game }
        Fuzz.expect(index != nil, "points read for the game \(game.txid):\(game.index), which the transaction does not spend")
        guard let index else { continue }
        let unlock = transaction.inputs[index].unlock
        Fuzz.expect(
            unlock.tag == Unlock.Tag.truebit && unlock.covenant?.mode == CovenantUnlock.TruebitMode.bisect.rawValue,
            "points read from input \(index), whose unlock is not a Truebit bisect")
        Fuzz.expect((1..<Int(Bisection.maxParts)).contains(points.count), "\(points.count) points read")
        Fuzz.expectRoundTrip(points.flatMap(\.bytes), transaction.witnesses[index].items[0], "bisect points")
    }
    return accepted
}

/// Bisects of 1, 3 and 15 points (the most), as the first, second and a later input, among other
/// inputs and with the signature after the points; a choose; a bisect with no witness; 16 points.
func bisects() -> [Transaction] {
    let game = OutPoint(txid: Samples.hash(0x61), index: 0)
    let signature = [UInt8](repeating: 0x5a, count: 64)
    let unlock = { (mode: CovenantUnlock.TruebitMode) in Unlock.truebit(CovenantUnlock(mode: mode.rawValue, firstOutput: 0)) }
    let points = { (count: Int) in (0..<count).flatMap { Blake3.hash([UInt8($0)]).bytes } }
    let payment = Samples.transactions[0]
    let output = Output(amount: Amount(units: 1_000), lock: Samples.locks[0])
    func spend(_ inputs: [Input], _ witnesses: [Witness]) -> Transaction {
        Transaction(version: Transaction.version2, inputs: inputs, reads: [], outputs: [output], blobs: [], witnesses: witnesses)
    }
    let bisect = Input(outpoint: game, unlock: unlock(.bisect))
    return [
        spend([bisect], [Witness(items: [points(1), signature])]),
        spend(payment.inputs + [bisect], payment.witnesses + [Witness(items: [points(3), signature])]),
        spend(
            [Input(outpoint: OutPoint(txid: Samples.hash(0x62), index: 1), unlock: unlock(.commit)), bisect] + payment.inputs,
            [Witness(items: [[1, 2, 3]]), Witness(items: [points(15), signature])] + payment.witnesses),
        spend([Input(outpoint: game, unlock: unlock(.choose))], [Witness(items: [points(3), [2], signature])]),
        spend([bisect], []),
        spend([bisect], [Witness(items: [points(16), signature])]),
    ]
}

import EmberCore
import EmberCrypto
import EmberLayer2

/// What a fraud proof shows about a move T included in a child block (docs/plasma.md, mode 8).
public enum PlasmaFraudGround: Hashable, Sendable {
    /// Ground 1: T's parent block has an empty leaf for the coin (`parentAbsence`).
    case emptyParent(IncludedMove, parentAbsence: BlockProof)
    /// Ground 2: T is not signed by the new owner of the move at its parent leaf.
    case badSignature(IncludedMove, parent: IncludedMove)
    /// Ground 3: the coin's leaf `leaf` in a block strictly between T's parent and T is not empty.
    case inclusionBetween(IncludedMove, leaf: Hash32, at: BlockProof)
    /// Ground 4: T names a parent at or after its own block.
    case parentNotEarlier(IncludedMove)
    /// Ground 5: T is a first move not signed by the depositor, whose key `coinPreimage` shows.
    case forgedFirstMove(IncludedMove, coinPreimage: [UInt8])

    public var number: UInt8 {
        switch self {
        case .emptyParent: 1
        case .badSignature: 2
        case .inclusionBetween: 3
        case .parentNotEarlier: 4
        case .forgedFirstMove: 5
        }
    }

    var fraudulent: IncludedMove {
        switch self {
        case .emptyParent(let move, _), .badSignature(let move, _), .inclusionBetween(let move, _, _), .parentNotEarlier(let move),
             .forgedFirstMove(let move, _):
            move
        }
    }

    /// The witness items: `ground, T, n, proofT`, then the ground's own.
    var items: [[UInt8]] {
        let move = fraudulent
        let common = [[number], move.move.encoded, IncludedMove.u64(move.number), move.proof.encoded]
        switch self {
        case .emptyParent(_, let absence): return common + [absence.proof.encoded]
        case .badSignature(_, let parent): return common + [parent.move.encoded, parent.proof.encoded]
        case .inclusionBetween(_, let leaf, let at): return common + [leaf.bytes, IncludedMove.u64(at.number), at.proof.encoded]
        case .parentNotEarlier: return common
        case .forgedFirstMove(_, let preimage): return common + [preimage]
        }
    }

    var reads: [PlasmaCoinTransactions.ChainOutput] {
        let own = fraudulent.block
        let extra: PlasmaCoinTransactions.ChainOutput? = switch self {
        case .emptyParent(_, let absence): absence.block
        case .badSignature(_, let parent): parent.block
        case .inclusionBetween(_, _, let at): at.block
        case .parentNotEarlier, .forgedFirstMove: nil
        }
        guard let extra, extra.outpoint != own.outpoint else { return [own] }
        return [own, extra]
    }

    /// `first input outpoint ‖ varint(output index) ‖ varint(amount) ‖ depositorKey`: what a coinId hashes
    /// after its chainId, shown by ground 5.
    public static func coinPreimage(firstInput: OutPoint, outputIndex: UInt32, amount: Amount, depositorKey: RawPublicKey) -> [UInt8] {
        var writer = ByteWriter()
        writer.write(firstInput)
        writer.writeVarint(UInt128(outputIndex))
        writer.writeVarint(amount.units)
        writer.writeRawBytes(depositorKey.bytes)
        return writer.bytes
    }
}

extension PlasmaCoinTransactions {
    /// Mode 8: proves the chain's operator included a move no honest operator includes; freezes the
    /// chain (its bond `bond` goes to state 1), burns half the bond and pays the other half to `recipient`
    /// (a pubKeyHash; the funding key's by default).
    public func fraudProof(
        bond: ChainOutput, ground: PlasmaFraudGround, recipient: Hash32? = nil, in context: Context
    ) throws(PlasmaTransactionError) -> SponsoredTransaction {
        guard case .plasmaBond(let lock) = bond.unspent.output.lock else { throw .notThe("plasmaBond", bond.outpoint) }
        let payee = recipient ?? sponsor.fundingKey.publicKey.publicKeyHash
        let frozen = PlasmaBondLock(chainId: lock.chainId, exitWindow: lock.exitWindow, state: .frozen)
        let input = CovenantSpendInput(
            outpoint: bond.outpoint, spent: bond.unspent, unlock: Self.unlock(.fraudProof, recipient: payee), witness: Witness(items: ground.items),
            pinned: [Output(amount: .zero, lock: .plasmaBond(frozen)), Output(amount: Amount(units: bond.unspent.output.amount.units / 2), lock: .pubKeyHash(payee))])
        return try build(CovenantTransactionRequest(covenantInputs: [input], reads: ground.reads), in: context)
    }
}

import EmberCore
import EmberCrypto

/// What the Plasma lock rules (tags 3, 4, 5, 6, 10, 13, 14; DESIGN.md section 17, docs/plasma.md) check
/// alike: witness items of fixed sizes, child blocks found among the reads, proofs against them, child
/// transaction signatures, heights and the outputs a closed exit leaves.
///
/// Order of checks, as for channels: sizes and decodings, heights, field equalities and pins, reads,
/// proofs, signatures last. Every failure names its rule.
struct PlasmaChecks: CovenantHeightChecks {
    let lockTag: UInt8
    let height: UInt64
    let transaction: Transaction
    let reads: [UnspentOutput]
    let params: ConsensusParams
    /// Indices of the reads the rule has looked at.
    private(set) var usedReads = Set<Int>()

    init(lockTag: UInt8, height: UInt64, transaction: Transaction, reads: [UnspentOutput], params: ConsensusParams) {
        self.lockTag = lockTag
        self.height = height
        self.transaction = transaction
        self.reads = reads
        self.params = params
    }

    init(_ context: SpendContext) {
        self.init(
            lockTag: context.spent.output.lock.tag, height: context.height, transaction: context.transaction,
            reads: context.reads, params: context.params)
    }

    var network: NetworkID { params.networkID }
    var layer2: Layer2Parameters { params.layer2 }
    /// β_min: the exit and challenge bond minimum.
    var bondMinimum: Amount { layer2.bondMinimum }

    func broken(_ rule: String, _ detail: String) -> CovenantRejection {
        .ruleBroken(lockTag: lockTag, rule: rule, detail: detail)
    }

    // MARK: Witness items

    func requireItemCount(_ items: [[UInt8]], _ allowed: Set<Int>, mode: String) throws(CovenantRejection) {
        guard allowed.contains(items.count) else {
            throw broken("witness", "\(mode) takes \(allowed.sorted().map(String.init).joined(separator: " or ")) witness items, found \(items.count)")
        }
    }

    /// The one item of a mode the operator signs: a 64-byte signature, checked for size before anything else.
    func requireOperatorSignatureItem(_ items: [[UInt8]], mode: String) throws(CovenantRejection) {
        try requireItemCount(items, [1], mode: mode)
        guard items[0].count == Signature.byteCount else {
            throw broken("witness", "the operator's signature must be \(Signature.byteCount) bytes, found \(items[0].count)")
        }
    }

    /// A 136-byte child transaction.
    func childTransaction(_ bytes: [UInt8], _ what: String) throws(CovenantRejection) -> ChildTransaction {
        guard bytes.count == ChildTransaction.byteCount else {
            throw broken("witness", "\(what) must be a child transaction of \(ChildTransaction.byteCount) bytes, found \(bytes.count)")
        }
        do {
            return try ChildTransaction.decode(from: bytes, limit: ChildTransaction.byteCount)
        } catch {
            throw broken("witness", "\(what) is not a child transaction: \(error)")
        }
    }

    /// A well-formed compressed proof (length exactly its bitmap's, no listed sibling empty, ≤ 8 224 bytes).
    func proof(_ bytes: [UInt8], _ what: String) throws(CovenantRejection) -> SparseMerkleTree.Proof {
        do {
            return try SparseMerkleTree.Proof(decoding: bytes, limit: SparseMerkleTree.Proof.maxByteCount)
        } catch {
            throw broken("proof", "\(what) is not a well-formed proof: \(error)")
        }
    }

    /// A block number: exactly 8 bytes, big-endian.
    func blockNumber(_ bytes: [UInt8], _ what: String) throws(CovenantRejection) -> UInt64 {
        guard bytes.count == 8 else { throw broken("witness", "\(what) must be a block number of 8 bytes, found \(bytes.count)") }
        return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    func hash32(_ bytes: [UInt8], _ what: String) throws(CovenantRejection) -> Hash32 {
        guard let hash = Hash32(bytes) else { throw broken("witness", "\(what) must be 32 bytes, found \(bytes.count)") }
        return hash
    }

    // MARK: Heights

    /// `a + k · w` in 64 bits, saturating.
    static func sat(_ a: UInt64, _ k: UInt64, times w: UInt32) -> UInt64 {
        let (product, overflow) = k.multipliedReportingOverflow(by: UInt64(w))
        return overflow ? .max : sat(a, product)
    }

    // MARK: Reads

    /// The read `plasmaBlock(chainId, number)`; the rule uses that read.
    mutating func block(chainId: Hash32, number: UInt64) throws(CovenantRejection) -> PlasmaBlockLock {
        for (index, read) in reads.enumerated() {
            if case .plasmaBlock(let block) = read.output.lock, block.chainId == chainId, block.number == number {
                usedReads.insert(index)
                return block
            }
        }
        throw broken("reads", "the transaction does not read child block \(number) of chain \(chainId)")
    }

    /// The read `plasmaBond` of `chainId`; the rule uses that read.
    mutating func bond(chainId: Hash32) throws(CovenantRejection) -> PlasmaBondLock {
        for (index, read) in reads.enumerated() {
            if case .plasmaBond(let bond) = read.output.lock, bond.chainId == chainId {
                usedReads.insert(index)
                return bond
            }
        }
        throw broken("reads", "the transaction does not read the bond of chain \(chainId)")
    }

    /// The read output at `outpoint`, if the transaction reads it; the rule uses that read.
    mutating func read(at outpoint: OutPoint) -> UnspentOutput? {
        guard let index = transaction.reads.firstIndex(of: outpoint) else { return nil }
        usedReads.insert(index)
        return reads[index]
    }

    // MARK: Proofs and signatures

    /// `holds(coinId, leaf, n)`: the proof's root from key `coinId` and `leaf` is block n's root.
    mutating func requireHolds(
        _ proof: SparseMerkleTree.Proof, coinId: Hash32, leaf: Hash32, chainId: Hash32, number: UInt64, what: String
    ) throws(CovenantRejection) {
        let block = try block(chainId: chainId, number: number)
        guard SparseMerkleTree.verify(proof, key: coinId, leaf: leaf, root: block.root) else {
            throw broken("proof", "\(what) does not hold against child block \(number)'s root")
        }
    }

    /// `included(tx, n)`.
    mutating func requireIncluded(
        _ tx: ChildTransaction, proof: SparseMerkleTree.Proof, chainId: Hash32, number: UInt64, what: String
    ) throws(CovenantRejection) {
        try requireHolds(proof, coinId: tx.coinId, leaf: tx.leaf, chainId: chainId, number: number, what: "the inclusion of \(what)")
    }

    /// `signs(key, tx)`.
    func requireSigned(_ tx: ChildTransaction, by key: RawPublicKey, what: String) throws(CovenantRejection) {
        guard tx.isSigned(by: key, network: network) else {
            throw broken("signature", "\(what) is not signed by \(key)")
        }
    }

    /// The operator's signature (64 bytes) of the txid, as a plain transaction signature.
    func requireOperatorSignature(_ bytes: [UInt8], key: RawPublicKey, txid: Hash32) throws(CovenantRejection) {
        guard bytes.count == Signature.byteCount else {
            throw broken("witness", "the operator's signature must be \(Signature.byteCount) bytes, found \(bytes.count)")
        }
        guard let signature = try? Signature(bytes: bytes), let publicKey = try? PublicKey(bytes: key.bytes),
              publicKey.isValidSignature(signature, txid: txid, network: network)
        else {
            throw broken("signature", "the witness is not the operator's signature of the transaction")
        }
    }

    // MARK: Outputs

    /// `pkh(k)`: pays H(k).
    static func payTo(_ key: RawPublicKey) -> Lock { .pubKeyHash(Blake3.hash(key.bytes)) }

    /// The output at `firstOutput + offset` when it exists, checked in 64 bits before any indexing.
    func output(firstOutput: UInt64, offset: UInt64, input: Int, count: Int) throws(CovenantRejection) -> Output {
        let (index, overflow) = firstOutput.addingReportingOverflow(offset)
        guard !overflow, index < UInt64(transaction.outputs.count) else {
            throw .pinnedRangeOutOfBounds(input: input, firstOutput: firstOutput, count: count, outputs: transaction.outputs.count)
        }
        return transaction.outputs[Int(index)]
    }

    /// The marker a closed exit leaves, holding exactly dust.
    func marker(of exitOutpoint: OutPoint, exit: PlasmaExitLock) -> PinnedOutput {
        PinnedOutput(
            amount: params.dust,
            lock: .plasmaExitClosed(PlasmaExitClosedLock(exit: exitOutpoint, sweepFrom: Self.sat(exit.deadline, 5, times: exit.exitWindow))))
    }

    /// The coin's value inside an exit: its amount less the exit bond.
    func exitValue(_ exit: PlasmaExitLock, amount: Amount) throws(CovenantRejection) -> Amount {
        guard let value = amount.subtracting(exit.exitBond) else {
            throw broken("amount", "the exit holds \(amount), less than its bond \(exit.exitBond)")
        }
        return value
    }

    /// The cancel outputs of exit X with recipient R: the coin back, half the bond to R, the marker; the
    /// other half of the bond is burnt.
    func cancel(exit: PlasmaExitLock, amount: Amount, outpoint: OutPoint, recipient: RawPublicKey) throws(CovenantRejection) -> CovenantSpend {
        let value = try exitValue(exit, amount: amount)
        let half = Amount(units: exit.exitBond.units / 2)
        let coin = PlasmaCoinLock(
            chainId: exit.chainId, coinId: exit.coinId, depositorKey: exit.depositorKey, exitWindow: exit.exitWindow,
            firstBlock: exit.firstBlock)
        return CovenantSpend(
            pinned: [
                PinnedOutput(amount: value, lock: .plasmaCoin(coin)), PinnedOutput(amount: half, lock: Self.payTo(recipient)),
                marker(of: outpoint, exit: exit),
            ],
            burnt: Amount(units: exit.exitBond.units - half.units))
    }

    /// Outputs a creation rule allows carry lockTime 0 and no data: a lockTime on a bond, coin or challenge
    /// would block the spend that protects someone else.
    func requirePlain(_ output: Output, index: Int) throws(CovenantRejection) {
        guard output.lockTime == 0, output.data.isEmpty else {
            throw broken("creation", "output \(index) must have lockTime 0 and no data")
        }
    }
}

extension PlasmaExitLock {
    /// The five coin fields of the exit.
    var coin: PlasmaCoinLock {
        PlasmaCoinLock(chainId: chainId, coinId: coinId, depositorKey: depositorKey, exitWindow: exitWindow, firstBlock: firstBlock)
    }
}

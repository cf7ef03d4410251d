import EmberConsensus
import EmberCore
import EmberCrypto
import EmberVM

/// The consensus time of a game's settling step (mode 6), each figure a mean over `repeats` checks of the
/// same transaction against the outputs it spends, beside one Ed25519 verification timed the same way, so
/// a reader sees what a step costs a node in signatures.
struct SettleMeasurement {
    let step: TruebitDisputeReport.Included
    let proof: StepProof
    /// The outputs as they stood before the step: the game it spends and the challenger's fee output.
    let view: InMemoryUTXOView
    let params: ConsensusParams
    let blockTimestamp: UInt64
    let repeats: Int

    func measure() throws(TruebitDisputeBenchmark.Failure) -> TruebitDisputeReport.SettleCost {
        let transaction = step.transaction
        let digests = transaction.digests
        let (height, params, view, blockTimestamp) = (step.height, params, view, blockTimestamp)
        // One check of each first, with its error, so that a refused step says why instead of timing a failure.
        do {
            try params.checkTransactionSanity(transaction, digests: digests)
            try params.checkSignatures(transaction, txid: digests.txid)
            _ = try params.checkTransactionConnect(transaction, digests: digests, view: view, height: height, blockTimestamp: blockTimestamp)
            _ = try verifyStep(proof)
        } catch {
            throw TruebitDisputeBenchmark.Failure(description: "the settling step does not check: \(error)")
        }
        let connect = try mean("connect") {
            (try? params.checkTransactionConnect(transaction, digests: digests, view: view, height: height, blockTimestamp: blockTimestamp)) != nil
        }
        let fullCheck = try mean("the full check") {
            (try? params.checkTransactionSanity(transaction, digests: digests)) != nil
                && (try? params.checkSignatures(transaction, txid: digests.txid)) != nil
                && (try? params.checkTransactionConnect(transaction, digests: digests, view: view, height: height, blockTimestamp: blockTimestamp)) != nil
        }
        let verify = try mean("verifyStep") { (try? verifyStep(proof)) != nil }

        let key = TruebitDisputeBenchmark.challengerKey
        let signature: Signature
        do {
            signature = try key.sign(txid: digests.txid, network: params.networkID)
        } catch {
            throw TruebitDisputeBenchmark.Failure(description: "signing the reference failed: \(error)")
        }
        let signatureVerification = try mean("the reference signature") {
            key.publicKey.isValidSignature(signature, txid: digests.txid, network: params.networkID)
        }
        return TruebitDisputeReport.SettleCost(
            repeats: repeats, connect: connect, fullCheck: fullCheck, verifyStep: verify, signatureVerification: signatureVerification,
            proofBytes: proof.encoded().count, proofDataLeaves: proof.data.count)
    }

    /// The mean time of `check` over `repeats` calls, after one call to warm up; every call must pass.
    private func mean(_ what: String, _ check: () -> Bool) throws(TruebitDisputeBenchmark.Failure) -> Duration {
        _ = check()
        let clock = ContinuousClock()
        var passed = 0
        let start = clock.now
        for _ in 0..<repeats where check() { passed += 1 }
        let elapsed = clock.now - start
        guard passed == repeats else {
            throw TruebitDisputeBenchmark.Failure(description: "\(what) failed \(repeats - passed) of \(repeats) times")
        }
        return elapsed / repeats
    }
}

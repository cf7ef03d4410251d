import EmberChain

extension DataFolder {
    /// Rebuilds the UTXO set from the stored blocks and compares it with the stored one (`ember chain
    /// verify`). A folder stopped between its creation and its first block holds no chain yet, which
    /// is consistent: it is opened as every start does (connecting genesis), then verified.
    public func verifyChain() async throws(ChainVerifyError) -> ChainVerifier.Report {
        if (try? store.tip()) == nil {
            do {
                _ = try await Chain(params: params, store: store)
            } catch {
                throw .genesisNotConnected(error)
            }
        }
        do {
            return try ChainVerifier.verify(store)
        } catch {
            throw .cannotRun(error)
        }
    }
}

/// Why a chain could not be verified (as opposed to verified and found to differ); phrased for a person.
public enum ChainVerifyError: Error, CustomStringConvertible {
    case genesisNotConnected(ChainError)
    case cannotRun(ChainError)

    public var description: String {
        switch self {
        case .genesisNotConnected(let error): "the folder holds no chain and genesis could not be connected: \(error)"
        case .cannotRun(let error): "verification could not run: \(error)"
        }
    }
}

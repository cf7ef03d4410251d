import EmberCrypto
import EmberStore

/// A failure that is ours, not a peer's: the store failed or holds something that cannot be. The node
/// stops cleanly on these; consensus rejections are `BlockRejection` values instead.
public enum ChainError: Error, Sendable, CustomStringConvertible {
    case store(StoreError)
    /// The stored chain contradicts itself (a parent missing, undo data absent, a hash that differs).
    case inconsistentStore(String)

    public var description: String {
        switch self {
        case .store(let error): "storage failed: \(error)"
        case .inconsistentStore(let detail): "the stored chain is inconsistent: \(detail); run `ember chain verify`"
        }
    }
}

extension ChainError {
    /// `error` as a chain error: a store failure or a chain error as it is; anything else thrown
    /// while reading the store means the store holds something that cannot be.
    init(wrapping error: any Error) {
        switch error {
        case let error as ChainError: self = error
        case let error as StoreError: self = .store(error)
        default: self = .inconsistentStore("\(error)")
        }
    }
}

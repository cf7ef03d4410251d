import EmberCore
import EmberCrypto
import EmberLayer2

/// Writes co-signed states to the store in groups, then runs what waited on them (sending an
/// acknowledgement, telling a payer its payment is final): one SQLite transaction for every state that
/// arrived while the previous one was being written, keeping only each channel's latest. A state's
/// follow-up never runs before the state is on disk.
actor DurableStateWriter {
    private let store: ChannelStore
    private var queue: [(CoSignedState, @Sendable () async -> Void)] = []
    private var writing = false
    private var failure: ClientStoreError?

    init(store: ChannelStore) {
        self.store = store
    }

    /// Persists `coSigned` (or a later state of its channel) and then runs `afterwards`.
    func persist(_ coSigned: CoSignedState, afterwards: @escaping @Sendable () async -> Void) async throws(ClientStoreError) {
        if let failure { throw failure }
        queue.append((coSigned, afterwards))
        guard !writing else { return }
        writing = true
        defer { writing = false }
        while !queue.isEmpty {
            let batch = queue
            queue = []
            var latest = [Hash32: CoSignedState]()
            for (coSigned, _) in batch {
                let id = coSigned.state.channelId
                if let kept = latest[id], kept.state.version > coSigned.state.version { continue }
                latest[id] = coSigned
            }
            do throws(ClientStoreError) {
                try store.saveLatest(Array(latest.values))
            } catch {
                failure = error
                throw error
            }
            for (_, afterwards) in batch { await afterwards() }
        }
    }
}

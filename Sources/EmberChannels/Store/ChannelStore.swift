import EmberCore
import EmberCrypto
import EmberLayer2
import Foundation

/// A channel service's durable state in its client store (SQLite, WAL): each channel's record, its
/// latest co-signed state (one row per channel, replaced on every update: override means the latest
/// state is all a party needs), and the channels a watchtower was given.
///
/// A state is written here before this side acknowledges it, so a crash never loses a state the peer
/// believes this side holds.
public struct ChannelStore: Sendable {
    public let store: ClientStore

    static let recordNamespace = "channel"
    static let stateNamespace = "channel-state"
    static let towerNamespace = "tower"

    public init(store: ClientStore) {
        self.store = store
    }

    public init(path: String) throws(ClientStoreError) {
        self.init(store: try ClientStore(path: path))
    }

    public func save(_ record: ChannelRecord) throws(ClientStoreError) {
        try store.put(try encoded(record), namespace: Self.recordNamespace, key: record.id.hex)
    }

    private func encoded(_ record: ChannelRecord) throws(ClientStoreError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(record))
        } catch {
            throw .damaged(path: store.path, reason: "a channel record does not encode: \(error)")
        }
    }

    public func record(_ id: Hash32) throws(ClientStoreError) -> ChannelRecord? {
        guard let bytes = try store.get(namespace: Self.recordNamespace, key: id.hex) else { return nil }
        return try decodeRecord(bytes)
    }

    public func records() throws(ClientStoreError) -> [ChannelRecord] {
        var records = [ChannelRecord]()
        for (_, bytes) in try store.records(namespace: Self.recordNamespace) { records.append(try decodeRecord(bytes)) }
        return records
    }

    private func decodeRecord(_ bytes: [UInt8]) throws(ClientStoreError) -> ChannelRecord {
        do {
            return try JSONDecoder().decode(ChannelRecord.self, from: Data(bytes))
        } catch {
            throw .damaged(path: store.path, reason: "a channel record does not decode: \(error)")
        }
    }

    /// Replaces the channel's latest co-signed state.
    public func saveLatest(_ coSigned: CoSignedState) throws(ClientStoreError) {
        try store.put(coSigned.encoded, namespace: Self.stateNamespace, key: coSigned.state.channelId.hex)
    }

    /// Saves a record and its latest state in one transaction (opening, closing).
    public func save(_ record: ChannelRecord, latest: CoSignedState) throws(ClientStoreError) {
        let bytes = try encoded(record)
        try store.put([
            (namespace: Self.recordNamespace, key: record.id.hex, value: bytes),
            (namespace: Self.stateNamespace, key: record.id.hex, value: latest.encoded),
        ])
    }

    public func latest(_ id: Hash32) throws(ClientStoreError) -> CoSignedState? {
        guard let bytes = try store.get(namespace: Self.stateNamespace, key: id.hex) else { return nil }
        do {
            return try CoSignedState.decode(from: bytes, limit: ClientStore.maxRecordSize)
        } catch {
            throw .damaged(path: store.path, reason: "the latest state of channel \(id) does not decode: \(error)")
        }
    }
}

extension ChannelStore {
    /// Replaces the latest co-signed state of each channel in `states`, in one transaction.
    public func saveLatest(_ states: [CoSignedState]) throws(ClientStoreError) {
        try store.put(states.map { (namespace: Self.stateNamespace, key: $0.state.channelId.hex, value: $0.encoded) })
    }
}

import Foundation

/// Hosts refused for a while, kept in a JSON file so a restart does not forgive them.
///
/// The file is rewritten whole (to a temporary file, then renamed) on every change, so a kill leaves
/// either the old list or the new one. A damaged file is reported, not trusted and not overwritten
/// until the next change.
public struct BanList: Sendable {
    public struct Ban: Codable, Sendable, Equatable {
        public var host: String
        public var untilMs: UInt64
        public var reason: String
    }

    public struct FileError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Bans files hold a few hundred entries at most; anything larger is not ours.
    static let maxFileSize = 4 * 1_024 * 1_024

    public let path: String?
    private(set) var bans: [String: Ban] = [:]

    /// An empty list kept only in memory.
    public init() { path = nil }

    /// The list stored at `path`, or an empty one when the file does not exist yet.
    public init(path: String) throws(FileError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { return }
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > Self.maxFileSize {
                throw FileError(description: "the ban list \(path) is \(size) bytes, more than \(Self.maxFileSize); not ours")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as FileError {
            throw error
        } catch {
            throw FileError(description: "cannot read the ban list \(path): \(error.localizedDescription)")
        }
        do {
            for ban in try JSONDecoder().decode([Ban].self, from: data) { bans[ban.host] = ban }
        } catch {
            throw FileError(description: "the ban list \(path) is damaged (\(error)); move it away to start with no bans")
        }
    }

    /// Whether `host` is banned at `nowMs`.
    public func isBanned(_ host: String, nowMs: UInt64) -> Bool {
        guard let ban = bans[host] else { return false }
        return ban.untilMs > nowMs
    }

    /// The bans in force at `nowMs`, soonest to end first.
    public func active(nowMs: UInt64) -> [Ban] {
        bans.values.filter { $0.untilMs > nowMs }.sorted { ($0.untilMs, $0.host) < ($1.untilMs, $1.host) }
    }

    /// Bans `host` until `untilMs` (a longer ban already in force stays), and saves the list.
    public mutating func ban(_ host: String, untilMs: UInt64, reason: String) throws(FileError) {
        if let existing = bans[host], existing.untilMs >= untilMs { return }
        bans[host] = Ban(host: host, untilMs: untilMs, reason: reason)
        try save()
    }

    /// Lifts the ban on `host`; false when there was none.
    public mutating func unban(_ host: String) throws(FileError) -> Bool {
        guard bans.removeValue(forKey: host) != nil else { return false }
        try save()
        return true
    }

    /// Forgets bans that ended before `nowMs`, saving the list when any did.
    public mutating func expire(nowMs: UInt64) throws(FileError) {
        let before = bans.count
        bans = bans.filter { $0.value.untilMs > nowMs }
        if bans.count != before { try save() }
    }

    private func save() throws(FileError) {
        guard let path else { return }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(bans.values.sorted { $0.host < $1.host })
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FileError(description: "cannot save the ban list \(path): \(error.localizedDescription)")
        }
    }
}

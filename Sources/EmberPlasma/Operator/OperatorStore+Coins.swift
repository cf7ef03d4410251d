import EmberCore
import EmberCrypto
import Foundation
import GRDB

/// The coins the operator knows: registered from their deposits on layer 1, moved by sealed blocks.
extension OperatorStore {
    /// A deposit as the layer-1 watcher reports it.
    public struct Deposit: Hashable, Sendable {
        public var coinId: Hash32
        public var depositorKey: RawPublicKey
        public var amount: Amount
        public var firstBlock: UInt64

        public init(coinId: Hash32, depositorKey: RawPublicKey, amount: Amount, firstBlock: UInt64) {
            self.coinId = coinId
            self.depositorKey = depositorKey
            self.amount = amount
            self.firstBlock = firstBlock
        }
    }

    /// Registers a deposit seen final on layer 1: coin `coinId` owned by `depositorKey` whose history
    /// starts at child block `firstBlock`. Registering the same deposit again does nothing; the same coin
    /// id with other fields is refused (a coin id is made once per network, so that is a caller's bug).
    public func registerDeposit(coinId: Hash32, depositorKey: RawPublicKey, amount: Amount, firstBlock: UInt64) throws(OperatorStoreError) {
        // Child blocks are numbered from 1: a deposit's first block is the read block's number + 1.
        try registerDeposits([Deposit(coinId: coinId, depositorKey: depositorKey, amount: amount, firstBlock: firstBlock)])
    }

    /// Registers `deposits` in one transaction (the outputs of one layer-1 block, say): all or none.
    public func registerDeposits(_ deposits: [Deposit]) throws(OperatorStoreError) {
        var firstBlocks = [Int64]()
        firstBlocks.reserveCapacity(deposits.count)
        for deposit in deposits {
            // Child blocks are numbered from 1: a deposit's first block is the read block's number + 1.
            guard deposit.firstBlock >= 1 else { throw .depositConflict(coinId: "\(deposit.coinId) (first block 0)") }
            firstBlocks.append(try storedInteger(deposit.firstBlock, "a first block"))
        }
        try write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO coin (coin_id, depositor_key, amount, first_block, latest_block, owner_key)
                VALUES (?, ?, ?, ?, 0, ?)
                """)
            let existing = try db.cachedStatement(sql: "SELECT depositor_key, amount, first_block FROM coin WHERE coin_id = ?")
            for (deposit, firstBlock) in zip(deposits, firstBlocks) {
                let (coin, key, amount) = (Data(deposit.coinId.bytes), Data(deposit.depositorKey.bytes), Self.amountBytes(deposit.amount))
                insert.setUncheckedArguments([coin, key, amount, firstBlock, key])
                try insert.execute()
                guard db.changesCount == 0 else { continue }
                let row = try Row.fetchOne(existing, arguments: [coin])
                guard let row, row[0] as Data == key, row[1] as Data == amount, row[2] as Int64 == firstBlock else {
                    throw OperatorStoreError.depositConflict(coinId: deposit.coinId.hex)
                }
            }
        }
    }

    /// The coin with this id, nil when no deposit of it is registered.
    public func coin(_ coinId: Hash32) throws(OperatorStoreError) -> KnownCoin? {
        let path = self.path
        return try read { db -> KnownCoin? in
            let row = try Row.fetchOne(
                db, sql: "SELECT depositor_key, amount, first_block, latest_block, owner_key FROM coin WHERE coin_id = ?",
                arguments: [Data(coinId.bytes)])
            guard let row else { return nil }
            let amountData: Data = row["amount"]
            guard amountData.count == 16 else { throw OperatorStoreError.damaged(path: path, reason: "the amount of coin \(coinId) is malformed") }
            let units = amountData.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
            return KnownCoin(
                coinId: coinId, depositorKey: try Self.loadedKey(row["depositor_key"], "a depositor key", path: path),
                amount: Amount(units: units), firstBlock: try Self.loadedInteger(row["first_block"], "a first block", path: path),
                latestBlock: try Self.loadedInteger(row["latest_block"], "a latest block", path: path),
                ownerKey: try Self.loadedKey(row["owner_key"], "an owner key", path: path))
        }
    }

    /// The number of coins registered.
    public func coinCount() throws(OperatorStoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM coin") ?? 0 }
    }

    /// What admission needs about `coins`, the next block's number and the frozen flag, in one snapshot.
    public func chainView(for coins: some Sequence<Hash32>) throws(OperatorStoreError) -> OperatorAdmission.ChainView {
        let path = self.path
        return try read { db in try Self.chainView(db, for: coins, path: path) }
    }

    static func chainView(_ db: Database, for coins: some Sequence<Hash32>, path: String) throws -> OperatorAdmission.ChainView {
        let statement = try db.cachedStatement(sql: """
            SELECT first_block, latest_block, owner_key, (SELECT tx FROM pending WHERE pending.coin_id = coin.coin_id)
            FROM coin WHERE coin_id = ?
            """)
        var views = [Hash32: OperatorAdmission.CoinView]()
        for coin in coins where views[coin] == nil {
            guard let row = try Row.fetchOne(statement, arguments: [Data(coin.bytes)]) else { continue }
            views[coin] = OperatorAdmission.CoinView(
                firstBlock: try loadedInteger(row[0], "a first block", path: path),
                latestBlock: try loadedInteger(row[1], "a latest block", path: path),
                ownerKey: try loadedKey(row[2], "an owner key", path: path), pendingLeaf: (row[3] as Data?).map { Blake3.hash(Array($0)) })
        }
        let last = try lastBlockNumber(db, path: path)
        guard last < UInt64(Int64.max) else { throw OperatorStoreError.damaged(path: path, reason: "the last block number is 2^63 − 1") }
        return OperatorAdmission.ChainView(coins: views, nextBlock: last + 1, isFrozen: try isFrozen(db))
    }

    /// An amount as the coin table stores it: 16 bytes, big-endian.
    static func amountBytes(_ amount: Amount) -> Data {
        Data((0..<16).reversed().map { UInt8(truncatingIfNeeded: amount.units >> (8 * $0)) })
    }
}

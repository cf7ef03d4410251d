import GRDB

/// Inserts many rows with few statements: SQLite opens the table's cursors and steps once per
/// statement, so a 5 000-transaction block costs about a hundred statements, not ten thousand.
///
/// When a chunk violates a constraint, SQLite undoes that statement alone; the chunk is then inserted
/// row by row to name the offending row, matching what `InMemoryChainStore` reports.
struct SQLiteBatchInsert {
    /// 64 rows of 8 columns stay far below SQLite's 32 766 bound parameters per statement.
    static let rowsPerStatement = 64

    let table: String
    let columns: [String]

    func insert<Element>(
        _ elements: [Element],
        into db: Database,
        arguments: (Element) -> StatementArguments,
        onConstraintViolation failure: (Element) -> StoreError
    ) throws {
        var start = 0
        while start < elements.count {
            let chunk = elements[start..<min(elements.count, start + Self.rowsPerStatement)]
            var chunkArguments = StatementArguments()
            for element in chunk { chunkArguments += arguments(element) }
            let statement = try db.cachedStatement(sql: sql(rows: chunk.count))
            statement.setUncheckedArguments(chunkArguments)
            do {
                try statement.execute()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                try insertOneByOne(chunk, into: db, arguments: arguments, onConstraintViolation: failure)
                throw error
            }
            start += chunk.count
        }
    }

    private func insertOneByOne<Element>(
        _ chunk: ArraySlice<Element>,
        into db: Database,
        arguments: (Element) -> StatementArguments,
        onConstraintViolation failure: (Element) -> StoreError
    ) throws {
        let statement = try db.cachedStatement(sql: sql(rows: 1))
        for element in chunk {
            do {
                try statement.execute(arguments: arguments(element))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw failure(element)
            }
        }
    }

    private func sql(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let values = Array(repeating: row, count: rows).joined(separator: ", ")
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(values)"
    }
}

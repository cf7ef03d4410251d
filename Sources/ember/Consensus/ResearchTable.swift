import ArgumentParser
import EmberCore
import Foundation

/// Rows of named fields, printed as JSON lines or as CSV with a header line: the output of the
/// research commands that print many rows.
struct ResearchTable {
    enum Format: String, CaseIterable {
        case jsonl, csv
    }

    enum Value {
        /// Exact: decimal units, a string in JSON like every amount the consensus commands print.
        case amount(Amount)
        case integer(UInt64)
        /// A measured or estimated quantity; a non-finite one prints as null (JSON) or empty (CSV).
        case number(Double)
        case text(String)
    }

    typealias Row = [(name: String, value: Value)]

    let format: Format

    /// The line that starts the output, if the format has one.
    func header(for row: Row) -> String? {
        format == .csv ? row.map(\.name).joined(separator: ",") : nil
    }

    func line(_ row: Row) -> String {
        switch format {
        case .csv:
            return row.map { Self.csvText($0.value) }.joined(separator: ",")
        case .jsonl:
            return "{" + row.map { "\"\($0.name)\":" + Self.jsonText($0.value) }.joined(separator: ",") + "}"
        }
    }

    private static func csvText(_ value: Value) -> String {
        switch value {
        case .amount(let amount): amount.description
        case .integer(let integer): String(integer)
        case .number(let number): number.isFinite ? String(number) : ""
        case .text(let text): text
        }
    }

    private static func jsonText(_ value: Value) -> String {
        switch value {
        case .amount(let amount): "\"\(amount.description)\""
        case .integer(let integer): String(integer)
        case .number(let number): number.isFinite ? String(number) : "null"
        case .text(let text): "\"\(text)\""
        }
    }

}

/// `--format` and `--out`: how and where a research command writes its rows.
struct ResearchOutputOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("jsonl (default) or csv.", valueName: "format"))
    var format: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var out: String?

    /// A writer in the format asked for, to the file or standard output.
    func writer() throws -> ResearchOutput {
        let format = try format.map { text in
            guard let format = ResearchTable.Format(rawValue: text) else {
                throw ConsensusArgumentError("--format '\(text)' is not jsonl or csv")
            }
            return format
        } ?? .jsonl
        return try ResearchOutput(table: ResearchTable(format: format), path: out)
    }
}

/// Where a research command writes its rows: standard output, or a file given with `--out`; the
/// header line, if the format has one, goes before the first row.
final class ResearchOutput {
    /// Lines are gathered and written 64 KiB at a time: millions of rows, one write call each, are slow.
    private static let flushBytes = 1 << 16
    private var buffer = ""
    private var bufferedBytes = 0
    private var wroteHeader = false
    private let table: ResearchTable
    private let handle: FileHandle
    private let path: String?

    init(table: ResearchTable, path: String?) throws {
        self.table = table
        self.path = path
        guard let path else {
            handle = .standardOutput
            return
        }
        // Opened in place, not written atomically, so a path such as /dev/stdout stays what it is.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw ConsensusArgumentError("cannot write \(path)") }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    func write(_ row: ResearchTable.Row) throws {
        if !wroteHeader, let header = table.header(for: row) { try write(line: header) }
        wroteHeader = true
        try write(line: table.line(row))
    }

    private func write(line: String) throws {
        buffer += line
        buffer += "\n"
        bufferedBytes += line.utf8.count + 1
        if bufferedBytes >= Self.flushBytes { try flush() }
    }

    func close() throws {
        try flush()
        if path != nil { try handle.close() }
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: Data(buffer.utf8))
        } catch {
            throw ConsensusArgumentError("cannot write \(path ?? "standard output"): \(error.localizedDescription)")
        }
        buffer = ""
        bufferedBytes = 0
    }
}

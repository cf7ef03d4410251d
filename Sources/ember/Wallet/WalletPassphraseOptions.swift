import ArgumentParser
import EmberNode
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the keystore passphrase comes from: a file, the environment, or the terminal, in that order.
struct WalletPassphraseOptions: ParsableArguments {
    /// For scripts and tests that cannot type; a file keeps it out of the process list.
    static let environmentVariable = "EMBER_WALLET_PASSPHRASE"

    @Option(help: ArgumentHelp(
        "A file holding the passphrase (one trailing newline is ignored); else $EMBER_WALLET_PASSPHRASE, else the terminal.",
        valueName: "file"))
    var passphraseFile: String?

    /// The passphrase as UTF-8 bytes; asked twice on a terminal when `confirm` (a new keystore).
    func passphrase(confirm: Bool) throws -> [UInt8] {
        if let passphraseFile { return try Self.read(file: passphraseFile) }
        if let value = ProcessInfo.processInfo.environment[Self.environmentVariable] { return Array(value.utf8) }
        guard isatty(STDIN_FILENO) == 1 else {
            throw commandFailure(
                "no passphrase: there is no terminal to ask on; give --passphrase-file FILE or set \(Self.environmentVariable)")
        }
        let first = try Self.ask("Passphrase: ")
        if confirm, try Self.ask("Repeat the passphrase: ") != first {
            throw commandFailure("the two passphrases differ; nothing was written")
        }
        return first
    }

    private static func read(file: String) throws -> [UInt8] {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            defer { try? handle.close() }
            // The longest passphrase, its line ending and one byte more to tell "too long" apart.
            data = try handle.read(upToCount: Keystore.maxPassphraseBytes + 3) ?? Data()
        } catch {
            throw commandFailure("cannot read the passphrase file \(file): \(error.localizedDescription)")
        }
        var bytes = Array(data)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return bytes
    }

    /// Reads one line from the terminal without echoing it.
    private static func ask(_ prompt: String) throws -> [UInt8] {
        guard let line = getpass(prompt) else { throw commandFailure("the passphrase could not be read from the terminal") }
        let bytes = Array(String(cString: line).utf8)
        // getpass returns its own static buffer: clear it so the passphrase does not linger there.
        memset(line, 0, strlen(line))
        return bytes
    }
}

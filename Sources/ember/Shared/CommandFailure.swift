import ArgumentParser
import Foundation

/// Prints a one-line error for a person and yields the exit status 1 to throw.
func commandFailure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("ember: \(message)\n".utf8))
    return ExitCode.failure
}

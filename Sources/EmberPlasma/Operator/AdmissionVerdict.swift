/// The operator's answer to one child transaction.
public enum AdmissionVerdict: Hashable, Sendable {
    /// Stored durably; it will be in the next sealed block.
    case accepted
    /// This exact move was accepted earlier and still waits for the next block (a resend after a lost
    /// answer); nothing new was stored.
    case alreadyAccepted
    case refused(AdmissionRejection)

    /// Whether the move is stored and will be in the next sealed block.
    public var isAccepted: Bool { self == .accepted || self == .alreadyAccepted }
}

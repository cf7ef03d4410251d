/// How much a peer's wire fault counts towards disconnecting and banning it.
///
/// The peer layer adds scores up per peer and bans at `ban`; a single ban-worthy fault is enough.
public enum MisbehaviourScore {
    /// A fault no honest peer makes (bad magic, checksum, oversize or malformed payload).
    public static let ban = 100
    /// A command this node does not know: a newer peer may send it honestly, so it only counts a little.
    public static let unknownCommand = 1
}

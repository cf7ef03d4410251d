/// A connection's number, unique for the life of the process.
public typealias PeerID = UInt64

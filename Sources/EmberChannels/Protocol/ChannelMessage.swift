import EmberCore
import EmberCrypto

/// A message between two channel services over their WebSocket (docs/channels.md, "Messages").
///
/// Binary, one message per WebSocket message: a tag byte, then the fields in Ember's canonical encoding.
/// Every field is bounded, and a message is at most `maxSize` bytes; a peer's bytes that do not decode
/// are refused with the decoder's reason and never reach a channel.
public enum ChannelMessage: Hashable, Sendable {
    /// The most bytes one message may have: a funding transaction of many inputs is the largest.
    public static let maxSize = 256 * 1_024
    /// The longest reason a refusal may carry.
    public static let maxReasonSize = 512
    /// The most states one `updateBatch` proposes: 256 payment states are about 60 KB.
    public static let maxBatch = 256

    /// First message on a connection: who is speaking, on which network.
    case hello(network: NetworkID, key: RawPublicKey)
    /// The opener proposes a channel; `proposal` names it until the funding txid exists.
    case openRequest(OpenRequest)
    /// The responder agrees and offers its share of the funding (inputs and change), if any.
    case openAccept(proposal: Hash32, contribution: FundingContribution)
    /// The opener's funding transaction (unsigned) and its signature of the refund (version 0).
    case openFunding(proposal: Hash32, funding: Transaction, refund: ChannelState, refundSignature: Signature)
    /// The responder's signature of the refund and its funding inputs' witnesses: the opener may publish.
    case openSigned(proposal: Hash32, refundSignature: Signature, witnesses: [Witness])
    /// A proposed next state, signed by the proposer.
    case update(state: ChannelState, signature: Signature)
    /// The receiver co-signed and stored version `version`.
    case ack(channel: Hash32, version: UInt64, signature: Signature)
    /// Consecutive next states of one channel, each on the one before and each signed by the proposer:
    /// the receiver co-signs all of them or none, and stores the newest once (docs/channels.md, "Batches").
    case updateBatch([ProposedState])
    /// The receiver co-signed and stored the batch starting at `firstVersion`: its signatures, in order.
    case ackBatch(channel: Hash32, firstVersion: UInt64, signatures: [Signature])
    /// The receiver refuses version `version`; the channel stays at its last co-signed state.
    case refuse(channel: Hash32, version: UInt64, reason: String)
    /// A cooperative close: the transaction both sign (coopHash of its txid).
    case closeRequest(channel: Hash32, transaction: Transaction)
    /// The receiver's cooperative-close signature.
    case closeSigned(channel: Hash32, signature: Signature)
    /// The sender's latest co-signed state, sent on every (re)connection so both sides agree again.
    case sync(CoSignedState)

    enum Tag: UInt8 {
        case hello = 0, openRequest, openAccept, openFunding, openSigned, update, ack, refuse, closeRequest, closeSigned, sync
        case updateBatch, ackBatch
    }
}

/// A state and its proposer's signature, one entry of an `updateBatch`.
public struct ProposedState: Hashable, Sendable {
    public var state: ChannelState
    public var signature: Signature

    public init(state: ChannelState, signature: Signature) {
        self.state = state
        self.signature = signature
    }
}

/// What an opener proposes.
public struct OpenRequest: Hashable, Sendable {
    public var proposal: Hash32
    public var params: ChannelParams
    /// What the opener puts in.
    public var openerAmount: Amount
    /// What the opener asks the responder to put in (zero: funded by the opener alone).
    public var responderAmount: Amount
    /// The app's name ("payments", "tictactoe"); its hash is `params.app`.
    public var app: String

    public init(proposal: Hash32, params: ChannelParams, openerAmount: Amount, responderAmount: Amount, app: String) {
        self.proposal = proposal
        self.params = params
        self.openerAmount = openerAmount
        self.responderAmount = responderAmount
        self.app = app
    }
}

/// The responder's share of a funding transaction: its outputs to spend (with their amounts, so the
/// opener can size the transaction) and where its change goes.
public struct FundingContribution: Hashable, Sendable {
    public static let maxInputs = 16
    public var inputs: [FundingInput]
    public var change: Output?

    public init(inputs: [FundingInput], change: Output?) {
        self.inputs = inputs
        self.change = change
    }

    public static let none = FundingContribution(inputs: [], change: nil)
}

public struct FundingInput: Hashable, Sendable {
    public var outpoint: OutPoint
    public var amount: Amount

    public init(outpoint: OutPoint, amount: Amount) {
        self.outpoint = outpoint
        self.amount = amount
    }
}

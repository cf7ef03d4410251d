import ArgumentParser
import EmberChannels
import Foundation

struct ChannelOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open a channel with the channel service at --peer; waits for the funding to confirm.")

    @OptionGroup var service: ChannelServiceOptions
    @Option(help: ArgumentHelp("The peer's channel service WebSocket, such as ws://127.0.0.1:19735/v1/peer.", valueName: "url"))
    var peer: String
    @Option(help: "What this side puts in, in EMB.")
    var amount: String
    @Option(help: "What the peer puts in, in EMB (default 0: this side funds the channel alone).")
    var peerAmount: String?
    @Option(help: "The dispute window in blocks (default: the service's, 30 on devnet).")
    var window: UInt32?
    @Option(help: "payments (default) or tictactoe (a game for equal stakes).")
    var app: String = "payments"

    func run() async throws {
        let body = OpenChannelRequest(
            peer: peer, amount: try unitsArgument(amount, name: "--amount"),
            peerAmount: try peerAmount.map { try unitsArgument($0, name: "--peer-amount") }, window: window, app: app,
            waitForConfirmation: true)
        printJSON(try await service.call("POST", "/v1/channels", body: body))
    }
}

struct ChannelPayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pay", abstract: "Pay the peer through a channel, off chain.")

    @OptionGroup var service: ChannelServiceOptions
    @Argument(help: "The channel id (or a unique prefix).")
    var channel: String
    @Option(help: "The amount in EMB.")
    var amount: String
    @Option(help: "How many payments of --amount to make, each co-signed and stored before the next (default 1).")
    var count: Int = 1

    func run() async throws {
        let body = PayRequest(amount: try unitsArgument(amount, name: "--amount"), count: count)
        printJSON(try await service.call("POST", "/v1/channels/\(channel)/pay", body: body))
    }
}

struct ChannelStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show one channel, or every channel, as JSON.")

    @OptionGroup var service: ChannelServiceOptions
    @Argument(help: "The channel id (or a unique prefix); every channel when omitted.")
    var channel: String?

    func run() async throws {
        printJSON(try await service.get(channel.map { "/v1/channels/\($0)" } ?? "/v1/channels"))
    }
}

struct ChannelCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close cooperatively: co-sign a final state and publish it in one layer-1 transaction.")

    @OptionGroup var service: ChannelServiceOptions
    @Argument(help: "The channel id (or a unique prefix).")
    var channel: String

    func run() async throws {
        printJSON(try await service.call("POST", "/v1/channels/\(channel)/close", body: Optional<PayRequest>.none))
    }
}

struct ChannelMoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move", abstract: "Play a cell (0…8, row by row) in a tic-tac-toe channel; --force plays it on layer 1.")

    @OptionGroup var service: ChannelServiceOptions
    @Argument(help: "The channel id (or a unique prefix).")
    var channel: String
    @Option(help: "The cell, 0…8 row by row.")
    var cell: Int
    @Flag(help: "Play on layer 1 (dispute first if needed), for a peer that stopped answering.")
    var force = false

    func run() async throws {
        printJSON(try await service.call("POST", "/v1/channels/\(channel)/move", body: MoveRequest(cell: cell, force: force)))
    }
}

struct ChannelDisputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute", abstract: "Open a dispute on layer 1 with the latest co-signed state (or --state).")

    @OptionGroup var service: ChannelServiceOptions
    @Argument(help: "The channel id (or a unique prefix).")
    var channel: String
    @Option(help: "A co-signed state in hex (from `ember channel state`); the latest when omitted.")
    var state: String?

    func run() async throws {
        printJSON(try await service.call("POST", "/v1/channels/\(channel)/dispute", body: DisputeRequest(coSignedState: state)))
    }
}

struct ChannelStateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Print the latest co-signed state in hex: what a party must keep to be safe.")

    @OptionGroup var service: ChannelServiceOptions
    @Argument(help: "The channel id (or a unique prefix).")
    var channel: String

    func run() async throws {
        printJSON(try await service.get("/v1/channels/\(channel)/state"))
    }
}

struct ChannelWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Hand the latest co-signed state to a watchtower (another party's `channel serve`).")

    @OptionGroup var service: ChannelServiceOptions
    @Argument(help: "The channel id (or a unique prefix).")
    var channel: String
    @Option(help: ArgumentHelp("The tower's base URL, such as http://127.0.0.1:19735.", valueName: "url"))
    var tower: String

    func run() async throws {
        printJSON(try await service.call("POST", "/v1/channels/\(channel)/watch", body: WatchRequest(tower: tower)))
    }
}

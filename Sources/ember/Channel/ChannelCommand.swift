import ArgumentParser

/// `ember channel`: two-party state channels (DESIGN.md section 16, docs/channels.md).
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Run a channel service, open channels, pay, play, close, dispute and hand states to a watchtower.",
        discussion: """
            `ember channel serve` runs one party's channel service (the WebSocket peers connect to, its \
            watchtower, and a control API on 127.0.0.1). The other commands talk to that control API \
            (--service, default http://127.0.0.1:19736). Amounts are in EMB with up to 18 decimals. \
            See docs/channels.md.
            """,
        subcommands: [
            ChannelServeCommand.self, ChannelOpenCommand.self, ChannelPayCommand.self, ChannelStatusCommand.self,
            ChannelCloseCommand.self, ChannelMoveCommand.self, ChannelDisputeCommand.self, ChannelStateCommand.self, ChannelWatchCommand.self,
        ]
    )
}

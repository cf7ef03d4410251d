import ArgumentParser

/// `ember plasma`: a Plasma Cash child chain (DESIGN.md section 17, docs/plasma.md).
struct PlasmaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plasma",
        abstract: "Register and run a Plasma operator; deposit, pay, watch and exit coins of its child chain.",
        discussion: """
            `ember plasma register` puts an operator and its bond on layer 1; `ember plasma operator` runs the \
            child chain (an HTTP API for child transactions, a block every few seconds, one commit per layer-1 \
            block). The client commands keep each coin's history in a local SQLite file, check every child \
            block and exit on their own when the operator misbehaves. Amounts are in EMB with up to 18 \
            decimals. See docs/plasma.md.
            """,
        subcommands: [
            // Operator commands:
            PlasmaRegisterCommand.self, PlasmaOperatorCommand.self,
            // Client commands:
            PlasmaDepositCommand.self, PlasmaSendCommand.self, PlasmaReceiveCommand.self, PlasmaBalanceCommand.self, PlasmaExitCommand.self, PlasmaWatchCommand.self,
        ]
    )
}

/// The off-chain side of state channels (DESIGN.md section 16, docs/channels.md): the channel service
/// two parties run, the messages they exchange over a WebSocket, the store that keeps each channel's
/// latest co-signed state, the watchtower, and the apps a Judge knows.
public enum EmberChannels {}

// Package gateway holds what every venue order gateway shares: credentials (from the environment
// or a 0600 file, never printed), deterministic client order ids, and the process-wide rate
// limiter. Each venue's order entry lives in its own folder (gateway/binance, gateway/okx, ...):
// request signing, order encoding, execution report parsing.
package gateway

// Package feed holds what every venue market-data feed shares: the Batch a decoder fills with
// events, the Replica that keeps one venue book with its sync state and counters, and the
// Anomalies log for malformed or unexpected messages. Each venue's decoder lives in its own
// folder (feed/binance, feed/okx, ...) and follows the venue's sequencing and checksum rules; the
// WebSocket transport lives in feed/transport.
//
// A decoder parses; it does not trade. It reports a broken book (gap, checksum failure) as a
// BookStatus event and asks its transport for a resync; the core decides what that means for
// routing.
//
// Ownership: a decoder, its Replicas, its Batch and its Anomalies are owned by the feed's thread.
package feed

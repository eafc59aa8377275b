// Package okx decodes OKX v5 public market data (venue specs section 3) into events and keeps one
// book replica per (instId, book channel).
//
// # Messages
//
//	{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot"|"update",
//	 "data":[{"asks":[["px","sz","0","orders"],...],"bids":[...],"ts":"ms",
//	          "checksum":int32,"prevSeqId":int,"seqId":int}]}
//	{"arg":{"channel":"trades","instId":...},"data":[{"instId","tradeId","px","sz","side","ts","count"}]}
//	{"event":"subscribe"|"unsubscribe","arg":{...},"connId":...}      ack: skipped
//	{"event":"error","code":"60012","msg":...}                        noted as anomaly "error 60012"
//	pong                                                              skipped
//
// Book channels: books, books-l2-tbt (400 levels) and books50-l2-tbt (50 levels) are a snapshot
// followed by updates; books5 and bbo-tbt are complete pushes, each applied as a snapshot, and
// also emit a TopOfBook event. trades and trades-all emit Trade events (Aggressor = the taker's
// side; Seq and TradeID = the trade id). Other channels are skipped without error; messages of
// another venue's shape return an error wrapping feed.ErrForeign.
//
// # Sequencing (incremental channels)
//
//   - A snapshot clears the book and replaces it (never merged); its prevSeqId is -1.
//   - An update is applied when its prevSeqId equals the seqId of the last applied message. That
//     covers the heartbeat (prevSeqId == seqId, no levels) and the maintenance reset
//     (seqId < prevSeqId). Otherwise it is a gap: the book is invalidated (BookStatus event),
//     a feed.RequestResubscribe is queued, and the book's messages are dropped (counted) until the
//     next snapshot, which counts a resync.
//   - Before the first snapshot, updates are dropped.
//   - Messages without seqId / prevSeqId (every recording before 2023) are not sequence-checked;
//     the checksum alone guards them.
//
// # Checksum
//
// When "checksum" is non-zero the merged book is verified after every push, snapshots included:
// CRC-32/IEEE of the best 25 bids and asks interleaved (bid1px:bid1sz:ask1px:ask1sz:...; one side
// alone once the other runs out), compared as a signed int32. A mismatch invalidates the book,
// queues a resubscription and the message counts neither as applied nor as dropped. Checksum 0
// (OKX has sent only 0 since June 2026) means none: nothing is counted.
//
// The numbers must be hashed as written on the wire while the book holds int64s. Canonical text
// (no trailing fractional zero, no leading zero) is rebuilt exactly by fixed.AppendTrim; every
// price and size in the recordings is canonical. A level written with trailing zeros ("8477.0")
// keeps its decimal places in a per-book side table, consulted only while non-empty; a text that
// cannot be rebuilt (leading zeros) is noted as an anomaly.
//
// # Depth
//
// Each book is truncated after every push to its channel's depth (400, 50, 5 or 1; feed.Config
// Depth overrides it for the incremental channels). OKX keeps the 400 levels of books itself
// (it sends the deletes), so truncation never removes a level in the recordings.
//
// # Counters
//
// Stats.Messages of a book counts every message of its instId, acks and trades included, from
// the first message of that instId. A malformed book push is noted in Anomalies; when it is a
// snapshot, or an update to a live book, the book is invalidated and resubscribed.
//
// # Not implemented
//
//   - Requests are resubscriptions only; the transport decides when to reconnect.
//   - The books-l2-tbt / books exclusivity per connection is the subscriber's business.
//   - Trade scales of instruments outside the instrument master are inferred per instId from the
//     trade text alone, independently of the book's inferred scales (replay only).
//   - The "0" (deprecated) and order-count fields of a level are ignored.
//
// Ownership: a Decoder, its replicas and its buffers belong to the feed thread.
package okx

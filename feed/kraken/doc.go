// Package kraken decodes Kraken spot market data: WebSocket v2 (Decoder, the live protocol) and
// WebSocket v1 (V1, for the recordings made with it; `ems feed replay --venue kraken-v1`). Both
// keep one feed.Replica per book and share the book table and the checksum code. The rules are
// those of the venue specs, section 6.
//
// # v2 (wss://ws.kraken.com/v2)
//
//	{"channel":"book","type":"snapshot"|"update","data":[{"symbol":"BTC/USD",
//	  "bids":[{"price":45283.5,"qty":0.10000000},...],"asks":[...],
//	  "checksum":3310070434,"timestamp":"2023-10-06T17:35:55.440295Z"}, ...]}
//
// Rules as implemented:
//
//   - data may hold several symbols; each entry is one book message of its symbol.
//   - Prices and quantities are JSON numbers whose exact text matters: each is read as the
//     number's raw text (fastjson Value.MarshalTo into a reused buffer), never through float64,
//     and parsed into the book's fixed point.
//   - A snapshot replaces the book. An update's level lists are unordered; a repeated price is
//     applied in order (the last size wins); qty 0 deletes. An update to a book that is not live
//     (no snapshot yet, or invalid) is dropped.
//   - After every message the book is truncated to the subscribed depth: Kraken sends no delete
//     for a level pushed out of scope. The depth is, strongest first: the subscribe ack
//     ({"method":"subscribe","result":{"channel":"book","depth":N,"symbol":...},"success":true},
//     also inside a recording), feed.Config.Depth, else the size of the symbol's snapshots rounded
//     up to a depth Kraken offers (10, 25, 100, 500, 1000; so 10, the venue default, for a
//     snapshot of at most 10 levels per side). The inferred depth only grows.
//   - Every snapshot and update carries a checksum, verified before the message is committed.
//     A mismatch calls Replica.Checksum(false) (book invalid, BookStatus event), queues a
//     feed.RequestResubscribe, and the book's updates are dropped until the next snapshot, which
//     counts a resync. The failed message counts in checksum_failures, not in applied.
//   - trade becomes Trade events (Aggressor = the taker's side, TradeID and Seq = trade_id);
//     ticker becomes TopOfBook events. status, heartbeat and method acks produce nothing; an ack
//     with success:false is an anomaly carrying the venue's error text.
//
// # v1 (wss://ws.kraken.com)
//
//	[464,{"as":[["56218.30000","0.15000000","1618678117.243818"],...],"bs":[...]},"book-1000","XBT/CHF"]
//	[464,{"a":[["56872.70000","0.01000000","1618678133.924027"]],"c":"2628179034"},"book-1000","XBT/CHF"]
//	[464,{"a":[...]},{"b":[...],"c":"..."},"book-10","XBT/USD"]   asks and bids as two payloads
//
// Prices, volumes and the checksum are strings; a level's optional fourth field "r"
// (republished) is applied like any other. A book is one (pair, channel name); its depth is the
// channel's (book-1000 → 1000). Only updates carry a checksum; it is verified over the book after
// every payload of the frame is applied. trade frames become Trade events without an id; event
// objects (heartbeat, systemStatus, subscriptionStatus) are control messages, and a
// subscriptionStatus with status "error" is an anomaly.
//
// # Checksum
//
// The 10 best asks (ascending) then the 10 best bids (descending); each level contributes its
// price text then its quantity text with the '.' removed and leading zeros stripped; CRC-32
// (IEEE) of the concatenation, compared as unsigned 32-bit. The book keeps int64, not text: the
// text is rebuilt from the integers at the precision Kraken prints, which for a pair is fixed
// ("0.10000000", "56218.30000" — full precision, trailing zeros included). That precision is
// taken per book as the most decimal places seen in its price (quantity) text, so it holds
// whatever scale the instrument master gives the book (finer or coarser than the wire's). The
// rebuilt text reproduces every checksum of the recordings in testdata (the docs example, 289/289
// real v1 updates), and the tests check it against a reference that keeps the venue's text. A
// float64 round trip would print "0.1" and fail (TestChecksumFloatRoundTrip).
//
// # Events and counters
//
// Book levels and status come from the Replica. ExchTS is the entry's timestamp (v2; 0 for a
// snapshot without one or a timestamp of another shape) or the latest level timestamp of the
// frame (v1). Kraken sends no sequence number: Seq is the book's count of the book messages
// it started to apply, dropped ones excluded (1 for the first). Stats.Messages counts each line (frame) once per book
// of every symbol it names: a v2 trade snapshot of 50 trades of one symbol is one message.
// Instrument ids come from feed.Config.Resolve; otherwise, with InferUnknown, they are assigned
// 1, 2, 3... in first-seen order and scales are inferred from the text (replay only; the inferred
// scales of trades and tickers only widen, so their units may change as wider text appears).
//
// # Errors
//
// Decode returns an error for a malformed message (noted in Anomalies by cause) and an error
// wrapping feed.ErrForeign for well-formed JSON of another venue or of the other protocol
// version; a checksum mismatch is not an error. A level that does not parse leaves the book
// half applied: it is invalidated (reason gap, Stats.Gaps unchanged as Kraken has no sequence)
// and resubscribed; a checksum field that is not a uint32 is treated the same way.
//
// # Not implemented
//
//   - Kraken's v2 level3 (order-by-order) and ohlc/instrument channels: lines naming a symbol are
//     counted as its messages and otherwise ignored. Private channels (executions, balances,
//     v1 ownTrades/openOrders) are ignored.
//   - The v2 instrument channel's price_precision/qty_precision are not read: the precision is
//     learnt from the book's own text, so a pair whose text varies in decimals (never observed)
//     would fail its checksums and be resubscribed rather than decoded wrongly.
//   - Depths below 10 (Kraken offers none; the checksum covers 10 levels): New refuses them.
//   - Subscription management itself (sending AppendSubscribe/AppendUnsubscribe on a Request)
//     belongs to the transport.
//
// # Ownership
//
// A Decoder or V1, its replicas, parser and buffers are owned by the feed thread; not safe for
// concurrent use. Decode allocates nothing in steady state (TestAllocs): the first message of a
// symbol, anomalies and batch growth allocate.
package kraken

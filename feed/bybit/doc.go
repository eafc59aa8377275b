// Package bybit decodes Bybit v5 public market data (spot, linear, inverse and option streams):
// the `orderbook.{depth}.{symbol}` books and `publicTrade.{symbol}` trades, into events, keeping
// one Replica per book under the venue's sequencing rules (venue specs section 4).
//
// # Messages
//
//	{"topic":"orderbook.50.BTCUSDT","type":"snapshot"|"delta","ts":ms,
//	 "data":{"s":"BTCUSDT","b":[["px","size"],...],"a":[["px","size"],...],"u":updateId,"seq":crossSeq},
//	 "cts":ms}
//	{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":ms,
//	 "data":[{"T":ms,"s":"BTCUSDT","S":"Buy"|"Sell","v":"size","p":"px","i":"tradeId","BT":false,"seq":n},...]}
//	{"success":true,"ret_msg":"","conn_id":"...","op":"subscribe"}      request acknowledgement
//	{"success":true,"ret_msg":"pong","conn_id":"...","op":"ping"}       pong (also {"op":"pong",...})
//
// Unknown fields are ignored. Other topics (tickers, kline, ...) are not book messages: they count
// in the Messages of their symbol's books and produce no event.
//
// # Books
//
// A book is one (symbol, depth channel): a recording or a connection may carry several depths of
// one symbol (orderbook.1 and orderbook.50), and each is its own Replica, reported with its channel
// ("orderbook.50"). The rules, as implemented:
//
//   - A snapshot replaces the book, whatever its state and whatever its u: Bybit re-sends a snapshot
//     when it has a problem, and level-1 books re-push a snapshot with an unchanged u after 3 s
//     without change (not a gap). A snapshot of an invalid book counts as a resync.
//   - A delta with u == 1 is a service restart: it is applied as a snapshot (the book is cleared).
//   - A delta applies when u == u(previous message of the book) + 1: size 0 deletes the level
//     (deleting an unknown level is normal), an unknown price inserts, a known one replaces.
//   - Any other delta u is a gap: the book goes invalid (a BookStatus event), a
//     feed.RequestResubscribe is queued for the book's topic, and its deltas are dropped (counted in
//     Dropped, the one that revealed the gap included) until the next snapshot. There is no
//     checksum on Bybit books.
//   - Deltas before the first snapshot of a book are dropped.
//
// Truncation to the channel depth is not done: Bybit's deltas are differences between consecutive
// top-N books, so a level leaving the top N arrives as an explicit delete. The acceptance capture
// shows it: the delta u 2876701 deletes the 50th bid (75837.13) while inserting 75848.62, and both
// sides stay at exactly 50 levels. Truncating would only hide a venue-side inconsistency; instead a
// book holding more levels than its channel depth after a message is noted as the anomaly
// "book deeper than its channel" (the message is still applied).
//
// Gaps in real data: the saved recordings (venue specs section 4; the 2024 orderbook.50 pair and the
// 2023 tardis spot and linear/inverse fixtures) hold no gap: every delta's u is its book's previous
// u + 1, including the 2023 level-1 deltas. Continuity of u on orderbook.200 and orderbook.1000 is
// not covered by any capture (venue specs section 8.4 keeps it open); the decoder applies the same
// rule there, so a venue that skipped u values on those depths would show up as gaps (and
// resubscriptions) in the books' Stats rather than as a silently wrong book.
//
// A malformed level (a price or size that is not a decimal, off the instrument's tick, ...) leaves
// the message half applied: the book is invalidated (reason gap, not counted in Gaps), a
// resubscribe is queued, and the message is noted as an anomaly.
//
// # Events
//
// Book levels and status changes come from the Replica (feed.Replica); the header Seq is the
// book's u and ExchTS the matching-engine time cts (or ts when cts is absent), in ns.
// Each publicTrade entry becomes a Trade event: Aggressor is S (the taker side), TradeID is i
// (numeric on spot; derivatives send a UUID, hashed with xxhash), Seq is the entry's seq when sent,
// ExchTS its T.
//
// Scales: a symbol's instrument and scales come from feed.Config.Resolve. Without it (or for a
// symbol it does not know) and with InferUnknown set, books infer their scales from the text (each
// book separately); trades of such a symbol use scales inferred from the trade text seen so far for
// that symbol, which may differ from the books' (replay only: inferred scales are never traded).
// Instrument ids not given by Resolve are 1, 2, 3... in the order symbols are first used.
//
// Messages (Stats.Messages) of a book count its own book messages and every non-book line of its
// symbol (trades, tickers), including those seen before the book's first message; book messages
// of the symbol's other depth channels belong to their own book.
//
// # Not implemented
//
// The tickers channel (bid1Price/ask1Price on derivatives) is not decoded into TopOfBook events;
// option-specific and RPI book topics decode like any orderbook topic; the seq cross sequence is
// not used (it orders messages across depths, and no rule depends on it). Private streams (order,
// execution) belong to the gateway.
//
// # Ownership
//
// A Decoder, its Replicas and its Anomalies are owned by the feed thread; nothing is safe for
// concurrent use.
package bybit

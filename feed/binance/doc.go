// Package binance decodes Binance spot market data (venue specs section 1) and keeps a local book
// per symbol; feed/binanceusdm runs the same decoder with the USD-M futures sync rule.
//
// # Messages
//
// Raw streams (/ws/<stream>) and combined streams (/stream?streams=..., each frame wrapped in
// {"stream":"<name>","data":<payload>}) are both accepted, on every message. A payload is told by
// its fields: "e":"depthUpdate" updates a book; "e":"trade" and "e":"aggTrade" become Trade
// events (TradeID and Seq the trade or aggregate id, ExchTS the trade time T, aggressor SELL when
// the buyer is the maker "m", else BUY); a bookTicker (spot: no "e"; futures: "e":"bookTicker")
// becomes a TopOfBook event with Seq = its u. Subscription acks, WS API responses, user-data
// events (listenKey envelopes and the {"subscriptionId","event"} wrapper), klines, tickers,
// all-market arrays and partial-depth streams are skipped without error (counted in their
// symbol's Stats.Messages when the symbol has a book). Venue error responses, unknown event
// types and malformed messages are noted in Anomalies and return an error; JSON of another venue
// returns an error wrapping feed.ErrForeign (a futures diff, which carries pu, is foreign to the
// spot decoder and a spot diff foreign to the futures one). Unknown fields are ignored.
//
// # Local book procedure
//
// A book starts waiting: its diffs are held in a Buffer (bounded and allocated once per book:
// when full the oldest diffs go) and a feed.RequestSnapshot is queued once. LoadSnapshot applies
// a REST body {"lastUpdateId":L,"bids":[...],"asks":[...]}, then the held diffs, each judged by
// the market's Rule against the book's position; live diffs are judged the same way. Spot (Spot):
//
//	u <= bookId      drop (first diff: u <= L is older than the snapshot)
//	U >  bookId + 1  gap
//	otherwise        apply every level (quantity 0 deletes), bookId = u
//
// so the first diff applied satisfies U <= L+1 <= u: the rule the recordings show, not the
// documentation's off-by-one "U <= L <= u" (venue specs 1.2). A gap marks the book invalid
// (feed.Replica.Gap: the book is cleared and a BookStatus event emitted), queues a snapshot
// request and holds the diffs again from the one that broke the chain. A snapshot that cannot be
// joined to the held diffs (the first one it does not make obsolete is a gap) is refused with
// ErrStaleSnapshot and requested again. A diff whose levels cannot be applied invalidates the
// book the same way (the book may no longer match the venue's).
//
// Counting (venue specs section 9): a held diff counts as dropped until a snapshot lets it be
// applied, when it moves to applied; diffs older than the snapshot, evicted from a full buffer or
// seen after a gap with no later snapshot stay dropped. The REST snapshot is not counted.
//
// Replay: `ems feed replay --venue binance --snapshot FILE` calls LoadSnapshot with symbol "",
// meaning the one book the recording is about. With no book yet the body is checked, copied and
// held, then applied to the book of the first depthUpdate, just before that diff is judged; with
// one book it is applied to it; with several it is refused (ErrAmbiguousSnapshot). Symbols seen
// only in trades or tickers get an instrument (id and scales) but are not listed in Books, so a
// recording without diffs reports no book.
//
// Scales: from feed.Config.Resolve, else (InferUnknown) inferred from the text and widened as
// needed, trades and tickers included (feed.Replica.Fit); instrument ids of inferred symbols are
// 1, 2, 3... in first-seen order. Books hold a 1000-level snapshot without allocating (BookCapacity).
//
// # Not implemented
//
// Fetching the snapshot (the transport's job, on Requests), the 24-hour reconnect and ping/pong,
// partial-depth streams (@depth5/10/20: skipped), crossed-book detection after a diff, and any
// check of bookTicker against the book (the tests do it on the recordings).
//
// Ownership: a Decoder, its books, buffers and anomalies belong to the feed thread.
package binance

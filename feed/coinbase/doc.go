// Package coinbase decodes Coinbase market data into events, keeping one Replica per product book
// under the venue's sequencing rules (venue specs section 5). It holds two decoders for two
// different protocols:
//
//   - Decoder (VenueName "coinbase"): Advanced Trade, wss://advanced-trade-ws.coinbase.com —
//     level2 books (l2_data) and market_trades. This is the protocol to trade with.
//   - LegacyDecoder (LegacyVenueName "coinbase-legacy"): the legacy Exchange (ex-Pro) feed,
//     ws-feed.exchange.coinbase.com — level2 snapshot/l2update and match. It exists to replay
//     recordings of that feed (the project's corpus holds one, 2021, BAND-GBP); each decoder
//     rejects the other's messages as foreign, naming the decoder to use.
//
// # Advanced Trade messages
//
//	{"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":N,
//	 "events":[{"type":"snapshot"|"update","product_id":"BTC-USD",
//	            "updates":[{"side":"bid"|"offer","event_time":"...","price_level":"px","new_quantity":"qty"},...]}]}
//	{"channel":"market_trades",...,"events":[{"type":"snapshot"|"update","trades":[{"trade_id","product_id",
//	            "price","size","side":"BUY"|"SELL","time"},...]}]}
//	{"channel":"heartbeats"|"subscriptions"|"ticker"|...,"sequence_num":N,...}
//	{"type":"error","message":"..."}
//
// # Rules, as implemented
//
//   - sequence_num belongs to the connection: every message of every channel (heartbeats and
//     subscriptions included) must carry the previous one plus 1. A jump or a decrease invalidates
//     every book of the decoder that is not already invalid (BookStatus event, Gaps counted) and
//     queues a feed.RequestReconnect for each; their updates are dropped until each product's next
//     snapshot, which resyncs it. The first message of a connection (or the first after
//     ResetSequence) sets the sequence. A repeated number is noted ("repeated sequence_num") and
//     the message handled: it is neither a jump nor a decrease, and it is what the docs'
//     unrelated examples (all sequence_num 0) look like when replayed together.
//   - Each l2_data event is one book message of its product (counted in Applied or Dropped). A
//     snapshot replaces the book; an update applies to a live book; new_quantity is absolute and
//     "0" deletes. A snapshot's event_time may be 1970-01-01: event times are not used. There is
//     no checksum.
//   - A malformed update (bad side, price or quantity) invalidates its book (reason gap, not
//     counted in Gaps) and queues a feed.RequestResubscribe for the product's level2.
//   - Events carry Seq = sequence_num and ExchTS = the envelope timestamp (ns).
//
// # market_trades side
//
// Whether side is the maker's or the taker's is not documented (venue specs section 8.1 keeps it
// open). The decoder takes it as the maker's side, like the legacy feed's match.side, which the
// Exchange docs define as the maker order's side and which the saved legacy recording confirms
// (every "buy" match there hits the resting best bid), and as an independent Advanced Trade
// adapter (nautilus_trader's coinbase_side_to_aggressor) also does: Aggressor is the opposite of
// side (BUY → SideSell). Should a live capture show otherwise, takerOfMaker is the one place to
// change. The snapshot event sent on subscribing holds past trades and produces no event.
//
// # Legacy Exchange feed
//
// snapshot{bids,asks} replaces the book; l2update{changes:[[buy|sell,px,size]]} applies to a live
// book. level2 carries no sequence number, so no gap can be detected (Seq is 0 on its events; the
// venue guarantees delivery, and a reconnect brings a new snapshot). match becomes a Trade with
// Aggressor opposite to side and Seq its sequence; last_match, heartbeat, ticker, subscriptions
// and full-channel order messages produce nothing.
//
// # Counting and scales
//
// Stats.Messages of a product's book counts each line naming the product once (book, trade,
// ticker and candles lines), including lines seen before the book's first message. Scales come
// from feed.Config.Resolve; without it (or for a product it does not know) and with InferUnknown
// set, a book infers its scales from the text, and trades use scales inferred from the trade text
// seen so far for the product, which may differ from the book's (replay only). Instrument ids not
// given by Resolve are 1, 2, 3... in the order products are first seen.
//
// # Not implemented
//
// ticker/ticker_batch are not decoded into TopOfBook events (no capture to test them against);
// level2 event_time is not used; the user channel belongs to the gateway. JWT creation (ES256) is
// the gateway's: AppendSubscribe takes a ready token.
//
// # Ownership
//
// A decoder, its Replicas and its Anomalies are owned by the feed thread; nothing is safe for
// concurrent use.
package coinbase

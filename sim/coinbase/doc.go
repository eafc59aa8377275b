// Package coinbase is the simulated Coinbase venue of ems sim: a Server that speaks Coinbase
// Advanced Trade on loopback (venue specs sections 5, 7.3 and 10) over a sim.Venue's books, so
// the project's feed decoder (feed/coinbase) and gateway (gateway/coinbase) talk to it unchanged.
//
// # Served
//
// One port serves REST and WebSocket: RESTURL() + the venue's paths, and WSURL() ("/").
//
// REST, under /api/v3/brokerage/ (JSON; prices and sizes are decimal strings at the listing's
// scales, trailing zeros trimmed):
//
//	GET  time                                   public
//	GET  market/products, market/products/{id}  public
//	GET  market/product_book                    public   ?product_id=&limit=
//	GET  products, products/{id}, product_book  JWT
//	GET  best_bid_ask                           JWT      ?product_ids=
//	GET  transaction_summary                    JWT      fee tier from the listing, volume and fees traded
//	POST orders                                 JWT      limit_limit_gtc (post_only), limit_limit_fok,
//	                                                     sor_limit_ioc, market_market_ioc (base_size or quote_size)
//	POST orders/batch_cancel                    JWT      up to 100 order_ids
//	POST orders/edit                            JWT      order_id, price, size of an open limit_limit_gtc order
//	                                                     (edit.go: match.Engine.Replace, the id is kept)
//	GET  orders/historical/batch                JWT      product_ids, order_status, order_ids, order_side, limit, cursor
//	GET  orders/historical/{order_id}           JWT
//	GET  orders/historical/fills                JWT      order_ids, product_ids, trade_ids, limit, cursor
//
// WebSocket, one channel per subscribe message: level2 (answered as l2_data: a full-depth
// snapshot, then one update message per venue batch), market_trades (recent trades, then one
// update per batch), heartbeats (every Options.HeartbeatInterval, heartbeat_counter per
// connection), user (JWT required: a snapshot of open orders, then every order change). Every
// message of every channel carries the connection's sequence_num: 0, 1, 2 ... with no gap.
//
// Authentication: an API key's JWT, ES256 for EC P-256 keys and EdDSA for Ed25519 keys, both
// made and verified by ems/gateway/coinbase (see auth.go for the checks). Rejected requests get
// 401 UNAUTHENTICATED; the user channel an error message.
//
// Rejects: the engine's refusals (sim/match) come back as the venue's failure codes
// (order.go): INVALID_PRICE_PRECISION (off tick), INVALID_SIZE_PRECISION (off lot),
// PREVIEW_INVALID_BASE_SIZE_TOO_SMALL, PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL (below the minimum
// notional), INVALID_LIMIT_PRICE_POST_ONLY, INVALID_PRODUCT_ID, INVALID_SIDE,
// UNSUPPORTED_ORDER_CONFIGURATION, INVALID_NO_LIQUIDITY; cancels of unknown or closed orders
// UNKNOWN_CANCEL_ORDER; edits an errors[].edit_failure_reason (ORDER_NOT_FOUND,
// CANNOT_EDIT_TO_BELOW_FILLED_SIZE, INVALID_EDITED_PRICE, INVALID_EDITED_SIZE,
// ONLY_LIMIT_ORDER_EDITS_SUPPORTED; see edit.go). Unknown paths, wrong methods and malformed
// requests get the venue's error shape (rest.go), never a hang.
//
// Rate limits: every REST request takes one unit of the venue's request limit (per API key, or
// per client address on public endpoints) and every order or edit one of its order limit;
// WebSocket requests share their address's limit. Past it: HTTP 429 RESOURCE_EXHAUSTED, or an
// error message on the WebSocket.
//
// Faults (sim.Fault), as the venue would show them: disconnect (a close frame 1001, then the
// socket closes; asked per pushed message), stale (nothing is pushed while it fires; the held
// messages follow when it stops, so books stay exact; asked per market-data push and
// heartbeat), gap (a sequence_num is skipped; asked per market-data push), reject (the order
// fails with UNKNOWN_FAILURE_REASON), delay-ack (the create answer waits Fault.Delay; the order
// is live meanwhile), partial-fill (an aggressive order fills FillPerMille of its size and the
// rest is cancelled), lose-cancel-ack (the order is cancelled, the HTTP connection closes
// without an answer and the user channel does not report it). bad-checksum has no effect:
// Coinbase messages carry no checksum.
//
// # Conventions the venue leaves open
//
//   - market_trades side is the maker's side (see fanout.go), as the feed decoder reads it.
//   - An IOC or market remainder, a FOK that cannot fill, and an order cut short by the
//     partial-fill fault end CANCELLED (the venue's EXPIRED is for GTD orders, not served).
//   - A client_order_id the account already used answers the first order and places nothing.
//   - Order ids are UUID-shaped but carry the market and the engine's id (wire.go).
//   - Error and failure message texts are the simulator's own; the codes are the venue's.
//
// # Not served
//
// REST: accounts, portfolios, orders/preview, orders/edit_preview,
// orders/close_position, market/products/{id}/ticker and candles, convert, payment methods,
// key_permissions, futures and perpetuals, the v2 (Sign in with Coinbase) API. Order types:
// limit_limit_gtd, stop_limit_*, trigger_bracket_*, twap and the other newer configurations
// (answered UNSUPPORTED_ORDER_CONFIGURATION); self-trade prevention; balances and holds (no
// order fails for funds). WebSocket: ticker, ticker_batch, candles, status,
// futures_balance_summary (answered with an error message); the separate user-channel host
// (its channel is served on the same URL). Authentication: the legacy HMAC (CB-ACCESS-*) keys.
// The legacy Exchange protocols (REST and FIX) are not served; only their signing is
// implemented, in ems/gateway/coinbase.
//
// # Ownership
//
// See Server for the goroutines and locks. The simulator is not the EMS's hot path: it
// allocates freely per request and per batch.
package coinbase

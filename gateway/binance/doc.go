// Package binance is the Binance spot order gateway: order entry over the WebSocket API
// (/ws-api/v3), with the account's execution reports on the same connection (venue specs 1.3,
// 1.4, 7.1).
//
// # Pieces
//
//	sign.go       HMAC-SHA256 (hex) and Ed25519 (base64) request signatures
//	encode.go     Encoder: order.place, order.cancel, order.cancelReplace, order.status,
//	              openOrders.status, userDataStream.subscribe.signature, myTrades query;
//	              append-style, signed
//	parse.go      Parser: responses (status, error code and msg, rateLimits) and executionReports
//	              → OrderAck, Fill, CancelAck, Reject events; fills de-duplicated by trade id
//	replace.go    cancel-replace answers → Rejects for the old and the new order
//	reject.go     Binance error codes → event.RejectReason (the raw code stays in VenueCode)
//	ratelimit.go  Limiter: request weight 6000/min, orders 50/10 s and 160000/day, raised to the
//	              venue's counts from rateLimits, blocked until retryAfter on 429/418; safe for
//	              concurrent use, shared by the sessions of one account (Config.Limiter)
//	tradeset.go   TradeSet: bounded set of (instrument, trade id)
//	market.go     Markets: Binance spot listings by instrument id and by symbol
//	wsconn.go     the WebSocket client framing of the order-entry connection
//	session.go    Session: connect, subscribe, send, read, throttle, drop
//	reconcile.go  reconnect reconciliation: open orders, order status, missed fills
//	reconnect.go  automatic reconnect: back-off with seeded jitter, the retry loop
//
// # Events
//
// Orders are LIMIT (GTC, IOC, FOK), LIMIT_MAKER (post-only GTC) or MARKET, with
// newClientOrderId = gateway.AppendClientOrderID(prefix, OrderID) and newOrderRespType ACK
// (default) or RESULT. The execution report stream is the one source of order state: x NEW gives
// the OrderAck, TRADE a Fill, CANCELED / EXPIRED / EXPIRED_IN_MATCH a CancelAck; a response
// gives an event only when it refuses the request (Reject with the venue's code). A request the
// gateway refuses before sending is a Reject with VenueCode 0: rate limit (with a VenueStatus
// throttled on entering that state, and VenueStatus connected on leaving it), not connected,
// unknown instrument, invalid order.
//
// KindReplace is order.cancelReplace with cancelReplaceMode STOP_ON_FAILURE: cancel
// Replace.Order (cancelOrigClientOrderId) and place a new order with client id
// AppendClientOrderID(prefix, Replace.NewOrder) at Replace.Price for Replace.Qty, with the old
// order's side, type, time in force and post-only flag, which the session remembers from the
// order it sent. Success: the CANCELED report gives the CancelAck of Order, the NEW report the
// OrderAck of NewOrder. Failure: -2022 (the cancel failed; new order not attempted) gives a
// Reject of Order with the cancel's code (-2011 → RejectUnknownOrder) and a Reject of NewOrder
// with VenueCode -2022; -2021 (the cancel succeeded, the new order failed) gives the CancelAck
// of Order (from its report) and a Reject of NewOrder with the new order's code (-2010, -1013
// ...); any other error a Reject of NewOrder. A replace of an order the session does not hold as
// open (not sent by it, already done, or known only from reconciliation) is refused before
// sending: Rejects of Order and NewOrder, RejectUnknownOrder, VenueCode 0.
//
// Fees are in the commission asset (FeeAsset, interned): at the listing's price scale for the
// quote asset, its quantity scale for the base asset and any other asset (BNB), truncated toward
// zero where the venue's 8 decimals are finer.
//
// # Threads and ownership
//
// A Session has one reader goroutine, which owns the Parser (its intern tables and TradeSet),
// and, while it is disconnected, one retry goroutine (reconnect.go). Send runs on the caller's
// goroutine. Everything else (the Encoder, the pending request table, the live-order table, the
// socket's write side) is guarded by the session's mutex, and the sink is called with it held,
// from any of these goroutines: it must hand the events on (to a ring) and return, without
// calling the session. Connecting (Start, Reconnect, the retry loop) is serialized by a second
// lock taken before the mutex.
//
// # Rate limits shared between sessions
//
// Binance counts orders per account (ORDERS 50/10 s, 160000/day) and request weight per client
// address. The Limiter has its own lock and may be shared: give every session of one account in
// the process the same *Limiter (Config.Limiter; nil builds one per session from Limits), and
// an order one session cannot cover is refused locally (RejectRateLimit, VenueCode 0, nothing
// sent) even when that session sent nothing itself. A throttle answer (429/418) seen by one of
// them holds all of them back until the venue's retry time. Sessions sharing a limiter should
// share a clock (Config.Now).
//
// # Reconnect and reconciliation
//
// A dropped connection is reported as VenueStatus disconnected; requests not yet answered are
// counted (Stats.Unanswered) and their orders stay in the live table, in an unknown state, and
// orders are refused (RejectVenueUnavailable) until the session is connected again. The session
// then reconnects by itself: a retry goroutine waits a back-off delay (Config.Backoff: Initial,
// doubling per failed attempt up to Max, each delay drawn in [d/2, d] from a PCG generator
// seeded with Config.Seed, or Config.Rand) and calls Reconnect, until it succeeds, Close is
// called or the Start context is done (Stats.RetryFailures counts the failed attempts).
// Config.NoAutoReconnect leaves reconnecting to the owner. Reconnect (automatic or called
// explicitly) re-dials, re-subscribes, queries openOrders.status, then
// order.status for every order believed open that is not, fetches the trades of orders whose
// executed quantity exceeds what the session saw (REST myTrades; needs Config.RESTURL), emits
// the missed fills (never one whose trade id was already emitted) and each order's state, and
// only then reports the venue connected and accepts orders.
//
// # Not done
//
//   - Order lists and order.amend.keepPriority; cancel-replace of an order this session did not
//     send (after a process restart, reconciliation knows its id but not its side and type) is
//     refused locally; ALLOW_FAILURE is not used. Ed25519 session logon (session.logon)
//     for order entry: requests are HMAC-signed per request (sign.go's Ed25519 signer is ready).
//   - Session.Send and the reader's step are proven allocation-free over a stand-in connection
//     (session_alloc_test.go), not over a real socket against the simulator (which allocates in
//     the same process). The live-order map may allocate when it grows past 4096 open orders.
//   - Reconciliation looks at the orders this session sent or saw acknowledged, and at the open
//     orders carrying its prefix; orders of the prefix that completed while no session knew them
//     (a previous process) are not searched for. Fills of an order with more than 500 trades
//     (myTrades' default page) are not paged.
//   - The automatic reconnect retries every failure alike: a subscription the venue refuses
//     (revoked key, bad signature) is retried with back-off like a network failure, until Close.
//   - A shared Limiter is shared within one process only; sessions of one account in other
//     processes are seen only through the venue's counts in rateLimits. Request weight is per
//     address on Binance: sessions of different accounts from one address should share a
//     Limiter too, which then also shares their order budgets (one Limiter holds both).
package binance

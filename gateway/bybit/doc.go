// Package bybit is the Bybit v5 order gateway: it turns the core's order requests into Bybit
// trade WebSocket requests, and Bybit's answers, order stream and execution stream into events.
//
// # Pieces
//
//	sign.go       HMAC-SHA256 signing of REST requests and the WebSocket auth operation
//	encode.go     Encoder: KindNewOrder / KindCancel / KindReplace → order.create / order.cancel /
//	              order.amend requests (and the same objects as REST bodies), append-style
//	parse.go      Parser: trade answers and order/execution pushes → OrderAck, Reject, Fill,
//	              CancelAck; fills de-duplicated by execId
//	reject.go     Bybit retCodes and order-stream reject reasons → event.RejectReason
//	orders.go     the orders in flight (fixed-size open addressing)
//	idset.go      the bounded execId set that de-duplicates fills
//	limit.go      Limits and Limiter: Bybit's per-UID order limits as token buckets, and the
//	              back-off after 10006; one Limiter is shared by an account's sessions
//	waker.go      hands requests to the goroutine that owns the trade connection
//	session.go    Session: configuration, connect, reconnect, Submit
//	pump.go       the trade and private connection loops, rate limiting of each request
//	reconcile.go  what a Session does after every connect before it takes requests
//
// # Wire
//
// Orders go out on the trade WebSocket (/v5/trade), authenticated once per connection with the
// auth operation; requests carry X-BAPI-TIMESTAMP and X-BAPI-RECV-WINDOW in a header object and
// no signature. Order state and fills come back on the private WebSocket (/v5/private), topics
// "order" and "execution" (all categories). Both connections are pinged every 20 s. REST
// (/v5/order/realtime, /v5/execution/list) is used only to reconcile after a connect. Spot
// listings are category=spot, derivatives category=linear; prices and quantities are written
// from int64 at the listing's scales with core/fixed, without trailing zeros.
//
// Client order ids are gateway.AppendClientOrderID(prefix, OrderID) in orderLinkId; reports of
// other ids (another session, orders placed by hand) are counted in Parser.Foreign and dropped.
//
// # Events and their order
//
// OrderAck comes from the create answer or from the first order-stream report, whichever is
// first (never twice). Fills come from the execution stream only, once per execId (the set
// remembers the last 65,536). CancelAck comes from the order stream (its Leaves is qty −
// cumExecQty), so a cancel whose answer is lost is still confirmed. Bybit acknowledges
// post-only and fill-or-kill orders before refusing them on the order stream: such a Reject
// follows the OrderAck and is final. Refusals on the order stream have no numeric code: their
// VenueCode is CodeECPostOnly, CodeECNoFullFil or CodeECOthers. Refusals by the gateway itself
// (rate limit, not connected, no Bybit listing, table full) have VenueCode 0.
//
// # Amend
//
// KindReplace is Bybit's amend (order.amend): the order keeps its orderId and orderLinkId, so
// Replace.NewOrder is not used, and Replace.Qty is the new total quantity, fills included (as
// Bybit's qty). Both qty and price are always sent; Bybit refuses an amend that changes
// nothing. The amend is mapped as:
//
//	answer retCode 0, or the order-stream report (New/PartiallyFilled/Filled) carrying the
//	amend's price and qty, whichever comes first
//	                   OrderAck{Order, VenueOrder (unchanged), Price, Qty: the new ones,
//	                   Leaves: Qty − the fills seen (cumExecQty when the report came first)};
//	                   the later of the two emits nothing
//	answer 110001 (linear, "order not exists or too late to replace"), 170213 (spot)
//	                   Reject{RejectUnknownOrder, VenueCode}; the order stays tracked with its
//	                   old price and qty (its fill or cancel report settles it)
//	any other retCode  Reject with RejectReason(code) (10001 tick/lot, 110094/170140 minimum
//	                   value, 170134 spot tick, 10006 rate limit …); the order is unchanged
//	an order not tracked (never sent, or already closed)
//	                   Reject{RejectUnknownOrder, VenueCode 0}, nothing sent
//
// An amend Reject, unlike a new order's, does not end the order: it refuses the change only.
// An amend to a crossing price may trade at once: its fills come on the execution stream.
//
// # Rate limits
//
// Limits defaults to Bybit's non-VIP per-UID limits (create/amend and cancel each 20/s on spot,
// 10/s on linear). A request beyond the budget is refused without being sent: Reject
// RejectRateLimit and, on entering that state, VenueStatus VenueThrottled (VenueConnected with
// VenueReasonRateLimit when a request passes again). A 10006 answer (or 10018) makes the
// Session send nothing for Limits.Backoff and restart its buckets empty.
//
// Bybit counts these limits per UID, not per connection: one Limiter (NewLimiter) per venue
// account is meant to be shared, through Config.Limiter, by every Session of that account in the
// process (nil gives a Session its own, built from Config.Limits). The Limiter is safe for
// concurrent use (its own lock, no allocation); a throttle answer seen by one Session backs off
// all of them. Sessions of one account need distinct client order id prefixes.
//
// # Threads and ownership
//
// A Session runs two goroutines: Run's owns the trade connection and the encoder scratch, and
// draws from the Limiter (which has its own lock, as sessions may share it); the private goroutine owns the private connection. The Parser (orders in flight,
// execId set, intern tables) and the Sink are guarded by the Session's lock; Submit may be
// called from any goroutine and only queues (or, when the Session is down, rejects under the
// lock). Encoder is read-only and safe for concurrent use; Parser and Signer are not.
//
// # Allocation and speed
//
// Encoding (with or without the REST signature), parsing of answers, order and execution
// reports, and the limiter allocate nothing in steady state (alloc_test.go). A Session's send
// path adds one hand-off to the trade goroutine (a mutex and a read-deadline wake-up) and the
// WebSocket write. Reconciliation uses net/http and allocates: it runs only after a connect.
//
// # Not done
//
//   - One amend in flight per order: a second amend sent before the first is answered takes
//     its place (the first answer then acknowledges the second's price and qty). TP/SL and
//     trigger prices are never amended.
//   - No REST order entry: AppendBody and Signer.AppendREST build a signed REST request, but
//     the Session sends orders on the trade WebSocket only. No batch orders, no cancel-all.
//   - Spot market buys are always by base quantity (marketUnit baseCoin).
//   - Reconciliation reads one page: the newest 100 executions per category and 50 open orders
//     per query (no cursor paging). An outage with more fills than that loses the older ones.
//     A tracked order the venue does not know is rejected (RejectVenueUnavailable); one whose
//     query fails keeps its unknown mark and the connect attempt is retried.
//   - Quote-asset fees are at the listing's price scale, as the event schema says: on linear
//     BTCUSDT (one decimal) a fee is truncated to 0.1 USDT.
//   - The request clock must be within Bybit's receive window: no offset to /v5/market/time is
//     estimated. The X-Bapi-Limit-Status answers are not used to adapt the budgets.
//   - The Sink is called from two goroutines (serialized): feeding a one-producer ring needs an
//     adapter that owns the ring's producer side under that lock.
//   - Close during a connect attempt takes effect when the attempt ends (HandshakeTimeout at
//     most).
package bybit

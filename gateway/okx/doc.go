// Package okx is the OKX v5 order gateway: order entry over the private WebSocket
// (/ws/v5/private), execution reports from its orders channel, and reconciliation over signed
// REST after a reconnect.
//
//	s, _ := okx.NewSession(okx.Config{URL: ..., RESTURL: ..., Credentials: creds, Prefix: "e7k2",
//	        Master: master, Sink: publish})
//	go s.Run(ctx)              // dial, login, subscribe, reconcile; redial after a drop
//	s.Send(&ev)                // KindNewOrder, KindCancel or KindReplace; answers arrive through Sink
//
// # Files
//
//	sign.go       HMAC-SHA256 signatures: REST headers and the WebSocket login (Unix seconds)
//	encode.go     core events → order, cancel-order, amend-order, batch-orders requests; login
//	parse.go      answers and orders-channel pushes → OrderAck, Reject, Fill, CancelAck
//	codes.go      OKX sCodes → event.RejectReason (raw code kept in Reject.VenueCode)
//	idset.go      bounded FIFO set: fill de-duplication by (order, trade id), acknowledged orders
//	ratelimit.go  per-instrument place, cancel and amend budgets (60 / 2 s each), 50011 back-off
//	wsconn.go     client WebSocket frames over a gobwas/ws handshake
//	session.go    the connection: login, subscribe, send, read, reconnect
//	reconcile.go  after (re)connecting: /trade/fills, /trade/orders-pending, /trade/order
//	markets.go    the OKX listings of the instrument master, by instrument id and instId
//
// # Semantics
//
// The client order id is gateway.AppendClientOrderID(prefix, OrderID) (alphanumeric, at most 32,
// OKX's clOrdId rule); the OrderID of every answer and push is recovered from it with
// gateway.ParseClientOrderID, and orders of another prefix are ignored. An order is acknowledged
// by its first orders-channel push (which carries px, sz and accFillSz), not by the operation's
// answer (which carries neither). Refusals in the answer (sCode != "0") become Rejects.
//
// Amend: KindReplace (event.Replace{Order, Parent, Price, Qty, NewOrder}) is sent as amend-order
// with clOrdId = gateway.AppendClientOrderID(prefix, Replace.Order), newSz = Qty (the new total
// size, fills included) and newPx = Price (omitted when Price is 0: a size-only amend). OKX
// amends in place: the order keeps its ordId and clOrdId, so Replace.NewOrder is not used and
// every later event of the order carries Replace.Order. Events:
//
//	answer sCode "0"                      none (the push follows)
//	push amendResult "0" (not canceled)   OrderAck{Order, same VenueOrder, Price px, Qty sz, Leaves sz - accFillSz}
//	answer sCode != "0"                   Reject{Order: Replace.Order, VenueCode: sCode}; 51503 (no such
//	                                      order), 51509 (canceled), 51510 (completed) → RejectUnknownOrder,
//	                                      others as a new order's (51000 price, 51121 lot, 50011 rate)
//
// A refused amend leaves the order working as it was (cxlOnFail is never sent); its Reject does
// not end the order's tracking. An amend that crosses trades at once: its Fills follow the
// OrderAck. An amend whose size is not above the filled size cancels the order (CancelAck).
// Amends take the instrument's amend budget (60 / 2 s) and are held back by a venue back-off.
//
// Post-only: OKX accepts a post-only order that would take liquidity and then cancels it with
// cancelSource 31 (fill-or-kill that cannot fill: 13). Such an order, never acknowledged before,
// is reported as a Reject with RejectPostOnly (RejectFOK) and VenueCode 31 (13) — what the core
// expects of a crossing post-only — instead of an OrderAck followed by a CancelAck.
//
// Fills are de-duplicated by (order, trade id) in a bounded set (65536 by default): the terminal
// "filled" push that repeats accFillSz with fillSz "0" carries no trade and adds no fill, and a
// fill seen both on the channel and in /trade/fills after a reconnect is reported once.
//
// Rate limits: each instrument has a budget of 60 place requests and 60 cancel requests per 2 s
// (OKX's, Limits to change them); an order over the budget is not sent but answered with a Reject
// (RejectRateLimit, VenueCode 0) and a VenueStatus VenueThrottled. A 50011 from the venue rejects
// the order (VenueCode 50011), emits VenueThrottled, and refuses every new order for
// Limits.Backoff (one window by default); cancels are never held back by a back-off. The first
// order that passes after a throttle emits VenueStatus VenueConnected.
//
// OKX counts these budgets per account, not per connection: one Limiter per venue account is
// meant to be shared by every Session of that account in the process (Config.Limiter; nil gives a
// session its own, built from Config.Limits). A shared Limiter is safe for concurrent use (its own
// lock, no allocation); sessions sharing it must be built on the same instrument master and use
// distinct client order id prefixes. A venue 50011 seen by one session backs off all of them.
//
// Credentials: the secret and passphrase are used to sign and to log in; they never appear in
// errors, events or Stats (a test greps them all).
//
// # Threads
//
// A Session has one reader goroutine (Run) and is sent to from the gateway thread (Send). Both
// hold the session lock past the socket read: encoding, writing, parsing, the limiter and Sink
// calls, so Sink is never called concurrently. Blocking: Send writes to the socket (a system
// call) and Run blocks in read; reconciliation runs on Run's goroutine while Send refuses orders.
// The Encoder is read-only; the Parser and idSets belong to the session lock; the Limiter has its
// own lock, as it may be shared by several sessions.
//
// # Not done
//
//   - batch-amend-orders (amends are sent one per request); a Reject of a refused amend has
//     Parent 0 (the answer names the order only).
//   - Reconciliation reads the latest 100 fills only (no pagination by billId), and a reconciled
//     fill's Leaves is the order's current leaves (0 once it is closed), not the leaves right
//     after that fill.
//   - An order whose state a reconnect cannot learn (its /trade/order query fails) stays tracked
//     and is counted in Stats.UnknownLeft; no event marks it, and the next reconnect asks again.
//   - A batch-orders request refused as a whole with no per-order data rejects only its first
//     order (the request id names one order).
//   - A batch-orders request that one instrument's budget cannot hold is refused as a whole (the
//     other instruments' shares are given back), not split.
//   - Derivatives: tdMode is "cross" with no posSide or reduceOnly; SPOT and SWAP are parsed the
//     same way (the simulator serves SWAP, but the session tests run on SPOT).
//   - Multiple private connections, the business WebSocket, mass-cancel and cancel-all-after.
package okx

// Package coinbase is the Coinbase order gateway: Advanced Trade order entry over keep-alive
// HTTP, execution reports from the WebSocket user channel and the fills endpoint, rate limits,
// reconnection and reconciliation, and the signing of every Coinbase protocol (venue specs
// sections 5 and 7.3).
//
// # Pieces, one per file
//
//   - jwt.go: Advanced Trade authentication tokens (JWT, ES256 for EC P-256 keys, EdDSA for
//     Ed25519 keys), one per REST request, bound to its method, host and path, and one per
//     user-channel subscription. sign.go: the legacy Exchange HMAC signatures (REST and FIX
//     Logon), tested against the venue specs' vectors.
//   - encode.go: Encoder, core requests → signed HTTP/1.1 requests (POST orders,
//     orders/batch_cancel, orders/edit, GET orders/historical/fills and
//     orders/historical/batch), appended into caller buffers. Prices and sizes come from
//     int64 at the listing's scales (ems/core/fixed); client order ids are
//     gateway.AppendClientOrderID(prefix, OrderID).
//   - parse.go: Parser, the venue's answers and user-channel messages → typed views, with
//     fastjson and no allocation in steady state. reject.go: the venue's failure codes
//     (error_response error / new_order_failure_reason / preview_failure_reason,
//     batch_cancel failure_reason, orders/edit edit_failure_reason, the API gateway's status
//     names) → event.RejectReason; a Reject's VenueCode is the code's number in that list
//     (CodeOf, CodeName).
//   - httpconn.go: a minimal HTTP/1.1 keep-alive client (Content-Length and chunked bodies)
//     that reuses its buffers: a round trip allocates nothing.
//   - ratelimit.go: Limiter, the client-side budget of one API key (30 private requests and 30
//     orders (creates and edits) per second, as the venue and sim/coinbase enforce) and the
//     back-off after a 429, shared by the key's sessions.
//   - session.go, userchannel.go, reconcile.go, orders.go, idset.go: Session, which ties them
//     together (see its comment for the goroutines and the lock).
//
// # Events
//
// Send(KindNewOrder) answers with OrderAck (VenueOrder interned in Config.VenueOrders) or
// Reject; Send(KindCancel) with Reject when refused, and the CancelAck comes with the order's
// CANCELLED update on the user channel (Leaves = quantity less the fills seen).
//
// Send(KindReplace) edits the order in place with orders/edit (GTC limit orders only). Coinbase
// keeps the order's id, so event.Replace.NewOrder is not used: the order stays Replace.Order,
// with the same VenueOrder. Price and Qty are the new limit price and the new total quantity
// (fills included); both are sent. A success answers OrderAck{Order, VenueOrder (unchanged),
// Price and Qty (the new ones), Leaves = Qty less the fills seen}: a second OrderAck for the same
// order, which the consumer reads as "now open with these figures". A refusal answers
// Reject{Order, VenueCode, Reason} and the order stays as it was; edit_failure_reason maps as
// ORDER_NOT_FOUND, ONLY_OPEN_ORDERS_CAN_BE_EDITED, CALLER_ID_MISMATCH → RejectUnknownOrder;
// INVALID_EDITED_PRICE, INVALID_ORIGINAL_PRICE → RejectPriceFilter; INVALID_EDITED_SIZE,
// INVALID_ORIGINAL_SIZE, CANNOT_EDIT_TO_BELOW_FILLED_SIZE → RejectQtyFilter;
// ONLY_LIMIT_ORDER_EDITS_SUPPORTED, EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST →
// RejectInvalidRequest; UNKNOWN_EDIT_ORDER_FAILURE_REASON and COMMANDER_REJECTED_EDIT_ORDER →
// RejectUnknown unless preview_failure_reason is specific (PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY
// → RejectPostOnly, ...), which then decides. An edit of an order the Session does not hold as
// acknowledged, or whose cancel the venue accepted, is refused with RejectUnknownOrder, VenueCode
// 0. An edit whose new price crosses trades at once: its fills come from the user channel as
// for any order, and an order the edit filled completely is finished without the OrderAck.
//
// The user channel reports an order's cumulative state without executions, so when an order's
// cumulative quantity grows the Session reads orders/historical/fills for it and emits one
// Fill per new trade: exact price, size, commission (Fee, at the listing's price scale, in the
// quote asset: FeeAsset is the quote's id in Config.Assets), trade id (feed.TradeID of the
// venue's text id), maker/taker, and Leaves. Fills are de-duplicated by (trade id, venue order)
// in a bounded set. Refusals made before sending (rate limit, venue not ready, unknown
// instrument, a post-only IOC, an edit of an order not acknowledged) carry VenueCode 0.
// Throttling (the local budget or a 429 from the venue) emits Reject(RejectRateLimit) and
// VenueStatus(VenueThrottled, VenueReasonRateLimit); after a 429 nothing is sent for
// Limits.Backoff, doubled per consecutive 429.
//
// Coinbase counts the budget per API key, not per connection: one Limiter (NewLimiter) per venue
// account is meant to be shared, through Config.Limiter, by every Session of that account in the
// process (nil gives a Session its own, built from Config.Limits). The Limiter is safe for
// concurrent use (its own lock, no allocation); a 429 seen by one Session backs off all of them.
// Sessions of one account need distinct client order id prefixes.
//
// # Reconnection and reconciliation
//
// When the user channel drops, the Session emits VenueStatus(VenueDisconnected) and refuses
// orders and cancels (RejectVenueUnavailable); it reconnects with back-off, reads the new
// snapshot, lists the account's recent orders (orders/historical/batch) and applies each of its
// own, catching up acknowledgements, fills (de-duplicated) and terminal states, then emits
// VenueStatus(VenueConnected) and accepts orders again. A create or cancel request that got no
// answer (the connection closed) is reconciled the same way at once: an order the venue does
// not list was never placed (Reject RejectVenueUnavailable); one it lists is acknowledged; a
// cancel whose answer was lost shows as CANCELLED. A sequence_num gap on the user channel also
// triggers a reconciliation.
//
// # Costs
//
// Encoding a body, parsing any answer, the HTTP round trip and the Session's tables allocate
// nothing in steady state (gateway_alloc_test.go). The per-request JWT does: ES256 signing
// allocates in crypto/ecdsa (about 63 allocations and 26-32 µs per request on the reference
// VM; an Ed25519 key costs about 17 µs and one allocation). The venue requires a fresh token
// per request, so nothing of it is cached beyond the constant uri claims.
//
// # Not done
//
//   - Edit: an edit whose answer was lost (the connection closed) is answered Reject
//     RejectVenueUnavailable after a reconciliation, but the venue may have applied it: the
//     order lists carry no price or size the Session reads, so it keeps the old figures. Fills
//     the user channel reports while an edit is in flight carry Leaves from the old quantity.
//     orders/edit_preview is not used.
//   - Cancel of an order whose create request is still unanswered (no venue order id yet) is
//     refused with RejectUnknownOrder instead of being held until the acknowledgement.
//   - Fills are read with one page of Config.FillsLimit (100) per order: an order with more new
//     fills than that between two updates loses the older ones until the next update;
//     orders/historical/batch is read as one page of 1000 (older orders are not reconciled).
//   - ExchTS is 0 on every event (the venue's RFC 3339 times are not parsed).
//   - Venue order ids are interned for the Session's lifetime: the table grows with the
//     number of orders (and allocates when it does).
//   - Market orders sized in quote (quote_size), GTD, stop and bracket orders are not encoded.
//   - A venue-side FAILED order that was never acknowledged is reported as Reject
//     RejectUnknown.
package coinbase

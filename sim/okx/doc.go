// Package okx serves a simulated venue (sim.Venue) over OKX's v5 wire protocol on loopback, so
// that the project's OKX feed decoder (feed/okx), the OKX gateway and unmodified OKX clients
// talk to it as to www.okx.com and ws.okx.com (venue specs sections 3, 3.1, 7.2 and 10).
//
//	srv, _ := okx.New(venue, okx.DefaultOptions())
//	base, _ := srv.Start("127.0.0.1:0")   // REST at base/api/v5/..., srv.PublicURL(), srv.PrivateURL()
//	defer srv.Close()
//
// # Served
//
// REST (JSON; private endpoints signed with OK-ACCESS-KEY, -PASSPHRASE, -TIMESTAMP (ISO-8601,
// milliseconds) and -SIGN = Base64(HMAC-SHA256(secret, timestamp + METHOD + path?query + body)),
// verified with gateway/okx's signing code):
//
//	GET  /api/v5/public/instruments      instType (required), instId
//	GET  /api/v5/market/books            instId, sz (1..400, default 1); seqId = the book sequence
//	POST /api/v5/trade/order             limit, market, post_only, fok, ioc, optimal_limit_ioc (SWAP)
//	POST /api/v5/trade/batch-orders      JSON array, at most 20
//	POST /api/v5/trade/cancel-order      instId + ordId or clOrdId
//	POST /api/v5/trade/cancel-batch-orders
//	POST /api/v5/trade/amend-order       instId + ordId or clOrdId, newSz and/or newPx, reqId, cxlOnFail
//	POST /api/v5/trade/amend-batch-orders
//	GET  /api/v5/trade/order             instId + ordId or clOrdId
//	GET  /api/v5/trade/orders-pending    instType, instId, limit
//	GET  /api/v5/trade/fills             instType, instId, ordId, after, before (billId), limit
//	GET  /api/v5/trade/fills-history     the same, instType required
//
// WebSocket /ws/v5/public: channels books (400-level snapshot, then updates with
// prevSeqId/seqId and the CRC-32 checksum, heartbeat updates when idle; see books.go) and
// trades; the text "ping" is answered "pong".
//
// WebSocket /ws/v5/private: login (sign = Base64(HMAC-SHA256(secret, unix-seconds + "GET" +
// "/users/self/verify"))), the orders channel (instType SPOT, SWAP, FUTURES or ANY, optional
// instId), and the operations order, batch-orders, cancel-order, batch-cancel-orders,
// amend-order and batch-amend-orders.
//
// Amends (amend.go) are match.Engine.Replace under one Venue.Do: the order keeps its ordId and
// clOrdId; the same price with a size not larger keeps its priority, anything else sends it to
// the back of its level (and a crossing price trades at once); newSz is the total size, fills
// included, and a newSz not above the filled size cancels the order. The orders channel pushes
// the amended order with amendResult "0", amendSource "1", the reqId and the new px/sz. A refused
// amend changes nothing and is not pushed (OKX pushes amendResult "-1"), except with cxlOnFail,
// which cancels the order (pushed canceled with amendResult "1").
//
// Errors are OKX's codes and texts (codes.go): per-order sCodes 51000 (parameter, price off the
// tick, newPx/newSz malformed or a post-only amend that would cross), 51001, 51003, 51016,
// 51020, 51109, 51121, 51204, 51400, 51503/51509/51510 (amend of an unknown, canceled or
// completed order), 50011 (order rate, amends included); request
// errors 50000, 50002, 50006, 50014, 51111, 51603; gateway errors 50011 (HTTP 429), 50102-50113,
// 50115, 404; WebSocket 60004-60031 and close frames 1009, 4004, 4005, 4006. A post-only order
// that would take, a fill-or-kill that cannot fill and an IOC remainder are accepted and then
// canceled (cancelSource 31, 13, 14), as OKX does.
//
// # Ids and units
//
// ordId is 600000000000000000 + Engine order id × 100 + market index (18 digits, unique over
// the venue); tradeId the Engine's trade id (per instrument, as OKX's); billId counts fills per
// account; uid is 448000000000000000 + account. Timestamps are the venue's clock. Fees are
// exact (math/big): a SPOT buy pays its fee in the base currency, a sell in the quote, a
// derivative in the quote (settlement) currency, at the listing's default-tier rates; avgPx keeps
// 8 decimals beyond the price scale. A SPOT market order sized in quote currency (tgtCcy
// quote_ccy, OKX's default for buys) is converted to the base quantity the book offers for that
// amount at the time of the order.
//
// # Faults (sim.Fault), as they show on the wire
//
//	disconnect       close frame 4006 "Abnormal disconnection" (asked per push, per connection)
//	stale            no books or trades for the market while it fires (asked per publication);
//	                 the book then catches up in one update, with no gap
//	gap              one books update is not sent: the next one's prevSeqId names it
//	bad-checksum     one update's checksum is corrupted (non-zero even with checksums off)
//	reject           the order is refused with sCode 50026 "System error. Try again later"
//	delay-ack        the order's answer is held back for Fault.Delay (pushes go first)
//	partial-fill     an order that would trade on arrival works only FillPerMille of its size
//	                 and the venue cancels the rest (cancelSource 0): never "filled"
//	lose-cancel-ack  the order is canceled (pushed) but the answer is never sent; over REST the
//	                 connection is dropped without a response
//
// Rate limits: every REST request and every WebSocket login or subscription costs weight 1 of
// the venue's request limit (per API key, or per client host when unsigned); each order costs 1
// of the venue's order limit per API key and instId. Latency (VenueConfig.Latency) is added
// before each REST answer and each WebSocket frame.
//
// # Not served (yet)
//
//   - Amend: the amendResult "-1" push of a refused amend, newPxUsd/newPxVol, attached TP/SL
//     amends, 51513 (amends in flight); faults do not apply to amends.
//   - mass-cancel, cancel-all-after,
//     algo and trigger orders, order history endpoints (orders-history, orders-history-archive).
//   - Account endpoints (balance, positions, trade-fee, config): the simulator keeps no balances,
//     so 51008 (insufficient balance) is never answered.
//   - Market endpoints other than books (tickers, trades, candles) and the public channels
//     books5, bbo-tbt, books-l2-tbt, books50-l2-tbt, tickers, candles (answered 60018); the
//     /ws/v5/business endpoint.
//   - Per-level order counts: the Engine does not expose them, so a live level says "1".
//   - MARGIN and OPTION instruments; positions, leverage and reduce-only (reduceOnly is always
//     "false"); self-trade prevention (self-trades are allowed, as in the Engine).
//   - Multi-account WebSocket login (one key per connection), expTime, the books-l2-tbt
//     exclusivity rule, per-endpoint rate-limit weights (all 1).
//   - fills and fills-history read one bounded log (Options.FillHistory per account): no 3-day or
//     3-month windows, no begin/end filters; subType is 1 (buy) or 2 (sell).
//
// # Concurrency
//
// One goroutine per market publishes its channels from the venue's market events (the venue's
// callback only queues); each WebSocket has a reader and a writer goroutine; net/http serves
// REST. Order state lives under the venue lock (Venue.Do and the venue's order callbacks). The
// server binds loopback addresses only.
package okx

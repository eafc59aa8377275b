// Package bybit serves a simulated Bybit v5 venue (a sim.Venue) on loopback, speaking Bybit's
// own wire protocol so that the project's feed decoder (feed/bybit) and Bybit clients work
// against it unchanged. Requests are signed as gateway/bybit signs them (HMAC-SHA256, hex).
//
// The venue's spot listings are category=spot and its derivatives listings (USDT perpetuals)
// category=linear; a symbol such as BTCUSDT names one market per category.
//
// # Served
//
// REST (base URL from Start; JSON envelope {"retCode","retMsg","result","retExtInfo","time"}):
//
//	GET  /v5/market/time
//	GET  /v5/market/instruments-info   category, symbol
//	GET  /v5/market/orderbook          category, symbol, limit (spot 1..200, linear 1..500)
//	POST /v5/order/create              signed; Limit/Market, GTC/IOC/FOK/PostOnly, orderLinkId,
//	                                   spot market buys by quote amount (marketUnit)
//	POST /v5/order/cancel              signed; orderId or orderLinkId
//	POST /v5/order/amend               signed; orderId or orderLinkId, qty and/or price (the
//	                                   order keeps its ids; the order stream reports it amended)
//	GET  /v5/order/realtime            signed; open orders, orderId/orderLinkId, openOnly=1
//	GET  /v5/execution/list            signed; category, symbol, orderId, limit
//	GET  /v5/user/query-api            signed
//	GET  /v5/account/info              signed
//
// WebSocket:
//
//	/v5/public/spot, /v5/public/linear   subscribe/unsubscribe/ping; orderbook.{1,50,200,1000}.
//	                                     {symbol} (a snapshot on subscribe, then deltas with
//	                                     consecutive u; orderbook.1 as snapshots) and
//	                                     publicTrade.{symbol}
//	/v5/private                          auth, ping, order / order.spot / order.linear,
//	                                     execution / execution.spot / execution.linear
//	/v5/trade                            auth, ping, order.create, order.cancel, order.amend
//
// Authentication: X-BAPI-API-KEY, X-BAPI-TIMESTAMP within X-BAPI-RECV-WINDOW (default 5000 ms)
// of the venue's clock (server_time - recv_window <= timestamp < server_time + 1000),
// X-BAPI-SIGN over timestamp + key + recvWindow + (query string | body); the WebSocket auth
// operation signs "GET/realtime" + expires.
//
// Refusals carry Bybit's codes: 10001 parameters, 10002 receive window, 10003 API key,
// 10004 signature ("error sign! origin_string[...]"), 10006 "Too many visits!" (the venue's
// per-key order limit), 10017 route not found (HTTP 404), and per category for orders — spot:
// 170121 symbol, 170115/170116/170117 enums, 170134 price decimals, 170137 quantity decimals,
// 170136 minimum quantity, 170140 minimum amount, 170141 duplicate orderLinkId, 170213 unknown
// order, 170218 an amend making a post-only order cross [unconfirmed]; linear: 10001 for
// symbol, enums, tick and lot (and an amend making a post-only order cross [unconfirmed]),
// 110094 minimum value, 110072 duplicate orderLinkId, 110001 unknown order (an amend's reads
// "order not exists or too late to replace"). The venue's per-address request limit answers
// HTTP 403 "access too frequent", as Bybit's IP limit does. Codes and messages come from Bybit's v5
// error table; the ones the table does not settle are marked [unconfirmed] in errors.go and at
// their use. Orders Bybit accepts and then refuses are acknowledged (retCode 0) and reported
// on the order stream: post-only crossing (Rejected on spot, Cancelled on linear, both
// EC_PostOnlyWillTakeLiquidity), fill-or-kill (EC_CancelForNoFullFill), market orders without
// liquidity (EC_NoImmediateQtyToFill).
//
// # Faults (sim.Fault)
//
//   - disconnect: asked before each push on a WebSocket; closes it with a close frame (1001).
//   - stale: asked per market per batch; holds back its book and trade pushes. The book streams
//     resume with one delta covering the change and the next u (trades of the window are lost).
//   - gap: asked per book message pushed; the message skips one u.
//   - bad-checksum: Bybit's books carry no checksum; the fault has no effect.
//   - reject: asked per order; refuses it with the generic error (spot 170210, linear 10016).
//   - delay-ack: asked per order; holds the answer (REST or trade WebSocket) back by Delay
//     (on the trade WebSocket, later answers queue behind it).
//   - partial-fill: asked per order that trades on arrival; it fills FillPerMille of its
//     quantity and the venue cancels the rest (PartiallyFilledCanceled on spot, Cancelled on
//     linear; qty and timeInForce as requested).
//   - lose-cancel-ack: asked per successful cancel; REST drops the connection unanswered, the
//     trade WebSocket sends nothing. The order is cancelled and the order stream says so.
//
// # Not served (yet)
//
// Inverse and option categories, spread trading; amend of TP/SL, trigger price or orderIv (only
// qty and price are amended; an amend answers 10001 when both are absent or nothing changes, the
// qty parameter error when qty is not above cumExecQty [unconfirmed], and applies no fault);
// batch endpoints, cancel-all, order history (/v5/order/history), positions, wallet, fee rates,
// tickers, klines and every other endpoint or topic (REST answers 10017, WebSocket requests a
// refusal); reduceOnly, TP/SL, conditional and RPI orders (the fields are ignored); positions,
// balances and margin checks (orders never fail for funds); cursors (nextPageCursor is always
// empty); Bybit's maximum order sizes (published in instruments-info, not enforced); the
// orderbook.1 re-push after 3 s without change; the idle timeout and max_active_time of private
// connections. Spot fees are charged in the quote asset (Bybit charges a buyer in the base
// asset). Linear prices are written at the listing's decimals ("68000.0"), where Bybit writes its
// priceScale. The X-Bapi-Limit-Status header is not sent (the venue's limiter does not expose the
// remaining budget).
//
// # Threads
//
// net/http runs the REST handlers and each WebSocket's reader; each WebSocket also has a writer
// goroutine that sends its queued frames after the venue's latency, so the venue's callbacks
// (run under the venue lock) never block: a client that falls QueueLen frames behind is closed
// (1008). See Server for the locks.
package bybit

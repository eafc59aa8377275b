// Package binance is the Binance spot protocol server of the venue simulator (ems sim): it serves
// a sim.Venue on loopback with Binance's wire protocol, so the project's feed decoder
// (feed/binance), order gateways and unmodified Binance clients talk to it as to the venue (venue
// specs sections 1, 7.1 and 10).
//
// # Served
//
// REST, on the base URL (GET parameters in the query; POST and DELETE parameters in the query, a
// form body, or both):
//
//	GET    /api/v3/ping, /api/v3/time
//	GET    /api/v3/exchangeInfo        symbol= or symbols=[...]; PRICE_FILTER, LOT_SIZE, NOTIONAL
//	GET    /api/v3/depth               symbol, limit (default 100, up to 5000)
//	POST   /api/v3/order               LIMIT (GTC, IOC, FOK), MARKET (quantity), LIMIT_MAKER;
//	                                   newOrderRespType ACK, RESULT, FULL
//	GET    /api/v3/order               orderId or origClientOrderId
//	DELETE /api/v3/order               orderId or origClientOrderId, newClientOrderId
//	POST   /api/v3/order/cancelReplace cancelReplaceMode (STOP_ON_FAILURE, ALLOW_FAILURE),
//	                                   cancelOrderId or cancelOrigClientOrderId,
//	                                   cancelNewClientOrderId, and a new order's parameters
//	GET    /api/v3/openOrders          symbol optional
//	GET    /api/v3/myTrades            symbol, orderId, fromId, startTime, endTime, limit
//
// SIGNED endpoints take the key in X-MBX-APIKEY and an HMAC-SHA256 hex signature of query + body
// (no separator, as sent, signature excluded), or an Ed25519 base64 one for a key configured
// with an Ed25519 public key (sim.APIKey.PublicKeyPEM); timestamp (ms or µs) and recvWindow
// (default 5000, at most 60000) follow Binance's timing rule.
//
// WebSocket market data (on the same host and port): raw streams /ws/<stream>[/<stream>...],
// combined streams /stream?streams=<a>/<b> ({"stream","data"} envelopes), and /ws or /stream
// with the live requests SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY and
// GET_PROPERTY ("combined"). Streams: <symbol>@depth@100ms and <symbol>@depth (diff depth,
// U/u continuous and joined to the REST snapshot's lastUpdateId as Binance's local-book procedure
// needs), <symbol>@trade, <symbol>@bookTicker, and partial depth <symbol>@depth5/10/20 (1 s,
// or @100ms). The server pings every 20 s and drops a connection that leaves a ping unanswered
// for a minute; it answers client pings with pongs.
//
// WebSocket API at /ws-api/v3: ping, time, order.place, order.cancel, order.cancelReplace,
// order.status,
// openOrders.status, userDataStream.subscribe.signature (then executionReport events wrapped
// {"subscriptionId":N,"event":{...}}) and userDataStream.unsubscribe; signatures over the params
// sorted by name (HMAC hex or Ed25519 base64); responses carry rateLimits.
//
// Errors have Binance's shape {"code":-1121,"msg":"Invalid symbol."} and codes: -1022 bad
// signature, -2014/-2015 bad or unknown key, -1021 timestamp, -1100/-1102/-1104/-1106/-1111
// bad parameters, -1121 unknown symbol, -1013 filter failures (PRICE_FILTER, LOT_SIZE,
// NOTIONAL), -2010 new order rejected (LIMIT_MAKER that would cross, duplicate client id),
// -2011 unknown order on cancel, -2013 unknown order on query, -2022 "Order cancel-replace
// failed." (the cancel failed; HTTP 400) and -2021 "Order cancel-replace partially failed." (one
// part succeeded; HTTP 409), both with data {cancelResult, newOrderResult, cancelResponse,
// newOrderResponse} as Binance sends it (a failed part is its {code,msg}, a part not attempted
// null), -1112 market order on an empty
// book, -1003 (HTTP 429) request weight, -1015 (HTTP 429) order count. A FOK order that cannot
// fill is answered with status EXPIRED, as on Binance. Unknown paths get HTTP 404 with
// {"code":-1020,"msg":"This operation is not supported."} (Binance's own answer there comes from
// its web front end and is not modelled).
//
// Rate limits: request weight per client address and orders per account through the venue's
// limiters, with Binance's weights (depth 5/25/50/250 by limit, exchangeInfo 20, order,
// cancel and cancel-replace 1 (a cancel-replace counts one order), query
// 4, openOrders 6 or 80, myTrades 20, WebSocket connection 2); usage is reported in
// X-MBX-USED-WEIGHT-<n><unit> and X-MBX-ORDER-COUNT-<n><unit> headers and the WebSocket API's
// rateLimits, counted in fixed intervals as Binance counts them.
//
// Faults (sim.Fault), carried out on the wire: disconnect (a close frame, 1001, on any WebSocket
// connection, asked at each batch written and each ping with no symbol, so a disconnect fault
// limited to a symbol never fires), stale (market data held back: diffs
// keep gathering so the stream resumes without a gap), gap (a gathered diff is dropped, so the
// next U skips past u + 1), reject (-2010 insufficient balance, the Engine never sees the
// order), delay-ack (the order response is held back for Fault.Delay; its execution reports go
// first), partial-fill (an aggressive order trades only FillPerMille of its quantity and its
// remainder expires; the client sees its own quantity and time in force), lose-cancel-ack (the
// order is canceled but neither the response nor the CANCELED execution report is sent; REST
// gets -1007 "execution status unknown", HTTP 503).
//
// # Not served
//
// aggTrade, kline, ticker, avgPrice and all-market streams (subscriptions to them, and to
// symbols the venue does not list, are accepted and carry nothing, as Binance accepts unknown
// symbols); the bad-checksum fault (Binance has no checksum); other REST endpoints (account,
// allOrders, historical trades, order lists, amend, SOR, listenKey); cancel-replace's
// cancelRestrictions and orderRateLimitExceededMode (refused, -1104), and the delay-ack and
// lose-cancel-ack faults on a cancel-replace (its cancel and new order are answered at once); WebSocket API
// methods other than those above (session.logon, order.test, depth, exchangeInfo, ...);
// outboundAccountPosition and balanceUpdate events (the simulator keeps no balances, so no
// order is refused for funds except by the reject fault); self-trade prevention (every order is
// NONE); stop, iceberg, trailing and quote-quantity orders (refused with Binance's "not supported
// for this symbol" messages, as exchangeInfo announces them disabled); RSA keys; the 24-hour
// connection limit and the 5 messages per second limit on stream connections; SBE.
//
// # Deviations
//
// Commission is charged in the asset received (base for a buy, quote for a sell) at the
// listing's fee, truncated toward zero; Binance rounds it and may charge BNB. bookTicker is sent
// once per venue batch whose changes moved the top of book, not per level change. Market orders
// are valued at the best opposite price for NOTIONAL (Binance uses a 5-minute average).
//
// # Concurrency
//
// Every request reaches the venue's engines through sim.Venue.Do; the venue's callbacks only
// queue messages. Each WebSocket connection has a reader (the HTTP handler's goroutine) and a
// writer goroutine; the market-data hub pushes the periodic streams from one goroutine. Start
// and Close may be called from any goroutine.
package binance

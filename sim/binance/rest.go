package binance

import (
	"ems/core/jsontext"
	"net/http"
	"strconv"
	"time"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// restRoute is one REST endpoint.
type restRoute struct {
	method string
	path   string
	handle func(s *Server, r *http.Request, p *restParams) ([]byte, *apiError, time.Duration)
}

// restRoutes are the endpoints served (see the package documentation).
var restRoutes = []restRoute{
	{http.MethodGet, "/api/v3/ping", (*Server).restPing},
	{http.MethodGet, "/api/v3/time", (*Server).restTime},
	{http.MethodGet, "/api/v3/exchangeInfo", (*Server).restExchangeInfo},
	{http.MethodGet, "/api/v3/depth", (*Server).restDepth},
	{http.MethodPost, "/api/v3/order", (*Server).restNewOrder},
	{http.MethodGet, "/api/v3/order", (*Server).restQueryOrder},
	{http.MethodDelete, "/api/v3/order", (*Server).restCancelOrder},
	{http.MethodPost, "/api/v3/order/cancelReplace", (*Server).restCancelReplace},
	{http.MethodGet, "/api/v3/openOrders", (*Server).restOpenOrders},
	{http.MethodGet, "/api/v3/myTrades", (*Server).restMyTrades},
}

// serveREST answers a REST request after the venue's latency (plus the delay-ack fault's delay
// for a new order).
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	var route *restRoute
	for i := range restRoutes {
		if restRoutes[i].path == r.URL.Path && restRoutes[i].method == r.Method {
			route = &restRoutes[i]
			break
		}
	}
	if route == nil {
		s.pause(s.v.Latency())
		s.writeError(w, r, errNotFound)
		return
	}
	p, e := readParams(r)
	if e != nil {
		s.pause(s.v.Latency())
		s.writeError(w, r, e)
		return
	}
	body, e, delay := route.handle(s, r, p)
	s.pause(s.v.Latency() + delay)
	s.setUsageHeaders(w, p)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// writeError writes the venue's error answer; the caller has waited the venue's latency.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64((e.retryAfter+time.Second-1)/time.Second), 10))
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(e.appendBody(nil))
}

// weigh charges a request's weight to the client's address; the interval's count goes out in
// the X-MBX-USED-WEIGHT header.
func (s *Server) weigh(r *http.Request, p *restParams, w int) *apiError {
	n, e := s.chargeWeight(clientIP(r), w)
	p.usedWeight = n
	return e
}

// setUsageHeaders sets X-MBX-USED-WEIGHT-<interval> and, for an order, X-MBX-ORDER-COUNT-<interval>
// (interval as "1M", "10S"), for the limits the venue enforces.
func (s *Server) setUsageHeaders(w http.ResponseWriter, p *restParams) {
	rl := s.v.Config().RateLimit
	if rl.Weight > 0 && p.usedWeight > 0 {
		w.Header().Set("X-MBX-USED-WEIGHT-"+intervalTag(rl.Window), strconv.FormatInt(p.usedWeight, 10))
	}
	if rl.Orders > 0 && p.orderCount > 0 {
		w.Header().Set("X-MBX-ORDER-COUNT-"+intervalTag(rl.OrderWindow), strconv.FormatInt(p.orderCount, 10))
	}
}

func (s *Server) restPing(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	if e := s.weigh(r, p, 1); e != nil {
		return nil, e, 0
	}
	return []byte("{}"), nil, 0
}

func (s *Server) restTime(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	if e := s.weigh(r, p, 1); e != nil {
		return nil, e, 0
	}
	b := append([]byte(`{"serverTime":`), strconv.FormatInt(s.nowMs(), 10)...)
	return append(b, '}'), nil, 0
}

func (s *Server) restExchangeInfo(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	if e := s.weigh(r, p, 20); e != nil {
		return nil, e, 0
	}
	sel, e := s.selectMarkets(p.vals)
	if e != nil {
		return nil, e, 0
	}
	return s.appendExchangeInfo(nil, sel), nil, 0
}

// selectMarkets returns the markets exchangeInfo's symbol or symbols parameter names (every
// market when neither is given).
func (s *Server) selectMarkets(p params) ([]*market, *apiError) {
	sym, one := p["symbol"]
	list, many := p["symbols"]
	switch {
	case one && many:
		return nil, newErr(http.StatusBadRequest, -1128, "Combination of optional parameters invalid.")
	case one:
		mk, ok := s.bySym[sym]
		if !ok {
			return nil, errSymbol
		}
		return []*market{mk}, nil
	case many:
		names, ok := parseStringArray(list)
		if !ok || len(names) == 0 {
			return nil, errIllegal("symbols", `^\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\]$`)
		}
		var out []*market
		for _, n := range names {
			mk, ok := s.bySym[n]
			if !ok {
				return nil, errSymbol
			}
			out = append(out, mk)
		}
		return out, nil
	}
	return s.markets, nil
}

// parseStringArray parses ["A","B"] (no escapes, no spaces needed).
func parseStringArray(s string) ([]string, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	var out []string
	body := s[1 : len(s)-1]
	for len(body) > 0 {
		if body[0] != '"' {
			return nil, false
		}
		end := 1
		for end < len(body) && body[end] != '"' {
			end++
		}
		if end == len(body) {
			return nil, false
		}
		out = append(out, body[1:end])
		body = body[end+1:]
		if len(body) > 0 {
			if body[0] != ',' {
				return nil, false
			}
			body = body[1:]
		}
	}
	return out, true
}

// appendExchangeInfo appends GET /api/v3/exchangeInfo for the markets sel.
func (s *Server) appendExchangeInfo(dst []byte, sel []*market) []byte {
	rl := s.v.Config().RateLimit
	dst = append(dst, `{"timezone":"UTC","serverTime":`...)
	dst = appendInt(dst, s.nowMs())
	dst = append(dst, `,"rateLimits":[`...)
	first := true
	for _, l := range []struct {
		typ    string
		window time.Duration
		limit  int
	}{{"REQUEST_WEIGHT", rl.Window, rl.Weight}, {"ORDERS", rl.OrderWindow, rl.Orders}} {
		if l.limit <= 0 {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		n, unit := intervalOf(l.window)
		dst = append(dst, `{"rateLimitType":"`...)
		dst = append(dst, l.typ...)
		dst = append(dst, `","interval":"`...)
		dst = append(dst, unit...)
		dst = append(dst, `","intervalNum":`...)
		dst = appendInt(dst, int64(n))
		dst = append(dst, `,"limit":`...)
		dst = appendInt(dst, int64(l.limit))
		dst = append(dst, '}')
	}
	dst = append(dst, `],"exchangeFilters":[],"symbols":[`...)
	for i, mk := range sel {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendSymbolInfo(dst, mk)
	}
	return append(dst, "]}"...)
}

// appendSymbolInfo appends one exchangeInfo symbol: the listing's grid as PRICE_FILTER, LOT_SIZE
// and NOTIONAL filters, and the order types the simulator supports.
func appendSymbolInfo(dst []byte, mk *market) []byte {
	l := mk.l
	dst = append(dst, `{"symbol":`...)
	dst = jsontext.AppendString(dst, mk.symbol)
	dst = append(dst, `,"status":"TRADING","baseAsset":`...)
	dst = jsontext.AppendString(dst, mk.base)
	dst = append(dst, `,"baseAssetPrecision":8,"quoteAsset":`...)
	dst = jsontext.AppendString(dst, mk.quote)
	dst = append(dst, `,"quotePrecision":8,"quoteAssetPrecision":8,"baseCommissionPrecision":8,`+
		`"quoteCommissionPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET"],`+
		`"icebergAllowed":false,"ocoAllowed":false,"otoAllowed":false,"quoteOrderQtyMarketAllowed":false,`+
		`"allowTrailingStop":false,"cancelReplaceAllowed":false,"allowAmend":false,`+
		`"isSpotTradingAllowed":true,"isMarginTradingAllowed":false,`...)
	dst = append(dst, `"filters":[{"filterType":"PRICE_FILTER","minPrice":`...)
	dst = appendDec(dst, l.Tick, l.PriceScale)
	dst = append(dst, `,"maxPrice":`...)
	dst = appendDec(dst, maxPriceUnits*fixed.Pow10(l.PriceScale), l.PriceScale)
	dst = append(dst, `,"tickSize":`...)
	dst = appendDec(dst, l.Tick, l.PriceScale)
	dst = append(dst, `},{"filterType":"LOT_SIZE","minQty":`...)
	dst = appendDec(dst, max(l.MinQty, l.Lot), l.QtyScale)
	dst = append(dst, `,"maxQty":`...)
	dst = appendDec(dst, maxQtyUnits*fixed.Pow10(l.QtyScale), l.QtyScale)
	dst = append(dst, `,"stepSize":`...)
	dst = appendDec(dst, l.Lot, l.QtyScale)
	dst = append(dst, `},{"filterType":"NOTIONAL","minNotional":`...)
	dst = appendDec(dst, l.MinNotional, l.PriceScale)
	dst = append(dst, `,"applyMinToMarket":true,"maxNotional":`...)
	dst = appendDec(dst, maxPriceUnits*maxQtyUnits*fixed.Pow10(l.PriceScale), l.PriceScale)
	dst = append(dst, `,"applyMaxToMarket":false,"avgPriceMins":5}],"permissions":[],"permissionSets":[["SPOT"]],`+
		`"defaultSelfTradePreventionMode":"NONE","allowedSelfTradePreventionModes":["NONE"]}`...)
	return dst
}

// Depth limits (venue specs 1.1).
const (
	defaultDepthLimit = 100
	maxDepthLimit     = 5000
)

// depthWeight is GET /api/v3/depth's request weight for limit.
func depthWeight(limit int) int {
	switch {
	case limit <= 100:
		return 5
	case limit <= 500:
		return 25
	case limit <= 1000:
		return 50
	}
	return 250
}

func (s *Server) restDepth(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	limit := defaultDepthLimit
	if v, ok := p.vals["limit"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, errIllegal("limit", "^[0-9]{1,20}$"), 0
		}
		limit = min(n, maxDepthLimit)
	}
	if e := s.weigh(r, p, depthWeight(limit)); e != nil {
		return nil, e, 0
	}
	mk, e := s.marketParam(p.vals)
	if e != nil {
		return nil, e, 0
	}
	return s.depthSnapshot(mk, limit), nil, 0
}

// depthSnapshot reads the best limit levels of each side and the sequence number the book stands
// at in one venue call, and returns them as {"lastUpdateId","bids","asks"}.
func (s *Server) depthSnapshot(mk *market, limit int) []byte {
	var (
		bids, asks []book.Level
		seq        uint64
	)
	s.v.Do(func(st *sim.State) {
		eng := st.Engine(mk.m)
		bids = eng.Depth(event.SideBuy, limit, nil)
		asks = eng.Depth(event.SideSell, limit, nil)
		seq = st.Seq(mk.m)
	})
	return appendBook(make([]byte, 0, 64+48*(len(bids)+len(asks))), mk, seq, bids, asks)
}

func (s *Server) restNewOrder(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	if e := s.weigh(r, p, 1); e != nil {
		return nil, e, 0
	}
	c, e := s.authenticate(r, p)
	if e != nil {
		return nil, e, 0
	}
	a, e := s.parseNewOrder(p.vals)
	if e != nil {
		return nil, e, 0
	}
	n, e := s.chargeOrder(c.account)
	if e != nil {
		return nil, e, 0
	}
	p.orderCount = n
	res := s.place(c.account, a, nil)
	if res.err != nil {
		return nil, res.err, 0
	}
	return appendNewOrder(nil, viewOf(a.mk, &res.o, res.ov), a.resp, res.fills), nil, time.Duration(res.delay)
}

// orderRef reads the symbol, orderId and origClientOrderId parameters naming one order.
func (s *Server) orderRef(p params) (*market, match.OrderID, string, *apiError) {
	mk, e := s.marketParam(p)
	if e != nil {
		return nil, 0, "", e
	}
	id, e := orderIDParam(p)
	if e != nil {
		return nil, 0, "", e
	}
	client := p["origClientOrderId"]
	if id == 0 && client == "" {
		return nil, 0, "", errCancelNeedsID
	}
	return mk, id, client, nil
}

func (s *Server) restQueryOrder(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	if e := s.weigh(r, p, 4); e != nil {
		return nil, e, 0
	}
	c, e := s.authenticate(r, p)
	if e != nil {
		return nil, e, 0
	}
	mk, id, client, e := s.orderRef(p.vals)
	if e != nil {
		return nil, e, 0
	}
	o, ov, e := s.query(c.account, mk, id, client)
	if e != nil {
		return nil, e, 0
	}
	return appendQueryOrder(nil, viewOf(mk, &o, ov)), nil, 0
}

func (s *Server) restCancelOrder(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	if e := s.weigh(r, p, 1); e != nil {
		return nil, e, 0
	}
	c, e := s.authenticate(r, p)
	if e != nil {
		return nil, e, 0
	}
	mk, id, client, e := s.orderRef(p.vals)
	if e != nil {
		return nil, e, 0
	}
	newID, ok := p.vals["newClientOrderId"]
	if ok && !validClientID(newID) {
		return nil, errIllegal("newClientOrderId", clientIDRange), 0
	}
	res := s.cancel(c.account, mk, id, client, newID, nil)
	switch {
	case res.err != nil:
		return nil, res.err, 0
	case res.lost:
		return nil, errTimeout, 0
	}
	return appendCanceled(nil, viewOf(mk, &res.o, res.ov), res.clientID), nil, 0
}

func (s *Server) restOpenOrders(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	_, one := p.vals["symbol"]
	w := 80
	if one {
		w = 6
	}
	if e := s.weigh(r, p, w); e != nil {
		return nil, e, 0
	}
	c, e := s.authenticate(r, p)
	if e != nil {
		return nil, e, 0
	}
	var mk *market
	if one {
		if mk, e = s.marketParam(p.vals); e != nil {
			return nil, e, 0
		}
	}
	return appendOpenOrders(nil, s.openOrders(c.account, mk)), nil, 0
}

// appendOpenOrders appends a JSON array of open orders.
func appendOpenOrders(dst []byte, l []openOrder) []byte {
	dst = append(dst, '[')
	for i := range l {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendQueryOrder(dst, viewOf(l[i].mk, &l[i].o, l[i].ov))
	}
	return append(dst, ']')
}

// myTrades limits.
const (
	defaultTradesLimit = 500
	maxTradesLimit     = 1000
)

func (s *Server) restMyTrades(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	if e := s.weigh(r, p, 20); e != nil {
		return nil, e, 0
	}
	c, e := s.authenticate(r, p)
	if e != nil {
		return nil, e, 0
	}
	mk, e := s.marketParam(p.vals)
	if e != nil {
		return nil, e, 0
	}
	q := tradeQuery{limit: defaultTradesLimit}
	id, e := orderIDParam(p.vals)
	if e != nil {
		return nil, e, 0
	}
	q.orderID = id
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"startTime", &q.startMs}, {"endTime", &q.endMs}} {
		if v, ok := p.vals[f.name]; ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return nil, errIllegal(f.name, "^[0-9]{1,20}$"), 0
			}
			*f.dst = n
		}
	}
	if v, ok := p.vals["fromId"]; ok {
		n, err := strconv.ParseUint(v, 10, 63)
		if err != nil {
			return nil, errIllegal("fromId", "^[0-9]{1,20}$"), 0
		}
		q.fromID, q.hasFrom = n, true
	}
	if v, ok := p.vals["limit"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, errIllegal("limit", "^[0-9]{1,20}$"), 0
		}
		q.limit = min(n, maxTradesLimit)
	}
	fills := s.ledger.query(c.account, mk.m.Index, q)
	dst := append(make([]byte, 0, 256*len(fills)+2), '[')
	for i := range fills {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendMyTrade(dst, mk, &fills[i])
	}
	return append(dst, ']'), nil, 0
}

package binance

import (
	"errors"
	"strconv"
	"strings"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// orderType is a Binance order type the simulator accepts.
type orderType uint8

const (
	typeLimit      orderType = iota + 1 // LIMIT
	typeMarket                          // MARKET
	typeLimitMaker                      // LIMIT_MAKER: a post-only limit
)

// respType is newOrderRespType.
type respType uint8

const (
	respACK respType = iota + 1
	respRESULT
	respFULL
)

// orderArgs is a parsed new-order request.
type orderArgs struct {
	mk       *market
	side     event.Side
	typ      orderType
	tif      event.TimeInForce
	price    int64
	qty      int64
	clientID string
	resp     respType
}

// Filter maxima the simulator publishes in exchangeInfo and enforces (before the Engine, which
// has none): whole units of the quote (price) and base (quantity) asset.
const (
	maxPriceUnits = 1_000_000
	maxQtyUnits   = 9_000_000
)

// clientIDRange is the legal range Binance names for client order ids.
const clientIDRange = `^[\.A-Z\:/a-z0-9_-]{1,36}$`

// newOrderParams are the parameters POST /api/v3/order and order.place read; anything else is
// refused (-1104) as Binance refuses parameters it does not read.
var newOrderParams = []string{"symbol", "side", "type", "timeInForce", "quantity", "price",
	"newClientOrderId", "newOrderRespType", "recvWindow", "timestamp", "apiKey", "signature",
	"selfTradePreventionMode", "strategyId", "strategyType", "quoteOrderQty", "icebergQty",
	"stopPrice", "trailingDelta"}

// checkKnown refuses parameters outside known with -1104.
func checkKnown(p params, known []string) *apiError {
	read := 0
	for k := range p {
		for _, n := range known {
			if k == n {
				read++
				break
			}
		}
	}
	if read != len(p) {
		return newErr(400, -1104, "Not all sent parameters were read; read '"+strconv.Itoa(read)+
			"' parameter(s) but was sent '"+strconv.Itoa(len(p))+"'.")
	}
	return nil
}

// market returns the market named by the symbol parameter.
func (s *Server) marketParam(p params) (*market, *apiError) {
	sym := p["symbol"]
	if sym == "" {
		return nil, errMandatory("symbol")
	}
	mk, ok := s.bySym[sym]
	if !ok {
		return nil, errSymbol
	}
	return mk, nil
}

// parseNewOrder checks a new order's parameters in the order Binance reports failures.
func (s *Server) parseNewOrder(p params) (orderArgs, *apiError) {
	var a orderArgs
	if e := checkKnown(p, newOrderParams); e != nil {
		return a, e
	}
	mk, e := s.marketParam(p)
	if e != nil {
		return a, e
	}
	a.mk = mk
	switch p["side"] {
	case "":
		return a, errMandatory("side")
	case "BUY":
		a.side = event.SideBuy
	case "SELL":
		a.side = event.SideSell
	default:
		return a, errSide
	}
	switch t := p["type"]; t {
	case "":
		return a, errMandatory("type")
	case "LIMIT":
		a.typ = typeLimit
	case "MARKET":
		a.typ = typeMarket
	case "LIMIT_MAKER":
		a.typ = typeLimitMaker
	case "STOP_LOSS":
		return a, errRejected("Stop loss orders are not supported for this symbol.")
	case "STOP_LOSS_LIMIT":
		return a, errRejected("Stop loss limit orders are not supported for this symbol.")
	case "TAKE_PROFIT":
		return a, errRejected("Take profit orders are not supported for this symbol.")
	case "TAKE_PROFIT_LIMIT":
		return a, errRejected("Take profit limit orders are not supported for this symbol.")
	default:
		return a, errOrderType
	}
	tif, hasTIF := p["timeInForce"]
	switch {
	case a.typ == typeLimit && !hasTIF:
		return a, errMandatory("timeInForce")
	case a.typ != typeLimit && hasTIF:
		return a, errTIFNotNeeded
	}
	switch tif {
	case "", "GTC":
		a.tif = event.TIFGTC
	case "IOC":
		a.tif = event.TIFIOC
	case "FOK":
		a.tif = event.TIFFOK
	default:
		return a, errTIF
	}
	if _, ok := p["quoteOrderQty"]; ok {
		if a.typ == typeMarket {
			return a, errRejected("Quote order qty market orders are not support for this symbol.")
		}
		return a, errNotRequired("quoteOrderQty")
	}
	if _, ok := p["icebergQty"]; ok {
		return a, errRejected("Iceberg orders are not supported for this symbol.")
	}
	if _, ok := p["trailingDelta"]; ok {
		return a, errRejected("Trailing stop orders are not supported for this symbol.")
	}
	if _, ok := p["stopPrice"]; ok {
		return a, errNotRequired("stopPrice")
	}
	l := mk.l
	q, e := decParam(p, "quantity", l.QtyScale, "LOT_SIZE")
	if e != nil {
		return a, e
	}
	a.qty = q
	if a.typ == typeMarket {
		if _, ok := p["price"]; ok {
			return a, errNotRequired("price")
		}
	} else {
		if a.price, e = decParam(p, "price", l.PriceScale, "PRICE_FILTER"); e != nil {
			return a, e
		}
		if a.price > maxPriceUnits*fixed.Pow10(l.PriceScale) {
			return a, errFilter("PRICE_FILTER")
		}
	}
	if a.qty > maxQtyUnits*fixed.Pow10(l.QtyScale) {
		return a, errFilter("LOT_SIZE")
	}
	if id, ok := p["newClientOrderId"]; ok {
		if !validClientID(id) {
			return a, errIllegal("newClientOrderId", clientIDRange)
		}
		a.clientID = id
	} else {
		a.clientID = s.orderState.newClientID()
	}
	switch p["newOrderRespType"] {
	case "":
		a.resp = respFULL // LIMIT and MARKET default to FULL, other types to ACK
		if a.typ == typeLimitMaker {
			a.resp = respACK
		}
	case "ACK":
		a.resp = respACK
	case "RESULT":
		a.resp = respRESULT
	case "FULL":
		a.resp = respFULL
	default:
		return a, errIllegal("newOrderRespType", "ACK, RESULT, FULL")
	}
	return a, nil
}

// decParam parses decimal parameter name at scale; a value finer than the scale is the
// filter's failure.
func decParam(p params, name string, scale uint8, filter string) (int64, *apiError) {
	s, ok := p[name]
	if !ok || s == "" {
		return 0, errMandatory(name)
	}
	v, err := parseDec(s, scale)
	switch {
	case err == nil:
		return v, nil
	case errors.Is(err, errDecGrid):
		return 0, errFilter(filter)
	case errors.Is(err, errDecPrecision):
		return 0, errPrecision(name)
	case errors.Is(err, errDecRange):
		return 0, errOverflow(name)
	}
	return 0, errIllegal(name, decimalRange)
}

func validClientID(id string) bool {
	if len(id) == 0 || len(id) > 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == ':' || c == '/' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// orderIDParam reads the orderId parameter (0 when absent).
func orderIDParam(p params) (match.OrderID, *apiError) {
	s, ok := p["orderId"]
	if !ok {
		return 0, nil
	}
	v, err := strconv.ParseUint(s, 10, 63)
	if err != nil || v == 0 {
		return 0, errIllegal("orderId", "^[0-9]{1,20}$")
	}
	return match.OrderID(v), nil
}

// placed is the outcome of placing an order.
type placed struct {
	o     match.Order // as Submit returned it (the Engine's view: Qty may be cut by partial-fill)
	ov    *override   // the partial-fill fault changed the order
	fills []fillRec   // the order's own fills as it arrived (taker side)
	err   *apiError
	delay int64 // ns the acknowledgement is held back (delay-ack fault)
}

// place submits a new order of account to the venue, with the order faults: reject refuses it
// before the Engine sees it, delay-ack (asked before the Submit) sets delay, partial-fill cuts an
// aggressive order down (see partialFill). inDo, when not nil, runs inside the venue call after
// the Submit, or at once when the order never reached it (the WebSocket API reserves its
// response's place there, ahead of the execution reports the call produces).
func (s *Server) place(account uint32, a orderArgs, inDo func(p *placed)) placed {
	var res placed
	if s.v.Fault(sim.FaultReject, a.mk.symbol) {
		res.err = errBalance
		if inDo != nil {
			inDo(&res)
		}
		return res
	}
	if f, ok := s.v.FaultAt(sim.FaultDelayAck, a.mk.symbol, s.v.Now()); ok {
		res.delay = int64(f.Delay)
	}
	var c *capture
	s.v.Do(func(st *sim.State) {
		if inDo != nil {
			defer inDo(&res)
		}
		c = s.submitLocked(st, account, a, &res)
	})
	if c != nil {
		res.fills = c.fills // complete: the order's taker fills all happened in that Do call
	}
	if res.err != nil {
		res.delay = 0 // only acknowledgements are held back
	}
	return res
}

// submitLocked submits a new order inside a venue call (the body of place): the partial-fill
// fault, the Engine's Submit, the override and the capture of the order's taker fills, which it
// returns (nil when the order was refused).
//
// REQUIRES: the venue lock is held (inside a Do function).
func (s *Server) submitLocked(st *sim.State, account uint32, a orderArgs, res *placed) *capture {
	eng := st.Engine(a.mk.m)
	req := match.Request{Account: account, ClientID: a.clientID, Side: a.side, TIF: a.tif,
		Price: a.price, Qty: a.qty}
	switch a.typ {
	case typeMarket:
		req.Type = event.OrderMarket
		if _, _, ok := eng.Best(opposite(a.side)); !ok {
			res.err = errNoDepth
			return nil
		}
	case typeLimitMaker:
		req.PostOnly = true
	}
	ov := s.partialFill(eng, &req, a.mk, st.Now())
	o, err := eng.Submit(req, st.Now())
	res.o = o
	var me *match.Error
	if err != nil && !(errors.As(err, &me) && me.Reason == event.RejectFOK) {
		res.err = fromMatch(err)
		return nil
	}
	key := orderKey{a.mk.m.Index, o.ID}
	if ov != nil {
		s.orderState.setOverride(key, *ov)
		res.ov = ov
	}
	return s.orderState.startCapture(key)
}

// partialFill carries out the partial-fill fault on an aggressive order about to be submitted:
// it cuts the order to FillPerMille of its quantity (down to the lot, at least one lot) and
// makes it immediate-or-cancel, so it trades that much and its remainder expires, as when a
// market order exhausts the book; the client still sees its own quantity and time in force (the
// returned override). Orders the Engine would refuse as sent, post-only and FOK orders, and
// orders that would not trade on arrival are left alone (and do not count as an evaluation).
func (s *Server) partialFill(eng *match.Engine, req *match.Request, mk *market, now int64) *override {
	if req.PostOnly || req.TIF == event.TIFFOK {
		return nil
	}
	bp, _, ok := eng.Best(opposite(req.Side))
	if !ok || (req.Type == event.OrderLimit && !crosses(req.Side, req.Price, bp)) {
		return nil
	}
	r := eng.Rules()
	value := req.Price
	if req.Type == event.OrderMarket {
		value = bp
	}
	if req.Qty%r.Lot != 0 || req.Qty < r.MinQty || (req.Type == event.OrderLimit && req.Price%r.Tick != 0) {
		return nil
	}
	f, fired := s.v.FaultAt(sim.FaultPartialFill, mk.symbol, now)
	if !fired {
		return nil
	}
	per := int64(f.FillPerMille)
	if per == 0 {
		per = 500
	}
	q, err := fixed.MulDiv(req.Qty, per, 1000)
	if err != nil {
		return nil
	}
	q -= q % r.Lot
	if q < r.MinQty {
		q = r.MinQty + (r.Lot-r.MinQty%r.Lot)%r.Lot // the smallest lot multiple at or above MinQty
	}
	q = max(q, r.Lot)
	if q >= req.Qty {
		return nil
	}
	if n, err := r.Notional(value, q); err != nil || n < r.MinNotional {
		return nil
	}
	ov := &override{qty: req.Qty, tif: req.TIF}
	req.Qty = q
	if req.Type == event.OrderLimit {
		req.TIF = event.TIFIOC
	}
	return ov
}

// canceled is the outcome of a cancel.
type canceled struct {
	o        match.Order
	ov       *override
	clientID string // the cancel's own client order id
	lost     bool   // lose-cancel-ack: canceled, but not to be acknowledged
	err      *apiError
}

// cancel cancels account's order on mk by id and/or original client id (at least one given). With
// both, the order found by id must carry that client id (Binance's rule). inDo, when not nil, runs
// inside the venue call once the outcome is known, before the call's execution reports go out.
func (s *Server) cancel(account uint32, mk *market, id match.OrderID, origClientID, newClientID string,
	inDo func(c *canceled)) canceled {
	res := canceled{clientID: newClientID}
	if res.clientID == "" {
		res.clientID = s.orderState.newClientID()
	}
	s.v.Do(func(st *sim.State) {
		if inDo != nil {
			defer inDo(&res)
		}
		s.cancelLocked(st, account, mk, id, origClientID, true, &res)
	})
	return res
}

// cancelLocked cancels inside a venue call (the body of cancel); faults says whether the
// lose-cancel-ack fault is asked.
//
// REQUIRES: the venue lock is held (inside a Do function); res.clientID is set.
func (s *Server) cancelLocked(st *sim.State, account uint32, mk *market, id match.OrderID, origClientID string,
	faults bool, res *canceled) {
	eng := st.Engine(mk.m)
	if id == 0 {
		o, ok := eng.OrderByClient(account, origClientID)
		if !ok {
			res.err = errUnknownOrder
			return
		}
		id = o.ID
	} else if origClientID != "" {
		if o, ok := eng.Order(id); !ok || o.ClientID != origClientID {
			res.err = errUnknownOrder
			return
		}
	}
	if o, ok := eng.Order(id); !ok || o.Account != account || !o.Status.Open() {
		res.err = errUnknownOrder
		return
	}
	key := orderKey{mk.m.Index, id}
	res.lost = faults && s.v.Fault(sim.FaultLoseCancelAck, mk.symbol)
	s.orderState.cancel = cancelCtx{key: key, clientID: res.clientID, lose: res.lost, set: true}
	o, err := eng.Cancel(account, id, st.Now())
	if err != nil {
		res.err = fromMatch(err)
		return
	}
	res.o = o
	if ov, ok := s.orderState.overrides[key]; ok {
		res.ov = &ov
	}
}

// query returns account's order on mk by id or client id (for GET /api/v3/order and
// order.status). Refused orders never existed as far as the venue's clients are concerned.
func (s *Server) query(account uint32, mk *market, id match.OrderID, clientID string) (match.Order, *override, *apiError) {
	var (
		o   match.Order
		ov  *override
		bad *apiError
	)
	s.v.Do(func(st *sim.State) {
		eng := st.Engine(mk.m)
		var ok bool
		if id != 0 {
			o, ok = eng.Order(id)
			ok = ok && (clientID == "" || o.ClientID == clientID)
		} else {
			o, ok = eng.OrderByClient(account, clientID)
		}
		if !ok || o.Account != account || o.Status == match.StatusRejected {
			bad = errNoSuchOrder
			return
		}
		if v, ok := s.orderState.overrides[orderKey{mk.m.Index, o.ID}]; ok {
			ov = &v
		}
	})
	return o, ov, bad
}

// openOrder is an open order with its market and override, for openOrders.
type openOrder struct {
	mk *market
	o  match.Order
	ov *override
}

// openOrders returns account's open orders on mk, or on every market when mk is nil, by market
// and id.
func (s *Server) openOrders(account uint32, mk *market) []openOrder {
	var out []openOrder
	s.v.Do(func(st *sim.State) {
		var buf []match.Order
		for _, m := range s.markets {
			if mk != nil && m != mk {
				continue
			}
			buf = st.Engine(m.m).Open(account, buf[:0])
			for _, o := range buf {
				oo := openOrder{mk: m, o: o}
				if v, ok := s.orderState.overrides[orderKey{m.m.Index, o.ID}]; ok {
					oo.ov = &v
				}
				out = append(out, oo)
			}
		}
	})
	return out
}

func opposite(s event.Side) event.Side {
	if s == event.SideBuy {
		return event.SideSell
	}
	return event.SideBuy
}

// crosses reports whether a limit order on side at price trades against opposite best opp.
func crosses(side event.Side, price, opp int64) bool {
	if side == event.SideBuy {
		return price >= opp
	}
	return price <= opp
}

// sideName, typeName, tifName and statusName spell the Engine's values as Binance does.
func sideName(s event.Side) string {
	if s == event.SideSell {
		return "SELL"
	}
	return "BUY"
}

func typeName(o *match.Order) string {
	switch {
	case o.Type == event.OrderMarket:
		return "MARKET"
	case o.PostOnly:
		return "LIMIT_MAKER"
	}
	return "LIMIT"
}

func tifName(t event.TimeInForce) string {
	switch t {
	case event.TIFIOC:
		return "IOC"
	case event.TIFFOK:
		return "FOK"
	}
	return "GTC"
}

func statusName(s match.Status) string {
	switch s {
	case match.StatusNew:
		return "NEW"
	case match.StatusPartiallyFilled:
		return "PARTIALLY_FILLED"
	case match.StatusFilled:
		return "FILLED"
	case match.StatusCanceled:
		return "CANCELED"
	case match.StatusRejected:
		return "REJECTED"
	case match.StatusExpired:
		return "EXPIRED"
	}
	return strings.ToUpper(s.String())
}

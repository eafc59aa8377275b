package bybit

import (
	"errors"
	"time"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// newOrder is a validated order.create request.
type newOrder struct {
	k        *mkt
	side     event.Side
	typ      event.OrderType
	tif      event.TimeInForce
	postOnly bool
	price    int64
	qty      int64 // quantity units; 0 for a spot market buy by value
	amount   int64 // a spot market buy by value: the quote amount at the price scale
	linkID   string
}

// errCategory is an unknown category. [wording unconfirmed]
var errCategory = errParams("Illegal category")

// str returns the string field name of o: present reports whether it exists; a field that is
// not a string is returned with ok false.
func str(o *fastjson.Value, name string) (s string, present, ok bool) {
	v := o.Get(name)
	if v == nil || v.Type() == fastjson.TypeNull {
		return "", false, true
	}
	b, err := v.StringBytes()
	if err != nil {
		return "", true, false
	}
	return string(b), true, true
}

// parseMarket reads category and symbol of a request object.
func (s *Server) parseMarket(o *fastjson.Value) (*mkt, *apiError) {
	cs, _, _ := str(o, "category")
	cat, ok := parseCategory(cs)
	if !ok {
		return nil, errCategory
	}
	sym, present, ok := str(o, "symbol")
	if !present || !ok || sym == "" {
		return nil, errParam(cat, "symbol")
	}
	k, found := s.market(cat, sym)
	if !found {
		return nil, errSymbol(cat, sym)
	}
	return k, nil
}

// parseCreate validates an order.create object (POST /v5/order/create body or the trade
// WebSocket's args[0]) against the market's rules, in Bybit's order: category, symbol, side,
// orderType, timeInForce, qty, price, orderLinkId, then the minimums.
func (s *Server) parseCreate(o *fastjson.Value) (newOrder, *apiError) {
	k, e := s.parseMarket(o)
	if e != nil {
		return newOrder{}, e
	}
	c := k.cat
	n := newOrder{k: k, tif: event.TIFGTC}
	switch side, _, _ := str(o, "side"); side {
	case "Buy":
		n.side = event.SideBuy
	case "Sell":
		n.side = event.SideSell
	default:
		return n, errSide(c)
	}
	switch typ, _, _ := str(o, "orderType"); typ {
	case "Limit":
		n.typ = event.OrderLimit
	case "Market":
		n.typ = event.OrderMarket
	default:
		return n, errOrderType(c)
	}
	tif, present, ok := str(o, "timeInForce")
	if !ok {
		return n, errTIF(c)
	}
	switch tif {
	case "GTC":
	case "IOC":
		n.tif = event.TIFIOC
	case "FOK":
		n.tif = event.TIFFOK
	case "PostOnly":
		n.postOnly = true
	default:
		if present {
			return n, errTIF(c)
		}
	}
	if n.typ == event.OrderMarket {
		n.tif, n.postOnly = event.TIFIOC, false // Bybit: "Market order will always use IOC"
	}
	qtyText, present, ok := str(o, "qty")
	if !present || !ok || qtyText == "" {
		return n, errParam(c, "qty")
	}
	unit, _, _ := str(o, "marketUnit")
	if c == catSpot && n.typ == event.OrderMarket && n.side == event.SideBuy && unit != "baseCoin" {
		if unit != "" && unit != "quoteCoin" {
			return n, errParam(c, "marketUnit")
		}
		v, err := fixed.ParseString(qtyText, k.l.PriceScale)
		switch {
		case errors.Is(err, fixed.ErrPrecision):
			return n, &apiError{codeSpotAmountDec, "Market order amount decimal too long"}
		case err != nil || v <= 0:
			return n, errParam(c, "qty")
		case v < k.l.MinNotional:
			return n, errMinValue(k, string(k.appendValue(nil, k.l.MinNotional)))
		}
		n.amount = v
	} else {
		v, err := fixed.ParseString(qtyText, k.l.QtyScale)
		switch {
		case errors.Is(err, fixed.ErrPrecision):
			return n, errQtyLot(c)
		case err != nil || v <= 0:
			return n, errParam(c, "qty")
		case v%k.l.Lot != 0:
			return n, errQtyLot(c)
		case v < k.l.MinQty:
			return n, errQtyMin(c)
		}
		n.qty = v
	}
	if n.typ == event.OrderLimit {
		pt, present, ok := str(o, "price")
		if !present || !ok || pt == "" {
			return n, errParam(c, "price")
		}
		v, err := fixed.ParseString(pt, k.l.PriceScale)
		switch {
		case errors.Is(err, fixed.ErrPrecision):
			return n, errPriceTick(c)
		case err != nil || v <= 0:
			return n, errParam(c, "price")
		case v%k.l.Tick != 0:
			return n, errPriceTick(c)
		}
		n.price = v
		if k.l.MinNotional > 0 && k.notional(n.price, n.qty) < k.l.MinNotional {
			return n, errMinValue(k, string(k.appendValue(nil, k.l.MinNotional)))
		}
	}
	link, _, ok := str(o, "orderLinkId")
	if !ok || !validLinkID(link) {
		return n, errParam(c, "orderLinkId")
	}
	n.linkID = link
	return n, nil
}

// validLinkID reports whether s is a valid orderLinkId: at most 36 letters, digits, '-' and '_'.
func validLinkID(s string) bool {
	if len(s) > 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// orderAck is the answer to an accepted order.create or order.cancel.
type orderAck struct {
	orderID, linkID string
	delay           time.Duration // the delay-ack fault: hold the answer back this long
	lost            bool          // the lose-cancel-ack fault: never answer
}

// place submits n for key's account, applying the order rate limit and the reject, delay-ack
// and partial-fill faults.
func (s *Server) place(key sim.APIKey, n newOrder) (orderAck, *apiError) {
	k := n.k
	now := s.v.Now()
	if ok, _ := s.v.AllowOrder(key.Key, now); !ok {
		return orderAck{}, errTooManyVisits
	}
	if s.v.Fault(sim.FaultReject, k.m.Name) {
		return orderAck{}, errRejected(k.cat)
	}
	var ack orderAck
	if f, ok := s.v.FaultAt(sim.FaultDelayAck, k.m.Name, now); ok {
		ack.delay = f.Delay
	}
	var apiErr *apiError
	s.v.Do(func(st *sim.State) {
		var id match.OrderID
		id, apiErr = s.submit(st, key.Account, n)
		ack.orderID, ack.linkID = orderID(k, id), n.linkID
	})
	return ack, apiErr
}

// submit runs inside Do: it turns n into an Engine request (a spot market buy by value gets the
// base quantity the amount buys at the current asks), asks the partial-fill fault for an order
// that trades on arrival, and submits. A refusal Bybit answers synchronously is returned, and its
// Engine report is kept off the order stream.
func (s *Server) submit(st *sim.State, account uint32, n newOrder) (match.OrderID, *apiError) {
	k := n.k
	e := st.Engine(k.m)
	req := match.Request{Account: account, ClientID: n.linkID, Side: n.side, Type: n.typ,
		TIF: n.tif, PostOnly: n.postOnly, Price: n.price, Qty: n.qty}
	var meta *orderMeta
	if n.amount > 0 {
		q := buyQty(e, k, n.amount)
		if _, _, ok := e.Best(event.SideSell); !ok {
			q = k.l.MinQty // no asks: the Engine cancels it for want of liquidity
		} else if q < k.l.MinQty {
			return 0, errQtyMin(k.cat) // the amount buys less than the minimum quantity
		}
		req.Qty = q
		meta = &orderMeta{wireQty: n.amount, byValue: true}
	}
	if crossesOnArrival(e, &req) {
		if f, ok := s.v.FaultAt(sim.FaultPartialFill, k.m.Name, st.Now()); ok {
			if part := cutQty(e, k, &req, f.FillPerMille); part > 0 {
				if meta == nil {
					meta = &orderMeta{wireQty: req.Qty}
				}
				meta.cut = true
				if req.Type == event.OrderLimit {
					meta.tif = wireTIF(&match.Order{Request: req}, nil)
					req.TIF, req.PostOnly = event.TIFIOC, false
				}
				req.Qty = part
			}
		}
	}
	o, err := e.Submit(req, st.Now())
	key := orderKey{k.m.Index, o.ID}
	s.mu.Lock()
	defer s.mu.Unlock()
	if meta != nil {
		s.meta.put(key, meta)
	}
	var me *match.Error
	if err != nil && errors.As(err, &me) {
		if apiErr, refuse := reasonError(k, me.Reason, req.Type == event.OrderMarket); refuse {
			s.suppress[key] = struct{}{}
			return 0, apiErr
		}
	}
	return o.ID, nil
}

// crossesOnArrival reports whether r trades as soon as it reaches the book.
func crossesOnArrival(e *match.Engine, r *match.Request) bool {
	opp := event.SideSell
	if r.Side == event.SideSell {
		opp = event.SideBuy
	}
	px, _, ok := e.Best(opp)
	switch {
	case !ok || r.PostOnly:
		return false
	case r.Type == event.OrderMarket:
		return true
	case r.Side == event.SideBuy:
		return r.Price >= px
	}
	return r.Price <= px
}

// cutQty returns the quantity the partial-fill fault lets r fill (perMille of it, down to the
// lot), or 0 when that would not leave a valid, smaller order.
func cutQty(e *match.Engine, k *mkt, r *match.Request, perMille int) int64 {
	if perMille <= 0 {
		perMille = 500
	}
	part, err := fixed.MulDiv(r.Qty, int64(perMille), 1000)
	if err != nil {
		return 0
	}
	part -= part % k.l.Lot
	if part < k.l.MinQty || part >= r.Qty {
		return 0
	}
	px := r.Price
	if r.Type == event.OrderMarket {
		opp := event.SideSell
		if r.Side == event.SideSell {
			opp = event.SideBuy
		}
		px, _, _ = e.Best(opp)
	}
	if k.l.MinNotional > 0 && k.notional(px, part) < k.l.MinNotional {
		return 0
	}
	return part
}

// buyQty returns the base quantity (whole lots) that amount, in quote units at the price scale,
// buys walking the asks from the best.
func buyQty(e *match.Engine, k *mkt, amount int64) int64 {
	var qty int64
	for _, l := range e.Depth(event.SideSell, -1, nil) {
		cost := k.notional(l.Price, l.Qty)
		if cost <= amount {
			qty += l.Qty
			amount -= cost
			continue
		}
		q, err := fixed.MulDiv(amount, fixed.Pow10(k.l.QtyScale), l.Price)
		if err == nil {
			qty += q - q%k.l.Lot
		}
		break
	}
	return qty
}

// cancelReq is a validated order.cancel request.
type cancelReq struct {
	k      *mkt
	id     match.OrderID
	hasID  bool
	linkID string
}

// parseCancel validates an order.cancel object: category, symbol and orderId or orderLinkId
// (orderId wins when both are given). An orderId that is not one of the market's is kept as
// unknown: the cancel answers "order does not exist".
func (s *Server) parseCancel(o *fastjson.Value) (cancelReq, *apiError) {
	k, e := s.parseMarket(o)
	if e != nil {
		return cancelReq{}, e
	}
	r := cancelReq{k: k}
	id, idPresent, ok1 := str(o, "orderId")
	link, _, ok2 := str(o, "orderLinkId")
	if !ok1 || !ok2 || (id == "" && link == "") {
		return r, errParams("params error: orderId or orderLinkId is required") // wording [unconfirmed]
	}
	if idPresent && id != "" {
		n, ok := parseID(k, idOrder, id)
		r.hasID, r.id = true, match.OrderID(n)
		if !ok {
			r.id = 0 // no Engine order has id 0
		}
		return r, nil
	}
	r.linkID = link
	return r, nil
}

// cancel cancels the order of c for key's account, applying the lose-cancel-ack fault.
func (s *Server) cancel(key sim.APIKey, c cancelReq) (orderAck, *apiError) {
	var o match.Order
	var err error
	s.v.Do(func(st *sim.State) {
		e := st.Engine(c.k.m)
		if c.hasID {
			o, err = e.Cancel(key.Account, c.id, st.Now())
		} else {
			o, err = e.CancelClient(key.Account, c.linkID, st.Now())
		}
	})
	if err != nil {
		return orderAck{}, errNotExist(c.k.cat)
	}
	ack := orderAck{orderID: orderID(c.k, o.ID), linkID: o.ClientID}
	ack.lost = s.v.Fault(sim.FaultLoseCancelAck, c.k.m.Name)
	return ack, nil
}

// appendAckResult appends {"orderId":"...","orderLinkId":"..."}.
func appendAckResult(dst []byte, a orderAck) []byte {
	dst = append(dst, '{')
	dst = appendStrField(dst, "orderId", a.orderID)
	dst = appendStrField(dst, "orderLinkId", a.linkID)
	return append(dst, '}')
}

package coinbase

import (
	"ems/core/jsontext"
	"errors"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// POST orders (create):
//
//	{"client_order_id":"<required>","product_id":"BTC-USDT","side":"BUY"|"SELL",
//	 "order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"68000","post_only":false}}}
//	   or {"limit_limit_fok":{"base_size","limit_price"}}, {"sor_limit_ioc":{"base_size","limit_price"}},
//	   {"market_market_ioc":{"base_size"}|{"quote_size"}}
//
// answered with HTTP 200 and
//
//	{"success":true,"failure_reason":"UNKNOWN_FAILURE_REASON","order_id":"<id>",
//	 "success_response":{"order_id","product_id","side","client_order_id"},"order_configuration":{<as sent>}}
//	{"success":false,"failure_reason":"UNKNOWN_FAILURE_REASON","order_id":"",
//	 "error_response":{"error","message","error_details","preview_failure_reason","new_order_failure_reason"},
//	 "order_configuration":{<as sent>}}
//
// A client_order_id the account already used returns the first order's success response and
// places nothing, as the venue documents. A FOK order that cannot fill is accepted and then
// cancelled (it shows in the user channel and in the order history as CANCELLED). A malformed
// body or a missing field is HTTP 400 INVALID_ARGUMENT.

// failure is an order's failure as the venue words it.
type failure struct {
	err, preview, newOrder, message string
}

// The failures the simulator produces. The codes are the venue's enums (NewOrderFailureReason,
// PreviewFailureReason). Not sure: which of error/new_order_failure_reason the venue fills for
// the too-small cases (it has been seen answering UNKNOWN_FAILURE_REASON there with only the
// preview reason set, which is what these do), and every message text (the simulator's own).
var (
	failProduct      = failure{"INVALID_PRODUCT_ID", "PREVIEW_INVALID_PRODUCT_ID", "INVALID_PRODUCT_ID", "Invalid product_id"}
	failSide         = failure{"INVALID_SIDE", "PREVIEW_INVALID_SIDE", "INVALID_SIDE", "Invalid side"}
	failConfig       = failure{"UNSUPPORTED_ORDER_CONFIGURATION", "PREVIEW_INVALID_ORDER_CONFIG", "UNSUPPORTED_ORDER_CONFIGURATION", "Unsupported order configuration"}
	failPricePrec    = failure{"INVALID_PRICE_PRECISION", "PREVIEW_INVALID_PRICE_PRECISION", "INVALID_PRICE_PRECISION", "Invalid price precision: the price must be a multiple of quote_increment"}
	failLimitPrice   = failure{"INVALID_LIMIT_PRICE", "PREVIEW_INVALID_LIMIT_PRICE", "INVALID_LIMIT_PRICE", "Invalid limit price"}
	failSizePrec     = failure{"INVALID_SIZE_PRECISION", "PREVIEW_INVALID_SIZE_PRECISION", "INVALID_SIZE_PRECISION", "Invalid size precision: the size must be a multiple of base_increment"}
	failBaseTooSmall = failure{"UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL", "UNKNOWN_FAILURE_REASON", "Order size is below base_min_size"}
	failQuoteSmall   = failure{"UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL", "UNKNOWN_FAILURE_REASON", "Order value is below quote_min_size"}
	failQuotePrec    = failure{"UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_QUOTE_SIZE_PRECISION", "UNKNOWN_FAILURE_REASON", "Invalid quote size precision"}
	failPostOnly     = failure{"INVALID_LIMIT_PRICE_POST_ONLY", "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY", "INVALID_LIMIT_PRICE_POST_ONLY", "Post-only order would cross the book"}
	failNoLiquidity  = failure{"INVALID_NO_LIQUIDITY", "PREVIEW_INVALID_NO_LIQUIDITY", "INVALID_NO_LIQUIDITY", "No liquidity for a market order"}
	failUnknown      = failure{"UNKNOWN_FAILURE_REASON", "UNKNOWN_PREVIEW_FAILURE_REASON", "UNKNOWN_FAILURE_REASON", "Order rejected"}
)

// failureOf maps an engine refusal to the venue's failure.
func failureOf(me *match.Error, r *match.Request, rules match.Rules) failure {
	switch me.Reason {
	case event.RejectPriceFilter:
		if r.Price <= 0 {
			return failLimitPrice
		}
		return failPricePrec
	case event.RejectQtyFilter:
		if r.Qty < rules.MinQty || r.Qty <= 0 {
			return failBaseTooSmall
		}
		return failSizePrec
	case event.RejectMinNotional:
		return failQuoteSmall
	case event.RejectPostOnly:
		return failPostOnly
	case event.RejectInvalidRequest:
		if r.Type == event.OrderMarket {
			return failNoLiquidity
		}
	}
	return failUnknown
}

// newOrder is a parsed create request.
type newOrder struct {
	clientID string
	market   *sim.Market
	side     event.Side
	kind     configKind
	qty      int64
	quote    int64
	price    int64
	postOnly bool
	config   []byte // order_configuration as sent
}

func (s *Server) createOrder(q *request) reply {
	var p fastjson.Parser
	v, err := p.ParseBytes(q.body)
	if err != nil || v.Type() != fastjson.TypeObject {
		return badRequest("malformed JSON body")
	}
	no := newOrder{clientID: string(v.GetStringBytes("client_order_id"))}
	if no.clientID == "" {
		return badRequest("client_order_id is required")
	}
	cfg := v.Get("order_configuration")
	if cfg == nil || cfg.Type() != fastjson.TypeObject {
		return badRequest("order_configuration is required")
	}
	no.config = cfg.MarshalTo(nil)
	productID := string(v.GetStringBytes("product_id"))
	if productID == "" {
		return badRequest("product_id is required")
	}
	fail := func(f failure) reply { return jsonReply(appendFailure(nil, f, no.config)) }
	m, ok := s.product(productID)
	if !ok {
		return fail(failProduct)
	}
	no.market = m
	switch string(v.GetStringBytes("side")) {
	case "BUY":
		no.side = event.SideBuy
	case "SELL":
		no.side = event.SideSell
	default:
		return fail(failSide)
	}
	if f, bad := s.parseConfig(&no, cfg); bad != "" {
		return badRequest(bad)
	} else if f != nil {
		return fail(*f)
	}
	if s.v.Fault(sim.FaultReject, m.Symbol) {
		return fail(failUnknown)
	}
	var rep reply
	accepted := false
	s.v.Do(func(st *sim.State) {
		rep, accepted = s.place(st, q.key.account, &no)
	})
	if accepted {
		if f, ok := s.v.FaultAt(sim.FaultDelayAck, m.Symbol, s.v.Now()); ok {
			rep.delay = f.Delay
		}
	}
	return rep
}

// parseConfig reads the order_configuration. It returns a failure to answer with success:false,
// or a text to answer HTTP 400 with.
func (s *Server) parseConfig(no *newOrder, cfg *fastjson.Value) (*failure, string) {
	obj, _ := cfg.Object()
	if obj.Len() != 1 {
		return &failConfig, ""
	}
	var name string
	var body *fastjson.Value
	obj.Visit(func(k []byte, v *fastjson.Value) { name, body = string(k), v })
	switch name {
	case "limit_limit_gtc":
		no.kind = cfgLimitGTC
	case "limit_limit_fok":
		no.kind = cfgLimitFOK
	case "sor_limit_ioc":
		no.kind = cfgSorLimitIOC
	case "market_market_ioc":
		no.kind = cfgMarketIOC
	default:
		return &failConfig, ""
	}
	if body.Type() != fastjson.TypeObject {
		return nil, "order_configuration." + name + " is not an object"
	}
	l := no.market.Listing
	base, quote := body.Get("base_size"), body.Get("quote_size")
	if no.kind == cfgMarketIOC {
		if (base == nil) == (quote == nil) {
			return nil, "market_market_ioc needs exactly one of base_size and quote_size"
		}
		if quote != nil {
			q, f := decimal(quote, l.PriceScale, &failQuotePrec)
			switch {
			case f == &errNotDecimal:
				return nil, "quote_size is not a decimal"
			case f != nil:
				return f, ""
			case q <= 0:
				return &failQuoteSmall, ""
			}
			no.quote = q
			return nil, ""
		}
	}
	if base == nil {
		return nil, "order_configuration." + name + ".base_size is required"
	}
	qty, f := decimal(base, l.QtyScale, &failSizePrec)
	switch {
	case f == &errNotDecimal:
		return nil, "base_size is not a decimal"
	case f != nil:
		return f, ""
	case qty <= 0 || qty < l.MinQty:
		return &failBaseTooSmall, ""
	case qty%l.Lot != 0:
		return &failSizePrec, ""
	}
	no.qty = qty
	if no.kind == cfgMarketIOC {
		return nil, ""
	}
	pv := body.Get("limit_price")
	if pv == nil {
		return nil, "order_configuration." + name + ".limit_price is required"
	}
	price, f := decimal(pv, l.PriceScale, &failPricePrec)
	switch {
	case f == &errNotDecimal:
		return nil, "limit_price is not a decimal"
	case f != nil:
		return f, ""
	case price <= 0:
		return &failLimitPrice, ""
	case price%l.Tick != 0:
		return &failPricePrec, ""
	}
	no.price = price
	if po := body.Get("post_only"); po != nil && no.kind == cfgLimitGTC {
		b, err := po.Bool()
		if err != nil {
			return nil, "post_only is not a boolean"
		}
		no.postOnly = b
	}
	return nil, ""
}

// errNotDecimal marks a size or price that is not a decimal at all.
var errNotDecimal = failure{}

// decimal parses a decimal string (or JSON number) at scale: precision is the failure for more
// decimals than scale, &errNotDecimal for anything else that does not parse.
func decimal(v *fastjson.Value, scale uint8, precision *failure) (int64, *failure) {
	var text []byte
	switch v.Type() {
	case fastjson.TypeString:
		text = v.GetStringBytes()
	case fastjson.TypeNumber:
		text = v.MarshalTo(nil)
	default:
		return 0, &errNotDecimal
	}
	n, err := fixed.Parse(text, scale)
	switch {
	case errors.Is(err, fixed.ErrPrecision):
		return 0, precision
	case err != nil:
		return 0, &errNotDecimal
	}
	return n, nil
}

// place enters no for account inside the venue lock. accepted is true when an order exists
// (new, or the earlier order of the same client_order_id).
func (s *Server) place(st *sim.State, account uint32, no *newOrder) (reply, bool) {
	m := no.market
	e := st.Engine(m)
	rules := e.Rules()
	s.mu.Lock()
	a := s.accounts[account]
	if k, ok := a.clients[no.clientID]; ok {
		prev := a.orders[k]
		s.mu.Unlock()
		return jsonReply(appendSuccess(nil, k, prev.market.Symbol, prev.side, no.clientID, no.config)), true
	}
	s.mu.Unlock()
	req := match.Request{Account: account, ClientID: no.clientID, Side: no.side, PostOnly: no.postOnly,
		Price: no.price, Qty: no.qty}
	switch no.kind {
	case cfgLimitGTC:
		req.Type, req.TIF = event.OrderLimit, event.TIFGTC
	case cfgLimitFOK:
		req.Type, req.TIF = event.OrderLimit, event.TIFFOK
	case cfgSorLimitIOC:
		req.Type, req.TIF = event.OrderLimit, event.TIFIOC
	case cfgMarketIOC:
		req.Type, req.TIF = event.OrderMarket, event.TIFIOC
		if no.quote > 0 {
			req.Qty = quoteQty(e, no.side, no.quote)
			if req.Qty <= 0 {
				return jsonReply(appendFailure(nil, failNoLiquidity, no.config)), false
			}
			if req.Qty < rules.MinQty {
				return jsonReply(appendFailure(nil, failQuoteSmall, no.config)), false
			}
		}
	}
	capped := false
	full := req
	if no.kind != cfgLimitFOK && aggressive(e, &req) {
		if f, ok := s.v.FaultAt(sim.FaultPartialFill, m.Symbol, st.Now()); ok {
			if c := capQty(req.Qty, f.FillPerMille, rules); c < req.Qty {
				req.Qty, req.TIF, capped = c, event.TIFIOC, true
			}
		}
	}
	o, err := e.Submit(req, st.Now())
	if err != nil && capped {
		req, capped = full, false // the cut order broke a minimum: place it whole
		o, err = e.Submit(req, st.Now())
	}
	var me *match.Error
	if err != nil && (!errors.As(err, &me) || me.Reason != event.RejectFOK) {
		if me == nil {
			return jsonReply(appendFailure(nil, failUnknown, no.config)), false
		}
		return jsonReply(appendFailure(nil, failureOf(me, &req, rules), no.config)), false
	}
	k := orderKey{market: int32(m.Index), id: o.ID}
	meta := &orderMeta{key: k, market: m, clientID: no.clientID, side: no.side,
		kind: no.kind, qty: no.qty, quote: no.quote, price: no.price, postOnly: no.postOnly, capped: capped}
	if meta.qty == 0 {
		meta.qty = o.Qty
		if capped {
			meta.qty = full.Qty
		}
	}
	s.mu.Lock()
	a.addOrder(meta)
	s.mu.Unlock()
	return jsonReply(appendSuccess(nil, k, m.Symbol, no.side, no.clientID, no.config)), true
}

// aggressive reports whether r would trade on arrival.
func aggressive(e *match.Engine, r *match.Request) bool {
	if r.Side == event.SideBuy {
		ask, _, ok := e.Best(event.SideSell)
		return ok && (r.Type == event.OrderMarket || ask <= r.Price)
	}
	bid, _, ok := e.Best(event.SideBuy)
	return ok && (r.Type == event.OrderMarket || bid >= r.Price)
}

// capQty is the quantity a partial-fill fault lets through: perMille of qty (0: half), on the
// lot, at least the minimum.
func capQty(qty int64, perMille int, rules match.Rules) int64 {
	if perMille <= 0 {
		perMille = 500
	}
	c, err := fixed.MulDiv(qty, int64(perMille), 1000)
	if err != nil {
		return qty
	}
	c -= c % rules.Lot
	if c < rules.MinQty {
		c = rules.MinQty + (rules.Lot-rules.MinQty%rules.Lot)%rules.Lot
	}
	return c
}

// quoteQty returns the base quantity a market order spending quote (quote units at the price
// scale) takes from the opposite side, on the lot; 0 when the side is empty.
func quoteQty(e *match.Engine, side event.Side, quote int64) int64 {
	rules := e.Rules()
	opp := event.SideSell
	if side == event.SideSell {
		opp = event.SideBuy
	}
	unit := fixed.Pow10(rules.QtyScale)
	var qty int64
	for _, lv := range e.Depth(opp, e.Levels(opp), []book.Level(nil)) {
		n, err := fixed.MulDiv(lv.Price, lv.Qty, unit)
		if err != nil {
			break
		}
		if n <= quote {
			qty += lv.Qty
			quote -= n
			continue
		}
		part, err := fixed.MulDiv(quote, unit, lv.Price)
		if err == nil {
			qty += part
		}
		break
	}
	return qty - qty%rules.Lot
}

// appendSuccess appends a create-order success answer.
func appendSuccess(b []byte, k orderKey, product string, side event.Side, clientID string, config []byte) []byte {
	b = append(b, `{"success":true,"failure_reason":"UNKNOWN_FAILURE_REASON","order_id":"`...)
	b = appendOrderID(b, k)
	b = append(b, `","success_response":{"order_id":"`...)
	b = appendOrderID(b, k)
	b = append(b, '"')
	b = appendField(b, "product_id", product)
	b = appendField(b, "side", sideName(side))
	b = appendField(b, "client_order_id", clientID)
	b = append(b, '}')
	b = append(jsontext.AppendKey(b, "order_configuration"), config...)
	return append(b, '}')
}

// appendFailure appends a create-order failure answer.
func appendFailure(b []byte, f failure, config []byte) []byte {
	b = append(b, `{"success":false,"failure_reason":"UNKNOWN_FAILURE_REASON","order_id":"","error_response":{`...)
	b = appendField(b, "error", f.err)
	b = appendField(b, "message", f.message)
	b = appendField(b, "error_details", f.message)
	b = appendField(b, "preview_failure_reason", f.preview)
	b = appendField(b, "new_order_failure_reason", f.newOrder)
	b = append(b, '}')
	if len(config) > 0 {
		b = append(jsontext.AppendKey(b, "order_configuration"), config...)
	}
	return append(b, '}')
}

package okx

import (
	"ems/core/jsontext"
	"errors"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// Amend: WebSocket op amend-order / batch-amend-orders and REST POST /api/v5/trade/amend-order
// / amend-batch-orders, carried out with match.Engine.Replace under one Venue.Do, so the order
// keeps its ordId and clOrdId.
//
//	{"id":"7","op":"amend-order","args":[{"instId","ordId"|"clOrdId","reqId"?,"newSz"?,"newPx"?,"cxlOnFail"?}]}
//	→ {"id":"7","op":"amend-order","data":[{"clOrdId","ordId","ts","reqId","sCode","sMsg"}],
//	   "code":"0"|"1"|"2","msg":"","inTime":"µs","outTime":"µs"}
//
// newSz is the new total size, fills included; at least one of newSz and newPx is required.
// Priority follows match.Engine.Replace: the same price with a size not larger keeps the
// order's place; any other change sends it to the back of its (new) level, and a price that
// crosses trades at once. A newSz not above the filled size cancels the order (as the Engine
// does). On success the orders channel pushes the order with amendResult "0", reqId and the
// new px/sz; fills the amend causes follow as usual. A failed amend is answered with its sCode
// and changes nothing, unless cxlOnFail is true: then the order is canceled (pushed canceled
// with amendResult "1"). Failed amends are not pushed otherwise (OKX pushes amendResult "-1").

// Amend results on the orders channel.
const (
	amendOK         = "0" // amended
	amendFailCancel = "1" // the amend failed and cxlOnFail canceled the order
	amendSourceUser = "1" // amendSource: amended by the user
)

// amendReq is a parsed amend. err is set when it is malformed.
type amendReq struct {
	instID, ordID, clOrdID, reqID, newSz, newPx string
	cxlOnFail                                   bool
	err                                         *okxError
}

// parseAmend reads an amend from a JSON object.
func parseAmend(v *fastjson.Value) amendReq {
	r := amendReq{instID: str(v, "instId"), ordID: str(v, "ordId"), clOrdID: str(v, "clOrdId"),
		reqID: str(v, "reqId"), newSz: str(v, "newSz"), newPx: str(v, "newPx"),
		cxlOnFail: str(v, "cxlOnFail") == "true"}
	fail := func(e okxError) amendReq { r.err = &e; return r }
	switch {
	case v.Type() != fastjson.TypeObject:
		return fail(paramError("amend"))
	case r.instID == "":
		return fail(paramEmpty("instId"))
	case r.newSz == "" && r.newPx == "":
		// OKX needs one of the two; which code it answers is not documented: 50014 here.
		return fail(paramEmpty("newSz"))
	case !validID(r.reqID, 32):
		return fail(paramError("reqId"))
	}
	return r
}

// amend carries out a parsed amend for key k. REQUIRES: inside Do (st).
func (t *tradeState) amend(st *sim.State, k *sim.APIKey, r *amendReq) ack {
	now := st.Now()
	a := ack{clOrdID: r.clOrdID, ordID: r.ordID, reqID: r.reqID, ts: now, amend: true}
	fail := func(e okxError) ack { a.err = &e; return a }
	if r.err != nil {
		a.err = r.err
		return a
	}
	mk, ok := t.s.market(r.instID)
	if !ok {
		return fail(errNoInstrument)
	}
	if r.ordID == "" && r.clOrdID == "" {
		return fail(errNeedOrderID)
	}
	if ok, _ := t.s.v.AllowOrder(k.Key+"|"+mk.instID, now); !ok {
		return fail(errRateLimit)
	}
	o := t.find(k.Account, mk, r.ordID, r.clOrdID)
	if o == nil {
		return fail(errAmendUnknown)
	}
	a.ordID, a.clOrdID = uintText(o.ordID), o.clOrdID
	switch {
	case o.state == stateCanceled:
		return fail(errAmendCanceled)
	case !o.open():
		return fail(errAmendFilled)
	}
	l := mk.l
	price, qty := o.px, o.sz
	if r.newPx != "" {
		px, err := fixed.ParseString(r.newPx, l.PriceScale)
		if err != nil || px <= 0 || px%l.Tick != 0 {
			return t.amendFail(st, o, r, a, paramError("newPx"))
		}
		price = px
	}
	if r.newSz != "" {
		q, err := fixed.ParseString(r.newSz, l.QtyScale)
		switch {
		case err != nil && fixed.Places([]byte(r.newSz)) > int(l.QtyScale):
			return t.amendFail(st, o, r, a, errLotSize)
		case err != nil || q <= 0:
			return t.amendFail(st, o, r, a, paramError("newSz"))
		case q%l.Lot != 0:
			return t.amendFail(st, o, r, a, errLotSize)
		}
		qty = q
	}
	if _, err := st.Engine(mk.sm).Replace(k.Account, o.id, price, qty, now); err != nil {
		return t.amendFail(st, o, r, a, amendError(err))
	}
	// A Replace that succeeds reports (after the Do's Engine calls): the push takes these.
	o.amendResult, o.reqID = amendOK, r.reqID
	return a
}

// amendFail answers a refused amend with e; with cxlOnFail the order is canceled first (pushed
// with amendResult "1"). REQUIRES: inside Do (st).
func (t *tradeState) amendFail(st *sim.State, o *order, r *amendReq, a ack, e okxError) ack {
	if r.cxlOnFail && o.open() {
		if _, err := st.Engine(o.mk.sm).Cancel(o.account, o.id, st.Now()); err == nil {
			o.amendResult, o.reqID = amendFailCancel, r.reqID // taken by the canceled push
		}
	}
	a.err = &e
	return a
}

// amendError maps an Engine refusal of a Replace to OKX's sCode. A post-only order amended to a
// crossing price is refused as a bad newPx (OKX does not document a dedicated code).
func amendError(err error) okxError {
	var me *match.Error
	if !errors.As(err, &me) {
		return errSystem
	}
	switch me.Reason {
	case event.RejectUnknownOrder:
		return errAmendUnknown
	case event.RejectPriceFilter, event.RejectPostOnly:
		return paramError("newPx")
	case event.RejectQtyFilter:
		return errLotSize
	case event.RejectMinNotional:
		return errMinSize
	}
	return errSystem
}

// appendAmendAck appends the data object of an amend answer.
func appendAmendAck(b []byte, a *ack, okMsg string) []byte {
	b = append(b, `{"clOrdId":`...)
	b = jsontext.AppendString(b, a.clOrdID)
	b = append(b, `,"ordId":`...)
	b = jsontext.AppendString(b, a.ordID)
	b = append(b, `,"ts":`...)
	b = appendMillisQ(b, a.ts)
	b = append(b, `,"reqId":`...)
	b = jsontext.AppendString(b, a.reqID)
	b = append(b, `,"sCode":`...)
	if a.err == nil {
		b = append(b, `"0","sMsg":`...)
		b = jsontext.AppendString(b, okMsg)
	} else {
		b = jsontext.AppendString(b, a.err.Code)
		b = append(b, `,"sMsg":`...)
		b = jsontext.AppendString(b, a.err.Msg)
	}
	return append(b, '}')
}

// amendOp carries out a WebSocket amend-order or batch-amend-orders and answers it.
func (s *Server) amendOp(c *wsConn, r request) {
	if !c.priv.loggedIn {
		c.sendError(r.id, wsPleaseLogin)
		return
	}
	inTime := s.v.Now()
	fail := func(e okxError) {
		c.send(appendOpAnswer(nil, r, nil, e.Code, e.Msg, inTime, s.v.Now()))
	}
	a := r.v.Get("args")
	if a == nil || a.Type() != fastjson.TypeArray {
		fail(wsInvalidArgs)
		return
	}
	items, _ := a.Array()
	switch {
	case len(items) == 0, r.op == "amend-order" && len(items) != 1:
		fail(wsInvalidArgs)
		return
	case len(items) > maxBatch:
		fail(errBulkLimit)
		return
	}
	reqs := make([]amendReq, len(items))
	for i, it := range items {
		reqs[i] = parseAmend(it)
	}
	key := c.priv.key
	acks := make([]ack, 0, len(items))
	s.v.Do(func(st *sim.State) {
		for i := range reqs {
			acks = append(acks, s.trade.amend(st, &key, &reqs[i]))
		}
		// Queued before the orders-channel pushes this Do causes.
		c.send(appendOpAnswer(nil, r, acks, batchCode(acks), "", inTime, st.Now()))
	})
}

// postAmendOrder serves POST /api/v5/trade/amend-order.
func (s *Server) postAmendOrder(x *exchange) {
	var p fastjson.Parser
	v, ok := x.parseBody(&p)
	if !ok {
		return
	}
	if v.Type() != fastjson.TypeObject {
		writeErr(x.w, errJSON)
		return
	}
	s.amendREST(x, []*fastjson.Value{v})
}

// postAmendBatch serves POST /api/v5/trade/amend-batch-orders (a JSON array).
func (s *Server) postAmendBatch(x *exchange) {
	var p fastjson.Parser
	v, ok := x.parseBody(&p)
	if !ok {
		return
	}
	items, err := v.Array()
	switch {
	case err != nil:
		writeErr(x.w, errJSON)
		return
	case len(items) == 0:
		writeErr(x.w, paramEmpty("orders"))
		return
	case len(items) > maxBatch:
		writeErr(x.w, errBulkLimit)
		return
	}
	s.amendREST(x, items)
}

// amendREST amends items in one venue batch and answers.
func (s *Server) amendREST(x *exchange, items []*fastjson.Value) {
	reqs := make([]amendReq, len(items))
	for i, it := range items {
		reqs[i] = parseAmend(it)
	}
	acks := make([]ack, 0, len(items))
	s.v.Do(func(st *sim.State) {
		for i := range reqs {
			acks = append(acks, s.trade.amend(st, &x.key, &reqs[i]))
		}
	})
	s.writeOps(x, acks, false, "")
}

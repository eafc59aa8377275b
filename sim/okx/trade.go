package okx

import (
	"ems/core/jsontext"
	"sort"
	"strconv"
	"sync"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// Order entry shared by REST (/trade/order, /trade/batch-orders, /trade/cancel-order,
// /trade/cancel-batch-orders) and the private WebSocket (order, batch-orders, cancel-order,
// batch-cancel-orders). Requests are parsed outside the venue lock (parseOrder) and carried
// out inside Venue.Do (place, cancel), which is where faults and rate limits are asked.

// orderKey identifies an Engine order: market index and Engine id.
type orderKey struct {
	market int
	id     match.OrderID
}

// clientKey identifies the latest order of an account with a client order id on a market.
type clientKey struct {
	account uint32
	market  int
	clOrdID string
}

// account is one account's fill history (a ring of FillHistory fills).
type account struct {
	fills   []fillRec
	head    int // oldest fill, once the ring is full
	billSeq uint64
}

// tradeState is the server's order state. Everything but the connection registry is guarded by
// the venue lock.
type tradeState struct {
	s        *Server
	orders   map[orderKey]*order
	clients  map[clientKey]*order
	retired  []orderKey // terminal orders, oldest first, forgotten past OrderHistory
	accounts map[uint32]*account
	scratch  []byte
	depth    []book.Level

	connMu sync.Mutex           // guards conns; taken inside the venue lock, never around it
	conns  map[uint32][]*wsConn // logged-in private connections per account
}

func (t *tradeState) init(s *Server) {
	t.s = s
	t.orders = map[orderKey]*order{}
	t.clients = map[clientKey]*order{}
	t.accounts = map[uint32]*account{}
	t.conns = map[uint32][]*wsConn{}
}

func (t *tradeState) account(id uint32) *account {
	a := t.accounts[id]
	if a == nil {
		a = &account{}
		t.accounts[id] = a
	}
	return a
}

// retire notes that o is terminal; the oldest terminal orders are forgotten past OrderHistory.
func (t *tradeState) retire(o *order) {
	t.retired = append(t.retired, orderKey{o.mk.index, o.id})
	if len(t.retired) <= t.s.opts.OrderHistory {
		return
	}
	k := t.retired[0]
	t.retired = t.retired[1:]
	if old := t.orders[k]; old != nil {
		delete(t.orders, k)
		ck := clientKey{old.account, k.market, old.clOrdID}
		if old.clOrdID != "" && t.clients[ck] == old {
			delete(t.clients, ck)
		}
	}
}

// addConn registers a logged-in private connection of account.
func (t *tradeState) addConn(account uint32, c *wsConn) {
	t.connMu.Lock()
	t.conns[account] = append(t.conns[account], c)
	t.connMu.Unlock()
}

// dropConn forgets a closed connection.
func (t *tradeState) dropConn(c *wsConn) {
	t.connMu.Lock()
	defer t.connMu.Unlock()
	for a, list := range t.conns {
		if l := removeConn(list, c); len(l) != len(list) {
			if len(l) == 0 {
				delete(t.conns, a)
			} else {
				t.conns[a] = l
			}
		}
	}
}

// orderReq is a parsed new order. err is set when it is malformed.
type orderReq struct {
	instID, tdMode, side, ordType, sz, px, clOrdID, tag, tgtCcy string
	err                                                         *okxError
}

// ack is the answer to one order operation.
type ack struct {
	clOrdID, ordID, tag string
	reqID               string // amends only
	amend               bool   // an amend answer (appendAmendAck)
	ts                  int64
	err                 *okxError // nil: success
	lost                bool      // lose-cancel-ack fault: the cancel happened, the answer is never sent
	delay               int64     // delay-ack fault: ns to hold the answer back
}

// str returns the string (or number text) value of key in object v, "" when absent.
func str(v *fastjson.Value, key string) string {
	f := v.Get(key)
	if f == nil {
		return ""
	}
	switch f.Type() {
	case fastjson.TypeString:
		return string(f.GetStringBytes())
	case fastjson.TypeNumber:
		return f.String()
	case fastjson.TypeTrue:
		return "true"
	case fastjson.TypeFalse:
		return "false"
	}
	return ""
}

// parseOrder reads a new order from a JSON object.
func parseOrder(v *fastjson.Value) orderReq {
	r := orderReq{
		instID: str(v, "instId"), tdMode: str(v, "tdMode"), side: str(v, "side"),
		ordType: str(v, "ordType"), sz: str(v, "sz"), px: str(v, "px"),
		clOrdID: str(v, "clOrdId"), tag: str(v, "tag"), tgtCcy: str(v, "tgtCcy"),
	}
	fail := func(e okxError) orderReq { r.err = &e; return r }
	if v.Type() != fastjson.TypeObject {
		return fail(paramError("order"))
	}
	switch {
	case r.instID == "":
		return fail(paramEmpty("instId"))
	case r.tdMode == "":
		return fail(paramEmpty("tdMode"))
	case r.side == "":
		return fail(paramEmpty("side"))
	case r.ordType == "":
		return fail(paramEmpty("ordType"))
	case r.sz == "":
		return fail(paramEmpty("sz"))
	}
	switch r.tdMode {
	case "cash", "cross", "isolated", "spot_isolated":
	default:
		return fail(paramError("tdMode"))
	}
	if r.side != "buy" && r.side != "sell" {
		return fail(paramError("side"))
	}
	switch r.ordType {
	case "market", "limit", "post_only", "fok", "ioc", "optimal_limit_ioc":
	default:
		return fail(paramError("ordType"))
	}
	if !validID(r.clOrdID, 32) {
		return fail(paramError("clOrdId"))
	}
	if !validID(r.tag, 16) {
		return fail(paramError("tag"))
	}
	switch r.tgtCcy {
	case "", "base_ccy", "quote_ccy":
	default:
		return fail(paramError("tgtCcy"))
	}
	return r
}

// validID reports whether s is empty or 1..max letters and digits (OKX's clOrdId and tag).
func validID(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// place carries out a parsed new order for key k. REQUIRES: inside Do (st).
func (t *tradeState) place(st *sim.State, k *sim.APIKey, r *orderReq) ack {
	now := st.Now()
	a := ack{clOrdID: r.clOrdID, tag: r.tag, ts: now}
	fail := func(e okxError) ack { a.err = &e; return a }
	if r.err != nil {
		a.err = r.err
		return a
	}
	mk, ok := t.s.market(r.instID)
	if !ok {
		return fail(errNoInstrument)
	}
	v := t.s.v
	if ok, _ := v.AllowOrder(k.Key+"|"+mk.instID, now); !ok {
		return fail(errRateLimit)
	}
	if v.Fault(sim.FaultReject, mk.sm.Name) {
		return fail(errSystem)
	}
	l := mk.l
	o := &order{mk: mk, account: k.Account, clOrdID: r.clOrdID, tag: r.tag, ordType: r.ordType,
		tdMode: r.tdMode, side: event.SideBuy, cTime: now, uTime: now}
	if r.side == "sell" {
		o.side = event.SideSell
	}
	req := match.Request{Account: k.Account, ClientID: r.clOrdID, Side: o.side, Type: event.OrderLimit}
	switch r.ordType {
	case "limit":
	case "post_only":
		req.PostOnly = true
	case "fok":
		req.TIF = event.TIFFOK
	case "ioc":
		req.TIF = event.TIFIOC
	case "market":
		req.Type, req.TIF = event.OrderMarket, event.TIFIOC
	case "optimal_limit_ioc":
		if mk.spot() {
			return fail(paramError("ordType"))
		}
		req.Type, req.TIF = event.OrderMarket, event.TIFIOC
	}
	e := st.Engine(mk.sm)
	opp := event.SideSell
	if o.side == event.SideSell {
		opp = event.SideBuy
	}
	if req.Type == event.OrderLimit {
		if r.px == "" {
			return fail(errPxEmpty)
		}
		px, err := fixed.ParseString(r.px, l.PriceScale)
		if err != nil || px <= 0 || px%l.Tick != 0 {
			return fail(paramError("px"))
		}
		req.Price, o.px = px, px
	} else if _, _, ok := e.Best(opp); !ok {
		return fail(errNoOffers)
	}
	if mk.spot() && req.Type == event.OrderMarket {
		o.tgtCcy = r.tgtCcy
		if o.tgtCcy == "" {
			o.tgtCcy = "base_ccy"
			if o.side == event.SideBuy {
				o.tgtCcy = "quote_ccy" // OKX's default for market buys
			}
		}
		o.quoteSz = o.tgtCcy == "quote_ccy"
	}
	if o.quoteSz {
		amt, err := fixed.ParseString(r.sz, quoteScale)
		if err != nil || amt <= 0 {
			return fail(paramError("sz"))
		}
		o.sz = amt
		t.depth = e.Depth(opp, -1, t.depth[:0])
		req.Qty = quoteToBase(mk, t.depth, amt)
		if req.Qty < l.MinQty || req.Qty == 0 {
			return fail(errMinSize)
		}
	} else {
		qty, err := fixed.ParseString(r.sz, l.QtyScale)
		switch {
		case err != nil && fixed.Places([]byte(r.sz)) > int(l.QtyScale):
			return fail(errLotSize)
		case err != nil || qty <= 0:
			return fail(paramError("sz"))
		case qty%l.Lot != 0:
			return fail(errLotSize)
		case qty < l.MinQty:
			return fail(errMinSize)
		}
		req.Qty, o.sz = qty, qty
	}
	if req.TIF != event.TIFFOK && !req.PostOnly && t.aggressive(e, &req) {
		if f, fired := v.FaultAt(sim.FaultPartialFill, mk.sm.Name, now); fired {
			pm := int64(f.FillPerMille)
			if pm <= 0 {
				pm = 500
			}
			q := req.Qty * pm / 1000
			q -= q % l.Lot
			if q >= l.MinQty && q > 0 && q < req.Qty {
				req.Qty, req.TIF, o.capped = q, event.TIFIOC, true
			}
		}
	}
	eo, err := e.Submit(req, now)
	if err != nil {
		if rej, isErr := rejectError(err); isErr {
			return fail(rej)
		}
	}
	o.id = eo.ID
	o.ordID = wireOrdID(mk.index, eo.ID)
	t.orders[orderKey{mk.index, eo.ID}] = o
	if o.clOrdID != "" {
		t.clients[clientKey{o.account, mk.index, o.clOrdID}] = o
	}
	a.ordID = uintText(o.ordID)
	if f, fired := v.FaultAt(sim.FaultDelayAck, mk.sm.Name, now); fired {
		a.delay = int64(f.Delay)
	}
	return a
}

// aggressive reports whether r trades on arrival.
func (t *tradeState) aggressive(e *match.Engine, r *match.Request) bool {
	if r.Type == event.OrderMarket {
		return true
	}
	if r.Side == event.SideBuy {
		p, _, ok := e.Best(event.SideSell)
		return ok && r.Price >= p
	}
	p, _, ok := e.Best(event.SideBuy)
	return ok && r.Price <= p
}

// cancel carries out a cancel for key k. REQUIRES: inside Do (st).
func (t *tradeState) cancel(st *sim.State, k *sim.APIKey, instID, ordID, clOrdID string) ack {
	now := st.Now()
	a := ack{clOrdID: clOrdID, ordID: ordID, ts: now}
	fail := func(e okxError) ack { a.err = &e; return a }
	if instID == "" {
		return fail(paramEmpty("instId"))
	}
	mk, ok := t.s.market(instID)
	if !ok {
		return fail(errNoInstrument)
	}
	if ordID == "" && clOrdID == "" {
		return fail(errNeedOrderID)
	}
	o := t.find(k.Account, mk, ordID, clOrdID)
	if o == nil || !o.open() {
		return fail(errCancelUnknown)
	}
	if _, err := st.Engine(mk.sm).Cancel(k.Account, o.id, now); err != nil {
		return fail(errCancelUnknown)
	}
	a.ordID, a.clOrdID = uintText(o.ordID), o.clOrdID
	a.lost = t.s.v.Fault(sim.FaultLoseCancelAck, mk.sm.Name)
	return a
}

// find returns account's order on mk named by ordID (preferred) or clOrdID, or nil.
func (t *tradeState) find(account uint32, mk *market, ordID, clOrdID string) *order {
	var o *order
	if ordID != "" {
		idx, id, ok := parseOrdID(ordID)
		if !ok || idx != mk.index {
			return nil
		}
		o = t.orders[orderKey{idx, id}]
	} else {
		o = t.clients[clientKey{account, mk.index, clOrdID}]
	}
	if o == nil || o.account != account {
		return nil
	}
	return o
}

// pending returns account's open orders (on markets selected by instType and instID), newest
// first.
func (t *tradeState) pending(account uint32, instType, instID string) []*order {
	var out []*order
	for _, o := range t.orders {
		if o.account == account && o.open() && o.mk.matchesType(instType) && (instID == "" || instID == o.mk.instID) {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].cTime != out[j].cTime {
			return out[i].cTime > out[j].cTime
		}
		return out[i].ordID > out[j].ordID
	})
	return out
}

// fills returns account's fills selected by the filters, newest first, at most limit, older than
// bill id after / newer than before when non-zero.
func (t *tradeState) fills(account uint32, instType, instID, ordID string, after, before uint64, limit int) []*fillRec {
	a := t.accounts[account]
	if a == nil {
		return nil
	}
	n := len(a.fills)
	var out []*fillRec
	for i := n - 1; i >= 0 && len(out) < limit; i-- {
		r := &a.fills[(a.head+i)%n]
		switch {
		case !r.o.mk.matchesType(instType), instID != "" && r.o.mk.instID != instID,
			ordID != "" && uintText(r.o.ordID) != ordID,
			after != 0 && r.billID >= after, before != 0 && r.billID <= before:
			continue
		}
		out = append(out, r)
	}
	return out
}

// appendAck appends the data object of an order operation's answer: place answers carry tag
// (withTag), cancels do not.
func appendAck(b []byte, a *ack, withTag bool, okMsg string) []byte {
	if a.amend {
		return appendAmendAck(b, a, okMsg)
	}
	b = append(b, `{"clOrdId":`...)
	b = jsontext.AppendString(b, a.clOrdID)
	b = append(b, `,"ordId":`...)
	if a.err != nil && !withTag {
		b = jsontext.AppendString(b, a.ordID)
	} else {
		b = jsontext.AppendString(b, a.ordIDOrEmpty())
	}
	if withTag {
		b = append(b, `,"tag":`...)
		b = jsontext.AppendString(b, a.tag)
	}
	b = append(b, `,"ts":`...)
	b = appendMillisQ(b, a.ts)
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

// ordIDOrEmpty is the ordId of a place answer: empty when refused.
func (a *ack) ordIDOrEmpty() string {
	if a.err != nil {
		return ""
	}
	return a.ordID
}

// batchCode returns the envelope code of a batch of answers: "0" all succeeded, "1" all
// failed, "2" some did.
func batchCode(acks []ack) string {
	failed := 0
	for i := range acks {
		if acks[i].err != nil {
			failed++
		}
	}
	switch {
	case failed == 0:
		return "0"
	case failed == len(acks):
		return "1"
	}
	return "2"
}

// uintText formats v in decimal.
func uintText(v uint64) string { return strconv.FormatUint(v, 10) }

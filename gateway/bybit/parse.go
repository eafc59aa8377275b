package bybit

// Parsing: Bybit's order answers and order and execution reports to events.
//
// # Messages
//
//	trade WS answer    {"reqId":"c42.7","retCode":0,"retMsg":"OK","op":"order.create",
//	                    "data":{"orderId":"...","orderLinkId":"e7k2x42"},"header":{...},"connId":"..."}
//	trade WS auth      {"retCode":0,"retMsg":"OK","op":"auth","connId":"..."}
//	trade WS pong      {"retCode":0,"retMsg":"OK","op":"pong","data":["ms"],"connId":"..."}
//	private ack        {"success":true,"ret_msg":"","op":"auth"|"subscribe","conn_id":"..."}
//	private pong       {"op":"pong","args":["ms"],"conn_id":"..."}
//	private push       {"id":"...","topic":"order"|"execution"[.spot|.linear],"creationTime":ms,
//	                    "data":[{...},...]}
//
// # Events
//
//	create answered 0        OrderAck (unless the order stream acknowledged it first)
//	create/cancel/amend ≠ 0  Reject with the retCode (10006 also sets Result.Throttled)
//	amend answered 0         OrderAck with the new price, quantity and leaves (qty − the
//	                         fills seen), unless the order stream acknowledged the amend first
//	amend answered ≠ 0       Reject of the order (110001/170213: RejectUnknownOrder); the
//	                         order stays as it was, tracked
//	order New/PartiallyFilled/Filled  OrderAck when not yet acknowledged, or when it reports
//	                         the price and qty of the amend in flight (the amend's OrderAck)
//	order Cancelled/PartiallyFilledCanceled/Deactivated
//	                         CancelAck (Leaves = qty − cumExecQty), or Reject for
//	                         EC_PostOnlyWillTakeLiquidity and EC_CancelForNoFullFill
//	order Rejected           Reject
//	execution (execType Trade)  Fill, once per execId
//
// A Reject may follow an OrderAck of the same order: Bybit acknowledges post-only and
// fill-or-kill orders and then refuses them on the order stream. Such a Reject is final.
//
// Order reports are emitted only for orders the parser tracks (Track, or reconciliation), so
// that a report repeated after a reconnect is not counted twice; fills are emitted for every
// order of the prefix, once per execId.

import (
	"errors"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/core/intern"
	"ems/feed"
	"ems/gateway"
)

// Op says what a parsed message was.
type Op uint8

const (
	OpOther     Op = iota // a message the parser does not use
	OpAuth                // the answer to auth
	OpPong                // the answer to ping
	OpSubscribe           // the answer to subscribe
	OpCreate              // the answer to order.create
	OpCancel              // the answer to order.cancel
	OpAmend               // the answer to order.amend
	OpOrder               // an order stream push
	OpExecution           // an execution stream push
)

// Result is what Parse found in one message.
type Result struct {
	Events []event.Event // valid until the next Parse; owned by the Parser
	Op     Op
	OK     bool  // retCode 0 or success true; pushes are OK
	Code   int64 // retCode of a trade WebSocket answer
	// Throttled reports a request refused for the venue's rate limit (10006, 10018).
	Throttled bool
}

// Parse errors.
var (
	ErrMessage = errors.New("bybit: message is not a JSON object")
	ErrListing = errors.New("bybit: report of an unknown category or symbol")
)

// ParserConfig configures a Parser.
type ParserConfig struct {
	Prefix string             // client order id prefix of the session (see gateway.CheckPrefix)
	Master *instrument.Master // listings
	// VenueOrders interns venue order ids, Assets fee asset codes; nil: the parser's own tables.
	// Both are written by the parser's goroutine only.
	VenueOrders, Assets *intern.Table
	MaxOrders           int // orders in flight tracked (0: 4096)
	MaxFills            int // execIds remembered for de-duplication (0: 65536)
}

// Parser turns the trade and private WebSocket messages of one session into events. It keeps the
// orders in flight (Track) and the recent execIds.
//
// Not safe for concurrent use: the Session calls it under its lock. It allocates nothing in
// steady state: fastjson's parser is reused, the tables are sized in NewParser, and the intern
// tables grow only with new venue order ids beyond their sizing.
type Parser struct {
	prefix string
	master *instrument.Master
	p      fastjson.Parser
	vids   *intern.Table
	assets *intern.Table
	orders orderTable
	fills  idSet
	evs    []event.Event
	quote  []uint32 // interned quote asset per instrument id (0: not yet)

	// Counters, for tests and monitoring.
	Duplicates uint64 // fills dropped as already seen
	Foreign    uint64 // reports of orders of another prefix or system
}

// NewParser returns a parser.
func NewParser(cfg ParserConfig) (*Parser, error) {
	if err := gateway.CheckPrefix(cfg.Prefix); err != nil {
		return nil, err
	}
	if cfg.Master == nil {
		return nil, errors.New("bybit: no instrument master")
	}
	if cfg.MaxOrders <= 0 {
		cfg.MaxOrders = 4096
	}
	if cfg.MaxFills <= 0 {
		cfg.MaxFills = 1 << 16
	}
	if cfg.VenueOrders == nil {
		cfg.VenueOrders = intern.New(1<<16, 1<<16*36, 0)
	}
	if cfg.Assets == nil {
		cfg.Assets = intern.New(64, 1024, 0)
	}
	return &Parser{
		prefix: cfg.Prefix, master: cfg.Master, vids: cfg.VenueOrders, assets: cfg.Assets,
		orders: newOrderTable(cfg.MaxOrders), fills: newIDSet(cfg.MaxFills),
		evs:   make([]event.Event, 0, 64),
		quote: make([]uint32, cfg.Master.Len()+1),
	}, nil
}

// Track records an order request about to be sent (KindNewOrder, or KindReplace for the
// amended price and quantity); ok is false when the table of orders in flight is full (the
// request must then be refused) or a Replace names an order not tracked.
func (p *Parser) Track(e *event.Event) bool {
	switch e.Kind {
	case event.KindNewOrder:
		o := e.Order()
		_, ok := p.orders.put(orderState{id: o.Order, parent: o.Parent, instrument: e.Instrument,
			price: o.Price, qty: o.Qty})
		return ok
	case event.KindReplace:
		r := e.Replace()
		st := p.orders.get(r.Order)
		if st == nil {
			return false
		}
		st.amendPrice, st.amendQty = r.Price, r.Qty
	}
	return true
}

// Forget drops an order from the table (its request was refused before sending).
func (p *Parser) Forget(id event.OrderID) { p.orders.del(id) }

// InFlight returns the number of orders tracked.
func (p *Parser) InFlight() int { return p.orders.len() }

// Parse parses one message received at recvTS (ns).
func (p *Parser) Parse(msg []byte, recvTS int64) (Result, error) {
	p.evs = p.evs[:0]
	v, err := p.p.ParseBytes(msg)
	if err != nil || v.Type() != fastjson.TypeObject {
		return Result{}, ErrMessage
	}
	if topic := v.GetStringBytes("topic"); topic != nil {
		return p.push(v, topic, recvTS)
	}
	op := v.GetStringBytes("op")
	r := Result{OK: true}
	if rc := v.Get("retCode"); rc != nil {
		r.Code = rc.GetInt64()
		r.OK = r.Code == 0
	} else if s := v.Get("success"); s != nil {
		r.OK = s.Type() == fastjson.TypeTrue
	}
	switch string(op) {
	case "auth":
		r.Op = OpAuth
	case "pong", "ping":
		r.Op = OpPong
	case "subscribe":
		r.Op = OpSubscribe
	case "order.create", "order.cancel", "order.amend":
		p.answer(v, &r, recvTS)
	}
	r.Events = p.evs
	return r, nil
}

// answer handles the answer to an order request.
func (p *Parser) answer(v *fastjson.Value, r *Result, recvTS int64) {
	op, id, ok := parseReqID(v.GetStringBytes("reqId"))
	switch op {
	case reqCreate:
		r.Op = OpCreate
	case reqCancel:
		r.Op = OpCancel
	default:
		r.Op = OpAmend
	}
	if !ok {
		return
	}
	st := p.orders.get(id)
	if !r.OK {
		r.Throttled = r.Code == CodeTooManyVisits || r.Code == CodeIPLimit
		e := p.event(event.KindReject, recvTS)
		rj := e.Reject()
		rj.Order, rj.VenueCode, rj.Reason = id, r.Code, RejectReason(r.Code, v.GetStringBytes("retMsg"))
		if st != nil {
			e.Instrument, rj.Parent = st.instrument, st.parent
			switch op {
			case reqCreate:
				p.orders.del(id)
			case reqAmend:
				st.amendPrice, st.amendQty = 0, 0
			}
		}
		return
	}
	if st == nil || op == reqCancel {
		return // a cancel is confirmed by the order stream's report, with its leaves
	}
	if vid := v.Get("data", "orderId"); vid != nil && st.venue == 0 {
		st.venue = p.venueOrder(vid.GetStringBytes())
	}
	switch op {
	case reqCreate:
		if st.acked {
			return
		}
	case reqAmend:
		if st.amendQty == 0 {
			return
		}
		st.price, st.qty, st.amendPrice, st.amendQty = st.amendPrice, st.amendQty, 0, 0
	}
	st.acked = true
	p.ack(st, recvTS, 0)
}

// ack emits the OrderAck of st.
func (p *Parser) ack(st *orderState, recvTS, exchTS int64) {
	e := p.event(event.KindOrderAck, recvTS)
	e.Instrument, e.ExchTS = st.instrument, exchTS
	a := e.OrderAck()
	a.Order, a.VenueOrder, a.Price, a.Qty = st.id, st.venue, st.price, st.qty
	a.Leaves = max(st.qty-st.filled, 0)
}

// push handles an order or execution stream message.
func (p *Parser) push(v *fastjson.Value, topic []byte, recvTS int64) (Result, error) {
	r := Result{OK: true}
	isOrder := len(topic) >= 5 && string(topic[:5]) == "order"
	isExec := len(topic) >= 9 && string(topic[:9]) == "execution"
	switch {
	case isOrder:
		r.Op = OpOrder
	case isExec:
		r.Op = OpExecution
	default:
		return r, nil
	}
	exchTS := v.GetInt64("creationTime") * 1e6
	for _, d := range v.GetArray("data") {
		var err error
		if isOrder {
			err = p.orderReport(d, nil, recvTS, exchTS)
		} else {
			err = p.execReport(d, nil, recvTS)
		}
		if err != nil {
			r.Events = p.evs
			return r, err
		}
	}
	r.Events = p.evs
	return r, nil
}

// listing returns the listing a report names: its category field, or cat when the report has
// none (REST lists give it once, outside the items).
func (p *Parser) listing(d *fastjson.Value, cat []byte) (*instrument.Listing, error) {
	if c := d.GetStringBytes("category"); c != nil {
		cat = c
	}
	seg := instrument.SegmentSpot
	switch string(cat) {
	case "spot":
	case "linear":
		seg = instrument.SegmentDerivatives
	default:
		return nil, ErrListing
	}
	l, ok := p.master.LookupIn(instrument.VenueBybit, seg, d.GetStringBytes("symbol"))
	if !ok {
		return nil, ErrListing
	}
	return l, nil
}

// orderReport handles one order object (stream or REST list; cat is the list's category).
func (p *Parser) orderReport(d *fastjson.Value, cat []byte, recvTS, exchTS int64) error {
	id, ok := gateway.ParseClientOrderID(p.prefix, d.GetStringBytes("orderLinkId"))
	if !ok {
		p.Foreign++
		return nil
	}
	st := p.orders.get(id)
	if st == nil {
		return nil
	}
	l, err := p.listing(d, cat)
	if err != nil {
		return err
	}
	qty, err := fixed.Parse(d.GetStringBytes("qty"), l.QtyScale)
	if err != nil {
		return err
	}
	cum, err := fixed.Parse(d.GetStringBytes("cumExecQty"), l.QtyScale)
	if err != nil {
		return err
	}
	if t := d.GetStringBytes("updatedTime"); t != nil {
		exchTS = msText(t)
	}
	if st.venue == 0 {
		st.venue = p.venueOrder(d.GetStringBytes("orderId"))
	}
	st.unknown = false
	status := d.GetStringBytes("orderStatus")
	switch string(status) {
	case "New", "PartiallyFilled", "Filled", "Untriggered", "Triggered":
		price, err := fixed.Parse(d.GetStringBytes("price"), l.PriceScale)
		if err != nil {
			price = 0
		}
		switch {
		case !st.acked:
			if price > 0 {
				st.price = price
			}
			st.qty, st.acked = qty, true
			st.filled = max(st.filled, cum)
			p.ack(st, recvTS, exchTS)
		case st.amendQty != 0 && qty == st.amendQty && price == st.amendPrice:
			// The report of the amend, ahead of its answer: it acknowledges the amend (the
			// answer then emits nothing).
			st.price, st.qty, st.amendPrice, st.amendQty = price, qty, 0, 0
			st.filled = max(st.filled, cum)
			p.ack(st, recvTS, exchTS)
		}
		if string(status) == "Filled" {
			p.orders.del(id)
		}
	case "Cancelled", "PartiallyFilledCanceled", "Deactivated", "Rejected":
		if code, reason, refused := streamRefusal(d.GetStringBytes("rejectReason"), string(status) == "Rejected"); refused && cum == 0 {
			e := p.event(event.KindReject, recvTS)
			e.Instrument, e.ExchTS = st.instrument, exchTS
			rj := e.Reject()
			rj.Order, rj.Parent, rj.VenueCode, rj.Reason = id, st.parent, code, reason
		} else {
			e := p.event(event.KindCancelAck, recvTS)
			e.Instrument, e.ExchTS = st.instrument, exchTS
			c := e.CancelAck()
			c.Order, c.Leaves = id, max(qty-cum, 0)
		}
		p.orders.del(id)
	}
	return nil
}

// execReport handles one execution object (stream or REST list).
func (p *Parser) execReport(d *fastjson.Value, cat []byte, recvTS int64) error {
	if t := d.GetStringBytes("execType"); t != nil && string(t) != "Trade" {
		return nil // funding, settlement, liquidation bookkeeping
	}
	id, ok := gateway.ParseClientOrderID(p.prefix, d.GetStringBytes("orderLinkId"))
	if !ok {
		p.Foreign++
		return nil
	}
	execID := d.GetStringBytes("execId")
	if len(execID) == 0 {
		return ErrMessage
	}
	tid := feed.TradeID(execID)
	if p.fills.has(tid) {
		p.Duplicates++
		return nil
	}
	l, err := p.listing(d, cat)
	if err != nil {
		return err
	}
	price, err := fixed.Parse(d.GetStringBytes("execPrice"), l.PriceScale)
	if err != nil {
		return err
	}
	qty, err := fixed.Parse(d.GetStringBytes("execQty"), l.QtyScale)
	if err != nil {
		return err
	}
	leaves, err := fixed.Parse(d.GetStringBytes("leavesQty"), l.QtyScale)
	if err != nil {
		return err
	}
	in, _ := p.master.ByID(l.Instrument)
	feeCur := d.GetStringBytes("feeCurrency")
	feeScale := l.PriceScale
	if len(feeCur) > 0 && string(feeCur) == in.Base {
		feeScale = l.QtyScale
	}
	fee, err := fixed.Parse(truncate(d.GetStringBytes("execFee"), feeScale), feeScale)
	if err != nil {
		return err
	}
	var asset uint32
	if len(feeCur) > 0 {
		asset, _ = p.assets.Intern(feeCur)
	} else {
		asset = p.quoteAsset(in)
	}
	p.fills.add(tid)
	e := p.event(event.KindFill, recvTS)
	e.Instrument, e.ExchTS = l.Instrument, msText(d.GetStringBytes("execTime"))
	f := e.Fill()
	f.Order, f.Price, f.Qty, f.Fee, f.TradeID, f.Leaves, f.FeeAsset = id, price, qty, fee, tid, leaves, asset
	f.VenueOrder = p.venueOrder(d.GetStringBytes("orderId"))
	f.Liquidity = event.LiquidityTaker
	if d.GetBool("isMaker") {
		f.Liquidity = event.LiquidityMaker
	}
	if st := p.orders.get(id); st != nil {
		st.filled += qty
		if st.venue == 0 {
			st.venue = f.VenueOrder
		}
	}
	return nil
}

// quoteAsset returns the interned quote asset of in (linear fees are charged in it).
func (p *Parser) quoteAsset(in *instrument.Instrument) uint32 {
	if int(in.ID) >= len(p.quote) {
		return 0
	}
	if a := p.quote[in.ID]; a != 0 {
		return a
	}
	a, _ := p.assets.Intern([]byte(in.Quote))
	p.quote[in.ID] = a
	return a
}

// venueOrder interns a venue order id; 0 when it is empty or the table is full (the order is
// still known by its OrderID).
func (p *Parser) venueOrder(b []byte) event.VenueOrderID {
	if len(b) == 0 {
		return 0
	}
	id, err := p.vids.Intern(b)
	if err != nil {
		return 0
	}
	return event.VenueOrderID(id)
}

// event appends a zeroed event of kind and returns it.
func (p *Parser) event(kind event.Kind, recvTS int64) *event.Event {
	p.evs = append(p.evs, event.Event{Kind: kind, Venue: instrument.VenueBybit, RecvTS: recvTS})
	return &p.evs[len(p.evs)-1]
}

// truncate cuts decimal text b to at most scale fraction digits (Bybit writes fees with more
// decimals than the asset's scale; the fee is truncated toward zero).
func truncate(b []byte, scale uint8) []byte {
	for i, c := range b {
		if c == '.' {
			if end := i + 1 + int(scale); end < len(b) {
				if scale == 0 {
					return b[:i]
				}
				return b[:end]
			}
			return b
		}
	}
	return b
}

// msText returns a decimal millisecond text as ns (0 when malformed).
func msText(b []byte) int64 {
	var v int64
	if len(b) == 0 || len(b) > 15 {
		return 0
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0
		}
		v = v*10 + int64(c-'0')
	}
	return v * 1e6
}

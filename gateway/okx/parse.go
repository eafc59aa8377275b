package okx

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

// Messages of the private WebSocket the parser reads (docs-v5; the simulator's sim/okx serves
// the same shapes):
//
//	{"event":"login","code":"0","msg":"","connId":"a4d3ae55"}
//	{"id":"n42","event":"error","code":"60011","msg":"Please log in","connId":"..."}
//	{"event":"subscribe","arg":{"channel":"orders","instType":"ANY"},"connId":"..."}
//	pong
//	{"id":"n42","op":"order","data":[{"clOrdId":"e7k2x42","ordId":"6000...","tag":"","ts":"...",
//	  "sCode":"51121","sMsg":"..."}],"code":"1","msg":"","inTime":"...","outTime":"..."}
//	{"arg":{"channel":"orders","instType":"ANY","uid":"..."},"data":[{order}, ...]}
//
// An order object (the orders channel, and GET /api/v5/trade/orders-pending and /trade/order)
// gives, among others: instId, ordId, clOrdId, px, sz, accFillSz, state (live,
// partially_filled, filled, canceled), cancelSource, and for the fill it reports fillPx, fillSz,
// tradeId, execType (M maker, T taker), fillFee (negative when paid), fillFeeCcy, fillTime and
// uTime (ms).
//
// Events, per order (orders of another client order id prefix are skipped):
//
//	op answer sCode != "0"          Reject (VenueCode = sCode), for a new order or a cancel
//	op answer / error, no data      Reject of the order named by the request id (first of a batch)
//	first push of an order          OrderAck (Price px, Qty sz, Leaves sz - accFillSz), except:
//	  canceled, cancelSource 31     Reject RejectPostOnly, VenueCode 31 (a crossing post-only)
//	  canceled, cancelSource 13     Reject RejectFOK, VenueCode 13
//	push with fillSz > 0, tradeId   Fill, unless (order, tradeId) was seen: the terminal "filled"
//	                                push repeats accFillSz with fillSz "0" and adds no fill
//	state canceled                  CancelAck (Leaves sz - accFillSz)
//	amend-order answer sCode != "0" Reject of Replace.Order (VenueCode = sCode; 51503, 51509,
//	                                51510 → RejectUnknownOrder); the order stays tracked
//	later push, amendResult "0",    OrderAck again, Price px, Qty sz (the amended total),
//	  not canceled                  Leaves sz - accFillSz; same VenueOrder (OKX keeps ordId)
//	amendResult "-1" / "1" pushes   nothing more (the answer's Reject covers "-1"; "1", a
//	                                cxlOnFail cancel, is never asked for, and is a CancelAck)
//
// A successful amend's answer (sCode "0") adds no event: the push that follows does.
//
// Fill.Fee is the fee paid, positive (OKX's fillFee negated; a rebate is negative), in
// fillFeeCcy at the quantity scale when that is the base asset and at the price scale otherwise,
// rounded to the nearest unit, half away from zero: OKX writes every digit ("-0.0680069" USDT),
// and a coarse price scale (0.1 USDT on BTC-USDT) cannot hold them. Fill.TradeID is
// feed.TradeID(tradeId).

// MsgType is the class of a private-WebSocket message.
type MsgType uint8

const (
	MsgUnknown   MsgType = iota
	MsgLogin             // login answer; Info.Code 0 is success
	MsgError             // {"event":"error"}; Info.Code is OKX's code
	MsgSubscribe         // subscribe or unsubscribe answer
	MsgPong              // the text "pong"
	MsgOp                // answer to an order operation
	MsgOrders            // orders-channel push
)

// Info describes a parsed message beyond its events.
type Info struct {
	Type      MsgType
	Code      int64 // the message's "code" (0 when absent)
	Throttled bool  // some answer was 50011 or 60014: the venue wants the sender to back off
	Skipped   int   // order objects skipped: another prefix, unknown instId, or malformed
}

// Parse errors. They carry no value, so they never allocate.
var (
	ErrMalformed = errors.New("okx: malformed message")
)

// ParserConfig configures a Parser.
type ParserConfig struct {
	Prefix      string             // client order id prefix of this session
	Master      *instrument.Master // OKX listings
	VenueOrders *intern.Table      // venue order ids (nil: a table of its own)
	Assets      *intern.Table      // asset names for Fill.FeeAsset (nil: a table of its own)
	FillMemory  int                // (order, trade id) keys remembered for de-duplication (0: 65536)
	OrderMemory int                // acknowledged orders remembered (0: 65536)
}

// Parser turns private-WebSocket messages and REST order queries into events. It reuses one
// fastjson parser and one event buffer: Parse allocates nothing in steady state (interning a new
// venue order id may grow the intern table; size it with intern.New).
//
// Not safe for concurrent use: a Session calls it under its lock.
type Parser struct {
	prefix string
	venue  event.VenueID
	mk     *markets
	orders *intern.Table
	assets *intern.Table
	fills  *idSet // (OrderID, trade id)
	acked  *idSet // (OrderID, 0): acknowledged, or answered with a Reject
	p      fastjson.Parser
	out    []event.Event

	// live is the set of orders sent and not known to be finished, with their instruments: what
	// a reconnect must reconcile. Updated by Track and by terminal pushes.
	live map[event.OrderID]event.InstrumentID
}

// NewParser returns a parser.
func NewParser(cfg ParserConfig) (*Parser, error) {
	if err := gateway.CheckPrefix(cfg.Prefix); err != nil {
		return nil, err
	}
	if cfg.Master == nil {
		return nil, errors.New("okx: parser needs an instrument master")
	}
	if cfg.VenueOrders == nil {
		cfg.VenueOrders = intern.New(1<<16, 1<<20, 0)
	}
	if cfg.Assets == nil {
		cfg.Assets = intern.New(64, 1024, 0)
	}
	if cfg.FillMemory <= 0 {
		cfg.FillMemory = 1 << 16
	}
	if cfg.OrderMemory <= 0 {
		cfg.OrderMemory = 1 << 16
	}
	mk, err := newMarkets(cfg.Master, cfg.Assets)
	if err != nil {
		return nil, err
	}
	return &Parser{prefix: cfg.Prefix, venue: instrument.VenueOKX, mk: mk, orders: cfg.VenueOrders,
		assets: cfg.Assets, fills: newIDSet(cfg.FillMemory), acked: newIDSet(cfg.OrderMemory),
		out: make([]event.Event, 0, 64), live: make(map[event.OrderID]event.InstrumentID, 4096)}, nil
}

// VenueOrders returns the table venue order ids are interned in.
func (p *Parser) VenueOrders() *intern.Table { return p.orders }

// Track records that order id on instrument inst was sent (a Session calls it per new order).
func (p *Parser) Track(id event.OrderID, inst event.InstrumentID) { p.live[id] = inst }

// Live returns the number of orders sent and not known to be finished.
func (p *Parser) Live() int { return len(p.live) }

// Parse parses one message received at recvTS (ns) and returns its events, valid until the next
// call of any Parser method.
func (p *Parser) Parse(msg []byte, recvTS int64) ([]event.Event, Info, error) {
	p.out = p.out[:0]
	var info Info
	if string(msg) == "pong" {
		info.Type = MsgPong
		return p.out, info, nil
	}
	v, err := p.p.ParseBytes(msg)
	if err != nil || v.Type() != fastjson.TypeObject {
		return p.out, info, ErrMalformed
	}
	info.Code = code(v.Get("code"))
	if ev, ok := feed.StringBytes(v.Get("event")); ok {
		switch string(ev) {
		case "login":
			info.Type = MsgLogin
		case "error":
			info.Type = MsgError
			info.Throttled = info.Code == CodeRateLimit || info.Code == CodeTooFrequent
			if id, ok := feed.StringBytes(v.Get("id")); ok {
				p.rejectRequest(id, info.Code, recvTS)
			}
		case "subscribe", "unsubscribe":
			info.Type = MsgSubscribe
		}
		return p.out, info, nil
	}
	if op, ok := feed.StringBytes(v.Get("op")); ok {
		info.Type = MsgOp
		p.opAnswer(v, op, &info, recvTS)
		return p.out, info, nil
	}
	if arg := v.Get("arg"); arg != nil {
		if ch, _ := feed.StringBytes(arg.Get("channel")); string(ch) == "orders" {
			info.Type = MsgOrders
			for _, o := range v.GetArray("data") {
				if !p.order(o, recvTS, false) {
					info.Skipped++
				}
			}
		}
	}
	return p.out, info, nil
}

// opAnswer handles the answer to an order operation.
func (p *Parser) opAnswer(v *fastjson.Value, op []byte, info *Info, recvTS int64) {
	data := v.GetArray("data")
	if len(data) == 0 {
		if info.Code != 0 {
			info.Throttled = info.Code == CodeRateLimit
			if id, ok := feed.StringBytes(v.Get("id")); ok {
				p.rejectRequest(id, info.Code, recvTS)
			}
		}
		return
	}
	// A refused cancel or amend leaves the order as it was: still tracked, still acknowledged.
	keep := string(op) == "cancel-order" || string(op) == "batch-cancel-orders" ||
		string(op) == "amend-order" || string(op) == "batch-amend-orders"
	for _, d := range data {
		sc := code(d.Get("sCode"))
		if sc == 0 {
			continue
		}
		if sc == CodeRateLimit {
			info.Throttled = true
		}
		cl, _ := feed.StringBytes(d.Get("clOrdId"))
		id, ok := gateway.ParseClientOrderID(p.prefix, cl)
		if !ok {
			info.Skipped++
			continue
		}
		inst := p.live[id]
		if !keep {
			delete(p.live, id)
			p.acked.Add(idKey{uint64(id), 0})
		}
		p.reject(id, inst, sc, RejectReasonOf(sc), recvTS)
	}
}

// rejectRequest rejects the order named by a request id ("n42", "c42", "b42").
func (p *Parser) rejectRequest(reqID []byte, c int64, recvTS int64) {
	if len(reqID) < 2 || (reqID[0] != reqNew && reqID[0] != reqCancel && reqID[0] != reqBatch && reqID[0] != reqAmend) {
		return
	}
	var n uint64
	for _, ch := range reqID[1:] {
		if ch < '0' || ch > '9' {
			return
		}
		n = n*10 + uint64(ch-'0')
	}
	id := event.OrderID(n)
	inst := p.live[id]
	if reqID[0] != reqCancel && reqID[0] != reqAmend {
		delete(p.live, id)
		p.acked.Add(idKey{n, 0})
	}
	p.reject(id, inst, c, RejectReasonOf(c), recvTS)
}

func (p *Parser) reject(id event.OrderID, inst event.InstrumentID, c int64, r event.RejectReason, recvTS int64) {
	e := p.next(inst, recvTS, 0)
	e.Kind = event.KindReject
	*e.Reject() = event.Reject{Order: id, VenueCode: c, Reason: r}
}

// next appends a zeroed event with the common header and returns it.
func (p *Parser) next(inst event.InstrumentID, recvTS, exchTS int64) *event.Event {
	p.out = append(p.out, event.Event{})
	e := &p.out[len(p.out)-1]
	e.Venue, e.Instrument, e.RecvTS, e.ExchTS = p.venue, inst, recvTS, exchTS
	return e
}

// order handles one order object; false when it was skipped. With ackOnly it only acknowledges
// the order (or reports its post-only / fill-or-kill Reject) when that was not done before.
func (p *Parser) order(o *fastjson.Value, recvTS int64, ackOnly bool) bool {
	cl, _ := feed.StringBytes(o.Get("clOrdId"))
	id, ok := gateway.ParseClientOrderID(p.prefix, cl)
	if !ok {
		return false
	}
	instID, _ := feed.StringBytes(o.Get("instId"))
	mk, ok := p.mk.bySymbol(instID)
	if !ok {
		return false
	}
	ordID, _ := feed.StringBytes(o.Get("ordId"))
	if len(ordID) == 0 {
		return false
	}
	sz, err1 := parseTrunc(o.GetStringBytes("sz"), mk.qtyScale)
	acc, err2 := parseTrunc(o.GetStringBytes("accFillSz"), mk.qtyScale)
	if err1 != nil || err2 != nil {
		return false
	}
	vo, err := p.orders.Intern(ordID)
	if err != nil {
		return false
	}
	state := o.GetStringBytes("state")
	canceled := string(state) == "canceled"
	src := code(o.Get("cancelSource"))
	uTime := millis(o.GetStringBytes("uTime"))
	leaves := max(sz-acc, 0)

	first := p.acked.Add(idKey{uint64(id), 0})
	if first {
		if canceled && acc == 0 && (src == CancelPostOnly || src == CancelFOK) {
			r := event.RejectPostOnly
			if src == CancelFOK {
				r = event.RejectFOK
			}
			delete(p.live, id)
			p.reject(id, mk.inst, src, r, recvTS)
			return true
		}
		px, _ := parseTrunc(o.GetStringBytes("px"), mk.priceScale) // "" for market orders: 0
		e := p.next(mk.inst, recvTS, uTime)
		e.Kind = event.KindOrderAck
		*e.OrderAck() = event.OrderAck{Order: id, VenueOrder: event.VenueOrderID(vo), Price: px, Qty: sz, Leaves: leaves}
	}
	if ackOnly {
		return true
	}
	if !first && !canceled && string(o.GetStringBytes("amendResult")) == "0" {
		// An amend took effect: the order acknowledged again with its new price and size.
		px, _ := parseTrunc(o.GetStringBytes("px"), mk.priceScale)
		e := p.next(mk.inst, recvTS, uTime)
		e.Kind = event.KindOrderAck
		*e.OrderAck() = event.OrderAck{Order: id, VenueOrder: event.VenueOrderID(vo), Price: px, Qty: sz, Leaves: leaves}
	}
	if fsz, err := parseTrunc(o.GetStringBytes("fillSz"), mk.qtyScale); err == nil && fsz > 0 {
		tid := o.GetStringBytes("tradeId")
		if len(tid) > 0 && p.fills.Add(idKey{uint64(id), feed.TradeID(tid)}) {
			p.fill(o, id, mk, vo, fsz, feed.TradeID(tid), leaves, recvTS)
		}
	}
	switch {
	case canceled:
		delete(p.live, id)
		e := p.next(mk.inst, recvTS, uTime)
		e.Kind = event.KindCancelAck
		*e.CancelAck() = event.CancelAck{Order: id, Leaves: leaves}
	case string(state) == "filled":
		delete(p.live, id)
	}
	return true
}

// fill appends the Fill of order object o.
func (p *Parser) fill(o *fastjson.Value, id event.OrderID, mk *market, vo uint32, qty int64, tid uint64, leaves, recvTS int64) {
	px, _ := parseTrunc(o.GetStringBytes("fillPx"), mk.priceScale)
	ccy := o.GetStringBytes("fillFeeCcy")
	if len(ccy) == 0 {
		ccy = o.GetStringBytes("feeCcy") // /trade/fills objects
	}
	feeText := o.GetStringBytes("fillFee")
	if o.Get("fillFee") == nil {
		feeText = o.GetStringBytes("fee")
	}
	var asset uint32
	feeScale := mk.priceScale
	switch string(ccy) {
	case mk.base:
		asset, feeScale = mk.baseID, mk.qtyScale
	case mk.quote:
		asset = mk.quoteID
	default:
		asset, _ = p.assets.Lookup(ccy)
	}
	fee, _ := parseRound(feeText, feeScale)
	liq := event.LiquidityUnknown
	switch string(o.GetStringBytes("execType")) {
	case "M":
		liq = event.LiquidityMaker
	case "T":
		liq = event.LiquidityTaker
	}
	e := p.next(mk.inst, recvTS, millis(o.GetStringBytes("fillTime")))
	e.Kind = event.KindFill
	*e.Fill() = event.Fill{Order: id, VenueOrder: event.VenueOrderID(vo), Price: px, Qty: qty, Fee: -fee,
		TradeID: tid, Leaves: leaves, Liquidity: liq, FeeAsset: asset}
}

// code returns the decimal value of a code given as a JSON string or number ("0" and absent: 0;
// anything else not a number: -1).
func code(v *fastjson.Value) int64 {
	if v == nil {
		return 0
	}
	var b []byte
	switch v.Type() {
	case fastjson.TypeString:
		b = v.GetStringBytes()
	case fastjson.TypeNumber:
		n, _ := v.Int64()
		return n
	default:
		return -1
	}
	if len(b) == 0 {
		return 0
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' || n > 1<<58 {
			return -1
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// millis returns the ns of a millisecond timestamp text ("1597026383085"), 0 when absent.
func millis(b []byte) int64 {
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' || n > 1<<50 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n * 1_000_000
}

// errEmpty is parseTrunc's error for empty text.
var errEmpty = errors.New("okx: empty decimal")

// parseRound parses a decimal at scale, rounding digits beyond the scale to the nearest unit,
// half away from zero.
func parseRound(b []byte, scale uint8) (int64, error) {
	up := false
	for i, c := range b {
		if c == '.' {
			if j := i + 1 + int(scale); j < len(b) {
				up = b[j] >= '5'
			}
			break
		}
	}
	v, err := parseTrunc(b, scale)
	if err != nil || !up {
		return v, err
	}
	if len(b) > 0 && b[0] == '-' {
		return v - 1, nil
	}
	return v + 1, nil
}

// parseTrunc parses a decimal at scale, dropping digits beyond the scale (truncation toward
// zero): OKX writes fees and averages with more digits than the listing's scales.
func parseTrunc(b []byte, scale uint8) (int64, error) {
	if len(b) == 0 {
		return 0, errEmpty
	}
	for i, c := range b {
		if c == '.' {
			if len(b)-i-1 > int(scale) {
				b = b[:i+1+int(scale)]
				if scale == 0 {
					b = b[:i]
				}
			}
			break
		}
	}
	return fixed.Parse(b, scale)
}

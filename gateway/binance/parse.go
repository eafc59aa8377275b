package binance

import (
	"bytes"
	"errors"
	"strconv"
	"time"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/core/intern"
	"ems/gateway"
)

// Messages of the WebSocket API connection (web-socket-api.md, user-data-stream.md; venue specs
// 1.4), one text frame each:
//
//	response         {"id":7,"status":200,"result":{…},"rateLimits":[{…},…]}
//	error response   {"id":7,"status":400,"error":{"code":-1013,"msg":"Filter failure: LOT_SIZE"},"rateLimits":[…]}
//	cancel-replace   {"id":7,"status":400,"error":{"code":-2022,"msg":"Order cancel-replace failed.",
//	 failure          "data":{"cancelResult":"FAILURE","newOrderResult":"NOT_ATTEMPTED",
//	                  "cancelResponse":{"code":-2011,"msg":"Unknown order sent."},"newOrderResponse":null}}}
//	                 (-2021 "partially failed": one part SUCCESS, the other's {code,msg})
//	throttled        {"id":7,"status":429,"error":{"code":-1015,"msg":"…","data":{"serverTime":…,"retryAfter":…}}}
//	user data event  {"subscriptionId":0,"event":{"e":"executionReport","E":…,"s":"BTCUSDT","c":"e7k2x42",…}}
//	listenKey stream {"stream":"<listenKey>","data":{"e":"executionReport",…}}   (also accepted)
//
// executionReport fields used (x = execution type, X = order status):
//
//	s symbol  c client order id  C original client order id (cancels)  q order qty  p price
//	x NEW | TRADE | CANCELED | EXPIRED | EXPIRED_IN_MATCH | REJECTED | TRADE_PREVENTION | …
//	X order status  r reject reason  i venue order id  l last qty  z cumulative qty  L last price
//	n commission  N commission asset (null when none)  t trade id (-1 when none)  m maker  E event ms
//
// Events: x NEW → OrderAck; TRADE → Fill (dropped when its (symbol, t) was seen); CANCELED,
// EXPIRED, EXPIRED_IN_MATCH, or any other x with X CANCELED/EXPIRED → CancelAck; REJECTED →
// Reject. Orders whose client id lacks the session prefix (placed elsewhere) give no event.

// MsgKind says what Parse found.
type MsgKind uint8

const (
	MsgOther      MsgKind = 0 // anything else (other user data events, unknown shapes)
	MsgResponse   MsgKind = 1 // a response to a request: see Parser.Response
	MsgExecReport MsgKind = 2 // an executionReport
)

// Parse errors (fixed values: a malformed message allocates only inside fastjson).
var (
	ErrMessage = errors.New("binance: message is not a JSON object")
	ErrReport  = errors.New("binance: executionReport with a missing or malformed field")
)

// maxRateLimits is the number of rateLimits entries kept per response.
const maxRateLimits = 4

// ReplaceResult is one part's outcome in a cancel-replace answer (cancelResult,
// newOrderResult).
type ReplaceResult uint8

const (
	ReplaceNone         ReplaceResult = iota // absent: not a cancel-replace failure with data
	ReplaceSuccess                           // SUCCESS
	ReplaceFailure                           // FAILURE: the part's code and msg are set
	ReplaceNotAttempted                      // NOT_ATTEMPTED
)

func replaceResult(b []byte) ReplaceResult {
	switch string(b) {
	case "SUCCESS":
		return ReplaceSuccess
	case "FAILURE":
		return ReplaceFailure
	case "NOT_ATTEMPTED":
		return ReplaceNotAttempted
	}
	return ReplaceNone
}

// Response is the parsed envelope of a response. Msg aliases the parser's buffer: valid until the
// next Parse.
type Response struct {
	ID             uint64 // the request id (the session's ids are numbers)
	HasID          bool   // false for a null or non-numeric id
	Status         int    // HTTP-like status: 200, 400, 429, 418, …
	Code           int64  // error code (0 on success)
	Msg            []byte // error message
	RetryAfterMs   int64  // error.data.retryAfter (ms since the epoch), 0 when absent
	SubscriptionID int64  // result.subscriptionId, -1 when absent
	// A cancel-replace failure's error.data: each part's outcome, and a failed part's code and
	// message (Msg aliases like Msg).
	CancelResult, NewOrderResult ReplaceResult
	CancelCode, NewOrderCode     int64
	CancelMsg, NewOrderMsg       []byte
	Limits                       [maxRateLimits]RateLimit
	NLimits                      int
}

// Parser turns WebSocket API messages into events. It interns venue order ids and fee assets,
// and remembers recent trade ids to drop repeated fills.
//
// Owned by one goroutine (the session's reader); not safe for concurrent use. Events are written
// into the caller's slice; the Response and any byte slices it holds are valid until the next
// Parse. Steady state allocates nothing (interning a new order id may grow the table: size it
// with ParserConfig).
type Parser struct {
	p       fastjson.Parser
	prefix  string
	markets *Markets
	orders  *intern.Table
	assets  *intern.Table
	seen    *TradeSet
	resp    Response
	result  *fastjson.Value // result of the last response, valid until the next Parse
	num     [24]byte

	// Counters, read by the owner.
	Duplicates uint64 // fills dropped as already seen
	Foreign    uint64 // execution reports of orders without the session prefix
}

// ParserConfig sizes a Parser.
type ParserConfig struct {
	Prefix      string // client order id prefix of the session
	OrderIDs    int    // expected distinct venue order ids (intern table capacity); 0: 1<<16
	TradeWindow int    // trades remembered for de-duplication; 0: 1<<14
}

// NewParser returns a parser for markets' symbols.
func NewParser(markets *Markets, cfg ParserConfig) (*Parser, error) {
	if err := gateway.CheckPrefix(cfg.Prefix); err != nil {
		return nil, err
	}
	if cfg.OrderIDs <= 0 {
		cfg.OrderIDs = 1 << 16
	}
	if cfg.TradeWindow <= 0 {
		cfg.TradeWindow = 1 << 14
	}
	return &Parser{
		prefix:  cfg.Prefix,
		markets: markets,
		orders:  intern.New(cfg.OrderIDs, cfg.OrderIDs*12, 0),
		assets:  intern.New(64, 512, 0),
		seen:    NewTradeSet(cfg.TradeWindow),
	}, nil
}

// Response returns the envelope of the last message Parse reported as MsgResponse.
func (p *Parser) Response() *Response { return &p.resp }

// VenueOrder returns the venue order id text of an interned id (nil when unknown).
func (p *Parser) VenueOrder(id event.VenueOrderID) []byte { return p.orders.Name(uint32(id)) }

// Asset returns the asset name of an interned fee asset id (nil when unknown).
func (p *Parser) Asset(id uint32) []byte { return p.assets.Name(id) }

// Trades returns the set of fills seen, for reconciliation.
func (p *Parser) Trades() *TradeSet { return p.seen }

// Parse parses one message received at recvTS (ns) and appends its events to out.
func (p *Parser) Parse(msg []byte, recvTS int64, out []event.Event) ([]event.Event, MsgKind, error) {
	v, err := p.p.ParseBytes(msg)
	if err != nil {
		return out, MsgOther, err
	}
	if v.Type() != fastjson.TypeObject {
		return out, MsgOther, ErrMessage
	}
	ev := v.Get("event") // WebSocket API subscription: {"subscriptionId":N,"event":{…}}
	if ev == nil || v.Get("subscriptionId") == nil {
		ev = v.Get("data") // listenKey stream, combined: {"stream":"<listenKey>","data":{…}}
		if ev != nil && v.Get("stream") == nil {
			ev = nil
		}
	}
	if ev != nil {
		if !bytes.Equal(ev.GetStringBytes("e"), []byte("executionReport")) {
			return out, MsgOther, nil
		}
		out, err = p.execReport(ev, recvTS, out)
		return out, MsgExecReport, err
	}
	if v.Get("status") == nil {
		return out, MsgOther, nil
	}
	p.response(v)
	return out, MsgResponse, nil
}

func (p *Parser) response(v *fastjson.Value) {
	r := &p.resp
	*r = Response{SubscriptionID: -1}
	p.result = nil
	if id := v.Get("id"); id != nil && id.Type() == fastjson.TypeNumber {
		if n, err := id.Uint64(); err == nil {
			r.ID, r.HasID = n, true
		}
	}
	r.Status = v.GetInt("status")
	if e := v.Get("error"); e != nil {
		r.Code = e.GetInt64("code")
		r.Msg = e.GetStringBytes("msg")
		if d := e.Get("data"); d != nil && d.Type() == fastjson.TypeObject {
			r.RetryAfterMs = d.GetInt64("retryAfter")
			r.CancelResult = replaceResult(d.GetStringBytes("cancelResult"))
			r.NewOrderResult = replaceResult(d.GetStringBytes("newOrderResult"))
			if r.CancelResult == ReplaceFailure {
				r.CancelCode = d.GetInt64("cancelResponse", "code")
				r.CancelMsg = d.GetStringBytes("cancelResponse", "msg")
			}
			if r.NewOrderResult == ReplaceFailure {
				r.NewOrderCode = d.GetInt64("newOrderResponse", "code")
				r.NewOrderMsg = d.GetStringBytes("newOrderResponse", "msg")
			}
		}
	}
	if res := v.Get("result"); res != nil {
		p.result = res
		if s := res.Get("subscriptionId"); s != nil && res.Type() == fastjson.TypeObject {
			r.SubscriptionID = s.GetInt64()
		}
	}
	for _, l := range v.GetArray("rateLimits") {
		if r.NLimits == maxRateLimits {
			break
		}
		rl := RateLimit{Limit: l.GetInt64("limit"), Count: l.GetInt64("count")}
		switch string(l.GetStringBytes("rateLimitType")) {
		case "REQUEST_WEIGHT":
			rl.Type = RateLimitRequestWeight
		case "ORDERS":
			rl.Type = RateLimitOrders
		}
		var unit time.Duration
		switch string(l.GetStringBytes("interval")) {
		case "SECOND":
			unit = time.Second
		case "MINUTE":
			unit = time.Minute
		case "HOUR":
			unit = time.Hour
		case "DAY":
			unit = 24 * time.Hour
		}
		rl.Span = l.GetInt64("intervalNum") * int64(unit)
		r.Limits[r.NLimits] = rl
		r.NLimits++
	}
}

// execReport appends the event of one executionReport.
func (p *Parser) execReport(v *fastjson.Value, recvTS int64, out []event.Event) ([]event.Event, error) {
	mk, ok := p.markets.BySymbol(v.GetStringBytes("s"))
	if !ok {
		return out, ErrReport
	}
	x := v.GetStringBytes("x")
	status := v.GetStringBytes("X")
	cid := v.GetStringBytes("c")
	ending := false
	switch string(x) {
	case "NEW", "TRADE", "REJECTED":
	case "CANCELED", "EXPIRED", "EXPIRED_IN_MATCH":
		ending = true
	default:
		switch string(status) {
		case "CANCELED", "EXPIRED", "EXPIRED_IN_MATCH":
			ending = true
		default:
			return out, nil // REPLACED, TRADE_PREVENTION on a live order, …: no state change
		}
	}
	if ending {
		if orig := v.GetStringBytes("C"); len(orig) > 0 {
			cid = orig // a cancel's report carries the cancel's id in c and the order's in C
		}
	}
	order, ok := gateway.ParseClientOrderID(p.prefix, cid)
	if !ok {
		p.Foreign++
		return out, nil
	}
	l := mk.Listing
	qty, err1 := fixed.Parse(v.GetStringBytes("q"), l.QtyScale)
	cum, err2 := fixed.Parse(v.GetStringBytes("z"), l.QtyScale)
	if err1 != nil || err2 != nil {
		return out, ErrReport
	}
	out = append(out, event.Event{Venue: instrument.VenueBinance, Instrument: l.Instrument,
		ExchTS: v.GetInt64("E") * int64(time.Millisecond), RecvTS: recvTS})
	e := &out[len(out)-1]
	switch {
	case ending:
		e.Kind = event.KindCancelAck
		*e.CancelAck() = event.CancelAck{Order: order, Leaves: qty - cum}
		return out, nil
	case string(x) == "REJECTED":
		e.Kind = event.KindReject
		*e.Reject() = event.Reject{Order: order, Reason: event.RejectUnknown}
		return out, nil
	}
	vo, err := p.venueOrder(v.Get("i"))
	if err != nil {
		return out[:len(out)-1], ErrReport
	}
	if string(x) == "NEW" {
		price, err := fixed.Parse(v.GetStringBytes("p"), l.PriceScale)
		if err != nil {
			return out[:len(out)-1], ErrReport
		}
		e.Kind = event.KindOrderAck
		*e.OrderAck() = event.OrderAck{Order: order, VenueOrder: vo, Price: price, Qty: qty, Leaves: qty - cum}
		return out, nil
	}
	// TRADE
	tid := v.GetInt64("t")
	if tid < 0 {
		return out[:len(out)-1], ErrReport
	}
	if !p.seen.Add(l.Instrument, uint64(tid)) {
		p.Duplicates++
		return out[:len(out)-1], nil
	}
	last, err1 := fixed.Parse(v.GetStringBytes("l"), l.QtyScale)
	price, err2 := fixed.Parse(v.GetStringBytes("L"), l.PriceScale)
	if err1 != nil || err2 != nil {
		return out[:len(out)-1], ErrReport
	}
	f := event.Fill{Order: order, VenueOrder: vo, Price: price, Qty: last, TradeID: uint64(tid),
		Leaves: qty - cum, Liquidity: event.LiquidityTaker}
	if v.GetBool("m") {
		f.Liquidity = event.LiquidityMaker
	}
	if asset := v.GetStringBytes("N"); len(asset) > 0 {
		id, err := p.assets.Intern(asset)
		if err != nil {
			return out[:len(out)-1], ErrReport
		}
		f.FeeAsset = id
		scale := l.QtyScale
		if string(asset) == mk.Quote {
			scale = l.PriceScale
		}
		if f.Fee, err = parseTrunc(v.GetStringBytes("n"), scale); err != nil {
			return out[:len(out)-1], ErrReport
		}
	}
	e.Kind = event.KindFill
	*e.Fill() = f
	return out, nil
}

// venueOrder interns the venue order id (a JSON number) as its decimal text.
func (p *Parser) venueOrder(v *fastjson.Value) (event.VenueOrderID, error) {
	if v == nil || v.Type() != fastjson.TypeNumber {
		return 0, ErrReport
	}
	n, err := v.Int64()
	if err != nil || n < 0 {
		return 0, ErrReport
	}
	id, err := p.orders.Intern(strconv.AppendInt(p.num[:0], n, 10))
	return event.VenueOrderID(id), err
}

// parseTrunc parses a decimal at scale, dropping digits past the scale (toward zero): Binance
// writes commissions with 8 decimals, finer than many listings' scales.
func parseTrunc(b []byte, scale uint8) (int64, error) {
	if dot := bytes.IndexByte(b, '.'); dot >= 0 {
		switch keep := dot + 1 + int(scale); {
		case scale == 0:
			b = b[:dot]
		case keep < len(b):
			b = b[:keep]
		}
	}
	return fixed.Parse(b, scale)
}

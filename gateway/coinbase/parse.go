package coinbase

// Answers the gateway reads (venue specs section 5; field order is the venue's and irrelevant):
//
//	POST orders        200 {"success":true,"order_id":"<id>","success_response":{"order_id","product_id","side","client_order_id"},...}
//	                   200 {"success":false,"error_response":{"error","message","error_details",
//	                        "preview_failure_reason","new_order_failure_reason"},...}
//	orders/edit        200 {"success":true,"errors":[]}
//	                   200 {"success":false,"errors":[{"edit_failure_reason":"<code>","preview_failure_reason":"<code>"}]}
//	batch_cancel       200 {"results":[{"success":bool,"failure_reason":"<code>","order_id":"<id>"},...]}
//	HTTP errors        4xx/5xx {"error":"<gRPC status name>","error_details":"...","message":"..."}
//	                   (429 may come as an HTML page: the status alone decides then)
//	user channel       {"channel":"user","sequence_num":N,"events":[{"type":"snapshot"|"update","orders":[
//	                     {"order_id","client_order_id","cumulative_quantity","leaves_quantity","avg_price",
//	                      "total_fees","status","product_id","order_side","order_type",...}]}]}
//	                   {"channel":"subscriptions"|"heartbeats",...}  {"type":"error","message":"..."}
//	historical/fills   {"fills":[{"entry_id","trade_id","order_id","trade_time","price","size","commission",
//	                     "product_id","liquidity_indicator":"MAKER"|"TAKER",...}],"cursor":""}  newest first
//	historical/batch   {"orders":[{"order_id","client_order_id","product_id","status","filled_size",...}],
//	                     "has_next":bool,"cursor":""}
//
// The user channel reports an order's cumulative state, not its executions: it carries no trade
// id and no execution price. Fills are therefore read from historical/fills (exact price, size,
// commission, trade id, liquidity) when the cumulative quantity grows.

import (
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/feed"
	"ems/gateway"
)

// ErrAnswer is wrapped by the errors of an answer the parser cannot read.
var ErrAnswer = errors.New("coinbase: malformed venue answer")

// OrderStatus is an order's status as the venue reports it.
type OrderStatus uint8

const (
	StatusUnknown   OrderStatus = iota
	StatusPending               // PENDING, QUEUED: accepted, not yet on the book
	StatusOpen                  // OPEN, CANCEL_QUEUED
	StatusFilled                // FILLED
	StatusCancelled             // CANCELLED, EXPIRED
	StatusFailed                // FAILED
)

func statusOf(b []byte) OrderStatus {
	switch string(b) {
	case "OPEN", "CANCEL_QUEUED":
		return StatusOpen
	case "PENDING", "QUEUED":
		return StatusPending
	case "FILLED":
		return StatusFilled
	case "CANCELLED", "EXPIRED":
		return StatusCancelled
	case "FAILED":
		return StatusFailed
	}
	return StatusUnknown
}

// Terminal reports whether the order is gone from the venue.
func (s OrderStatus) Terminal() bool {
	return s == StatusFilled || s == StatusCancelled || s == StatusFailed
}

// Failure is a refusal: the venue's code and its reject reason.
type Failure struct {
	Code      []byte // the venue's code as sent ("INVALID_PRICE_PRECISION"); nil for a bare HTTP status
	VenueCode int64  // CodeOf(Code); 0 when unknown
	Reason    event.RejectReason
	Status    int // HTTP status
}

// CreateResult is the answer to POST orders.
type CreateResult struct {
	OK         bool
	VenueOrder []byte // order_id when OK
	ClientID   []byte // success_response.client_order_id when OK
	Failure    Failure
}

// EditResult is the answer to orders/edit: OK, or the refusal (Failure).
type EditResult struct {
	OK      bool
	Failure Failure
}

// CancelResult is one batch_cancel result.
type CancelResult struct {
	OK         bool
	VenueOrder []byte
	Failure    Failure // when !OK
}

// OrderUpdate is one order's state: a user channel order, or a historical/batch order.
// Quantities are decimal text at the listing's quantity scale.
type OrderUpdate struct {
	VenueOrder []byte
	ClientID   []byte
	Product    []byte
	Status     OrderStatus
	CumQty     []byte // cumulative_quantity (user) or filled_size (historical)
	Leaves     []byte // leaves_quantity; nil from historical/batch
}

// FillRecord is one historical/fills execution. Price and commission are decimal text at the
// listing's price scale (commission in the quote asset), Size at its quantity scale.
type FillRecord struct {
	TradeID    uint64 // feed.TradeID of trade_id
	VenueOrder []byte
	Product    []byte
	Price      []byte
	Size       []byte
	Commission []byte
	Liquidity  event.Liquidity
}

// UserKind says what a WebSocket message is.
type UserKind uint8

const (
	UserOther         UserKind = iota // heartbeats, subscriptions, other channels
	UserOrders                        // user channel orders (Orders holds them)
	UserError                         // {"type":"error"}: Text holds the message
	UserSubscriptions                 // subscriptions answer
)

// UserMessage is a parsed WebSocket message.
type UserMessage struct {
	Kind     UserKind
	Snapshot bool // a user channel snapshot (open orders when the subscription starts)
	Seq      int64
	Orders   []OrderUpdate
	Text     []byte
}

// Parser reads the venue's answers with a reused fastjson parser. Every slice it returns points
// into the parsed message or the Parser's scratch and is valid until the Parser's next call.
//
// A Parser is owned by one goroutine; it is not safe for concurrent use. In steady state it does
// not allocate (the scratch slices grow to the largest answer once).
type Parser struct {
	p       fastjson.Parser
	cancels []CancelResult
	orders  []OrderUpdate
	fills   []FillRecord
}

// NewParser returns a Parser.
func NewParser() *Parser {
	return &Parser{cancels: make([]CancelResult, 0, 8), orders: make([]OrderUpdate, 0, 16), fills: make([]FillRecord, 0, 16)}
}

// httpFailure reads an HTTP error answer.
func (p *Parser) httpFailure(status int, body []byte) Failure {
	f := Failure{Status: status, Reason: statusReason(status)}
	v, err := p.p.ParseBytes(body)
	if err != nil {
		return f
	}
	if c, ok := feed.StringBytes(v.Get("error")); ok && len(c) > 0 {
		f.Code = c
		if n, r := CodeOf(c); n != 0 {
			f.VenueCode, f.Reason = n, r
		}
	}
	return f
}

// ParseCreate reads the answer to POST orders with HTTP status.
func (p *Parser) ParseCreate(status int, body []byte) (CreateResult, error) {
	if status != 200 {
		return CreateResult{Failure: p.httpFailure(status, body)}, nil
	}
	v, err := p.p.ParseBytes(body)
	if err != nil {
		return CreateResult{}, fmt.Errorf("%w: create: %v", ErrAnswer, err)
	}
	if v.GetBool("success") {
		r := CreateResult{OK: true}
		sr := v.Get("success_response")
		r.VenueOrder, _ = feed.StringBytes(v.Get("order_id"))
		if len(r.VenueOrder) == 0 {
			r.VenueOrder, _ = feed.StringBytes(sr.Get("order_id"))
		}
		r.ClientID, _ = feed.StringBytes(sr.Get("client_order_id"))
		if len(r.VenueOrder) == 0 {
			return CreateResult{}, fmt.Errorf("%w: create: success without order_id", ErrAnswer)
		}
		return r, nil
	}
	er := v.Get("error_response")
	f := Failure{Status: status}
	// The first field that names a known, specific cause decides; the venue sets the generic
	// UNKNOWN_FAILURE_REASON in error when only the preview reason is specific.
	for _, name := range [...]string{"error", "new_order_failure_reason", "preview_failure_reason"} {
		c, ok := feed.StringBytes(er.Get(name))
		if !ok || len(c) == 0 {
			continue
		}
		n, r := CodeOf(c)
		if f.Code == nil {
			f.Code, f.VenueCode, f.Reason = c, n, r
		}
		if r != event.RejectUnknown {
			f.Code, f.VenueCode, f.Reason = c, n, r
			break
		}
	}
	if f.Code == nil {
		if c, ok := feed.StringBytes(v.Get("failure_reason")); ok {
			f.Code = c
			f.VenueCode, f.Reason = CodeOf(c)
		}
	}
	return CreateResult{Failure: f}, nil
}

// ParseEdit reads the answer to orders/edit with HTTP status. Of the first error's
// edit_failure_reason and preview_failure_reason, the first that names a specific cause decides
// (the venue may set the generic UNKNOWN_EDIT_ORDER_FAILURE_REASON with a specific preview
// reason); without either the Failure is RejectUnknown, VenueCode 0.
func (p *Parser) ParseEdit(status int, body []byte) (EditResult, error) {
	if status != 200 {
		return EditResult{Failure: p.httpFailure(status, body)}, nil
	}
	v, err := p.p.ParseBytes(body)
	if err != nil {
		return EditResult{}, fmt.Errorf("%w: edit: %v", ErrAnswer, err)
	}
	sv := v.Get("success")
	if sv == nil {
		return EditResult{}, fmt.Errorf("%w: edit: no success", ErrAnswer)
	}
	if v.GetBool("success") {
		return EditResult{OK: true}, nil
	}
	f := Failure{Status: status, Reason: event.RejectUnknown}
	er := v.Get("errors", "0")
	for _, name := range [...]string{"edit_failure_reason", "preview_failure_reason"} {
		c, ok := feed.StringBytes(er.Get(name))
		if !ok || len(c) == 0 {
			continue
		}
		n, r := CodeOf(c)
		if f.Code == nil {
			f.Code, f.VenueCode, f.Reason = c, n, r
		}
		if r != event.RejectUnknown {
			f.Code, f.VenueCode, f.Reason = c, n, r
			break
		}
	}
	return EditResult{Failure: f}, nil
}

// ParseCancel reads the answer to batch_cancel with HTTP status. An HTTP error is one failure
// for the whole request (results empty, failure set).
func (p *Parser) ParseCancel(status int, body []byte) (results []CancelResult, failure Failure, err error) {
	if status != 200 {
		return nil, p.httpFailure(status, body), nil
	}
	v, err := p.p.ParseBytes(body)
	if err != nil {
		return nil, Failure{}, fmt.Errorf("%w: batch_cancel: %v", ErrAnswer, err)
	}
	arr := v.GetArray("results")
	if arr == nil {
		return nil, Failure{}, fmt.Errorf("%w: batch_cancel: no results", ErrAnswer)
	}
	out := p.cancels[:0]
	for _, r := range arr {
		c := CancelResult{OK: r.GetBool("success")}
		c.VenueOrder, _ = feed.StringBytes(r.Get("order_id"))
		if !c.OK {
			code, _ := feed.StringBytes(r.Get("failure_reason"))
			c.Failure = Failure{Code: code, Status: status}
			c.Failure.VenueCode, c.Failure.Reason = CodeOf(code)
		}
		out = append(out, c)
	}
	p.cancels = out
	return out, Failure{}, nil
}

// ParseUser reads one WebSocket message of the user connection.
func (p *Parser) ParseUser(msg []byte) (UserMessage, error) {
	v, err := p.p.ParseBytes(msg)
	if err != nil {
		return UserMessage{}, fmt.Errorf("%w: websocket: %v", ErrAnswer, err)
	}
	if t, _ := feed.StringBytes(v.Get("type")); string(t) == "error" {
		m, _ := feed.StringBytes(v.Get("message"))
		return UserMessage{Kind: UserError, Text: m}, nil
	}
	ch, _ := feed.StringBytes(v.Get("channel"))
	m := UserMessage{Seq: v.GetInt64("sequence_num")}
	switch string(ch) {
	case "user":
	case "subscriptions":
		m.Kind = UserSubscriptions
		return m, nil
	default:
		return m, nil
	}
	m.Kind = UserOrders
	out := p.orders[:0]
	for _, ev := range v.GetArray("events") {
		if t, _ := feed.StringBytes(ev.Get("type")); string(t) == "snapshot" {
			m.Snapshot = true
		}
		for _, o := range ev.GetArray("orders") {
			out = append(out, orderUpdate(o, "cumulative_quantity", "leaves_quantity"))
		}
	}
	p.orders = out
	m.Orders = out
	return m, nil
}

func orderUpdate(o *fastjson.Value, cum, leaves string) OrderUpdate {
	var u OrderUpdate
	u.VenueOrder, _ = feed.StringBytes(o.Get("order_id"))
	u.ClientID, _ = feed.StringBytes(o.Get("client_order_id"))
	u.Product, _ = feed.StringBytes(o.Get("product_id"))
	st, _ := feed.StringBytes(o.Get("status"))
	u.Status = statusOf(st)
	u.CumQty, _ = feed.StringBytes(o.Get(cum))
	if leaves != "" {
		u.Leaves, _ = feed.StringBytes(o.Get(leaves))
	}
	return u
}

// ParseFills reads the answer to GET orders/historical/fills (newest first, as sent).
func (p *Parser) ParseFills(status int, body []byte) ([]FillRecord, Failure, error) {
	if status != 200 {
		return nil, p.httpFailure(status, body), nil
	}
	v, err := p.p.ParseBytes(body)
	if err != nil {
		return nil, Failure{}, fmt.Errorf("%w: fills: %v", ErrAnswer, err)
	}
	out := p.fills[:0]
	for _, f := range v.GetArray("fills") {
		var r FillRecord
		id, ok := feed.StringBytes(f.Get("trade_id"))
		if !ok || len(id) == 0 {
			return nil, Failure{}, fmt.Errorf("%w: fill without trade_id", ErrAnswer)
		}
		r.TradeID = feed.TradeID(id)
		r.VenueOrder, _ = feed.StringBytes(f.Get("order_id"))
		r.Product, _ = feed.StringBytes(f.Get("product_id"))
		r.Price, _ = feed.StringBytes(f.Get("price"))
		r.Size, _ = feed.StringBytes(f.Get("size"))
		r.Commission, _ = feed.StringBytes(f.Get("commission"))
		switch li, _ := feed.StringBytes(f.Get("liquidity_indicator")); string(li) {
		case "MAKER":
			r.Liquidity = event.LiquidityMaker
		case "TAKER":
			r.Liquidity = event.LiquidityTaker
		}
		out = append(out, r)
	}
	p.fills = out
	return out, Failure{}, nil
}

// ParseOrders reads the answer to GET orders/historical/batch.
func (p *Parser) ParseOrders(status int, body []byte) ([]OrderUpdate, Failure, error) {
	if status != 200 {
		return nil, p.httpFailure(status, body), nil
	}
	v, err := p.p.ParseBytes(body)
	if err != nil {
		return nil, Failure{}, fmt.Errorf("%w: orders: %v", ErrAnswer, err)
	}
	out := p.orders[:0]
	for _, o := range v.GetArray("orders") {
		out = append(out, orderUpdate(o, "filled_size", ""))
	}
	p.orders = out
	return out, Failure{}, nil
}

// ClientOrder returns the OrderID in a client order id of session prefix; ok is false for
// another session's or a hand-placed order.
func ClientOrder(prefix string, clientID []byte) (event.OrderID, bool) {
	return gateway.ParseClientOrderID(prefix, clientID)
}

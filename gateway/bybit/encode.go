package bybit

// Order encoding: core events to Bybit v5 order requests.
//
// # Wire shapes
//
// The order object is the same for the trade WebSocket's args and a REST body:
//
//	create  {"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.3",
//	         "price":"68000","timeInForce":"PostOnly","orderLinkId":"e7k2x42"}
//	        (spot market orders add "marketUnit":"baseCoin" so qty is in the base asset, as
//	         for limit orders; market orders carry no price and no timeInForce: Bybit uses IOC)
//	cancel  {"category":"spot","symbol":"BTCUSDT","orderLinkId":"e7k2x42"}
//	amend   {"category":"linear","symbol":"BTCUSDT","orderLinkId":"e7k2x42","qty":"0.2","price":"67990.5"}
//
// A trade WebSocket request wraps one object:
//
//	{"reqId":"c42.7","header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},
//	 "op":"order.create","args":[{...}]}
//
// The reqId names the operation (c create, x cancel, a amend), the OrderID and the connection's
// request sequence: Bybit answers a refused create with an empty data object, so the reqId is
// what ties the refusal to its order; the sequence keeps reqIds unique on the connection (Bybit
// refuses a repeated reqId with 20006). The order keeps its orderLinkId across an amend: Bybit
// amends in place, so Replace.NewOrder is not used.

import (
	"errors"
	"strconv"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/gateway"
)

// Encoding errors. They are values, so a refusal allocates nothing.
var (
	ErrKind       = errors.New("bybit: event kind is not an order request")
	ErrInstrument = errors.New("bybit: instrument has no Bybit listing")
	ErrQty        = errors.New("bybit: quantity must be positive")
	ErrPrice      = errors.New("bybit: limit price must be positive")
	ErrSide       = errors.New("bybit: side must be buy or sell")
)

// Request ops as the reqId's first byte.
const (
	reqCreate = 'c'
	reqCancel = 'x'
	reqAmend  = 'a'
)

// Encoder turns order events into Bybit order requests, appending into caller buffers. It holds
// only read-only configuration: it is safe for concurrent use, and it never allocates when dst
// has room.
type Encoder struct {
	prefix     string
	master     *instrument.Master
	recvWindow int64 // ms
}

// NewEncoder returns an encoder for client order ids under prefix (see gateway.CheckPrefix),
// with listings from master and recvWindow (ms; 0: DefaultRecvWindow) in request headers.
func NewEncoder(prefix string, master *instrument.Master, recvWindow int64) (*Encoder, error) {
	if err := gateway.CheckPrefix(prefix); err != nil {
		return nil, err
	}
	if master == nil {
		return nil, errors.New("bybit: no instrument master")
	}
	if recvWindow <= 0 {
		recvWindow = DefaultRecvWindow
	}
	return &Encoder{prefix: prefix, master: master, recvWindow: recvWindow}, nil
}

// Prefix returns the client order id prefix.
func (c *Encoder) Prefix() string { return c.prefix }

// listing returns the Bybit listing of instrument id.
func (c *Encoder) listing(id event.InstrumentID) (*instrument.Listing, error) {
	in, ok := c.master.ByID(id)
	if !ok {
		return nil, ErrInstrument
	}
	l, ok := in.Listing(instrument.VenueBybit)
	if !ok {
		return nil, ErrInstrument
	}
	return l, nil
}

// category returns Bybit's category of a listing: spot, or linear for derivatives.
func category(l *instrument.Listing) string {
	if l.Segment == instrument.SegmentSpot {
		return "spot"
	}
	return "linear"
}

// AppendRequest appends the trade WebSocket request of e (KindNewOrder, KindCancel or
// KindReplace) with request sequence seq, stamped tsMs (the venue's clock, ms). On error dst is
// returned unchanged.
func (c *Encoder) AppendRequest(dst []byte, e *event.Event, seq uint64, tsMs int64) ([]byte, error) {
	start := len(dst)
	var op byte
	var id event.OrderID
	var name string
	switch e.Kind {
	case event.KindNewOrder:
		op, id, name = reqCreate, e.Order().Order, "order.create"
	case event.KindCancel:
		op, id, name = reqCancel, e.Cancel().Order, "order.cancel"
	case event.KindReplace:
		op, id, name = reqAmend, e.Replace().Order, "order.amend"
	default:
		return dst, ErrKind
	}
	dst = append(dst, `{"reqId":"`...)
	dst = appendReqID(dst, op, id, seq)
	dst = append(dst, `","header":{"X-BAPI-TIMESTAMP":"`...)
	dst = strconv.AppendInt(dst, tsMs, 10)
	dst = append(dst, `","X-BAPI-RECV-WINDOW":"`...)
	dst = strconv.AppendInt(dst, c.recvWindow, 10)
	dst = append(dst, `"},"op":"`...)
	dst = append(dst, name...)
	dst = append(dst, `","args":[`...)
	dst, err := c.AppendBody(dst, e)
	if err != nil {
		return dst[:start], err
	}
	return append(dst, ']', '}'), nil
}

// AppendBody appends the order object of e: the trade WebSocket's args element, or the body of
// POST /v5/order/create, /cancel or /amend. On error dst is returned unchanged.
func (c *Encoder) AppendBody(dst []byte, e *event.Event) ([]byte, error) {
	l, err := c.listing(e.Instrument)
	if err != nil {
		return dst, err
	}
	start := len(dst)
	dst = append(dst, `{"category":"`...)
	dst = append(dst, category(l)...)
	dst = append(dst, `","symbol":"`...)
	dst = append(dst, l.Symbol...)
	dst = append(dst, '"')
	switch e.Kind {
	case event.KindNewOrder:
		o := e.Order()
		if dst, err = c.appendCreate(dst, l, o); err != nil {
			return dst[:start], err
		}
	case event.KindCancel:
		dst = c.appendLinkID(dst, e.Cancel().Order)
	case event.KindReplace:
		r := e.Replace()
		if r.Qty <= 0 {
			return dst[:start], ErrQty
		}
		if r.Price <= 0 {
			return dst[:start], ErrPrice
		}
		dst = c.appendLinkID(dst, r.Order)
		dst = appendDecimal(dst, `,"qty":"`, r.Qty, l.QtyScale)
		dst = appendDecimal(dst, `,"price":"`, r.Price, l.PriceScale)
	default:
		return dst[:start], ErrKind
	}
	return append(dst, '}'), nil
}

// appendCreate appends the create fields after symbol.
func (c *Encoder) appendCreate(dst []byte, l *instrument.Listing, o *event.Order) ([]byte, error) {
	switch o.Side {
	case event.SideBuy:
		dst = append(dst, `,"side":"Buy"`...)
	case event.SideSell:
		dst = append(dst, `,"side":"Sell"`...)
	default:
		return dst, ErrSide
	}
	if o.Qty <= 0 {
		return dst, ErrQty
	}
	if o.Type == event.OrderMarket {
		dst = append(dst, `,"orderType":"Market"`...)
		dst = appendDecimal(dst, `,"qty":"`, o.Qty, l.QtyScale)
		if l.Segment == instrument.SegmentSpot {
			dst = append(dst, `,"marketUnit":"baseCoin"`...)
		}
	} else {
		if o.Price <= 0 {
			return dst, ErrPrice
		}
		dst = append(dst, `,"orderType":"Limit"`...)
		dst = appendDecimal(dst, `,"qty":"`, o.Qty, l.QtyScale)
		dst = appendDecimal(dst, `,"price":"`, o.Price, l.PriceScale)
		switch {
		case o.PostOnly:
			dst = append(dst, `,"timeInForce":"PostOnly"`...)
		case o.TIF == event.TIFIOC:
			dst = append(dst, `,"timeInForce":"IOC"`...)
		case o.TIF == event.TIFFOK:
			dst = append(dst, `,"timeInForce":"FOK"`...)
		default:
			dst = append(dst, `,"timeInForce":"GTC"`...)
		}
	}
	return c.appendLinkID(dst, o.Order), nil
}

// appendLinkID appends the orderLinkId field of id.
func (c *Encoder) appendLinkID(dst []byte, id event.OrderID) []byte {
	dst = append(dst, `,"orderLinkId":"`...)
	dst = gateway.AppendClientOrderID(dst, c.prefix, id)
	return append(dst, '"')
}

// appendDecimal appends key (`,"qty":"` and the like), v at scale without trailing zeros, and
// the closing quote.
func appendDecimal(dst []byte, key string, v int64, scale uint8) []byte {
	dst = append(dst, key...)
	dst = fixed.AppendTrim(dst, v, scale)
	return append(dst, '"')
}

// appendReqID appends op, the order id, '.' and seq.
func appendReqID(dst []byte, op byte, id event.OrderID, seq uint64) []byte {
	dst = append(dst, op)
	dst = strconv.AppendUint(dst, uint64(id), 10)
	dst = append(dst, '.')
	return strconv.AppendUint(dst, seq, 10)
}

// parseReqID reads a reqId written by appendReqID; ok is false for any other text.
func parseReqID(b []byte) (op byte, id event.OrderID, ok bool) {
	if len(b) < 4 || (b[0] != reqCreate && b[0] != reqCancel && b[0] != reqAmend) {
		return 0, 0, false
	}
	var v uint64
	i := 1
	for ; i < len(b) && b[i] != '.'; i++ {
		c := b[i]
		if c < '0' || c > '9' || i > 20 {
			return 0, 0, false
		}
		d := uint64(c - '0')
		if v > (^uint64(0)-d)/10 {
			return 0, 0, false
		}
		v = v*10 + d
	}
	if i == 1 || i >= len(b)-1 {
		return 0, 0, false
	}
	return b[0], event.OrderID(v), true
}

// AppendAuth appends the auth operation of the trade and private WebSockets for signer's key,
// valid until expiresMs (the venue's clock, ms).
func AppendAuth(dst []byte, s *Signer, expiresMs int64) []byte {
	dst = append(dst, `{"op":"auth","args":["`...)
	dst = append(dst, s.key...)
	dst = append(dst, `",`...)
	dst = strconv.AppendInt(dst, expiresMs, 10)
	dst = append(dst, `,"`...)
	dst = s.AppendWSAuth(dst, expiresMs)
	return append(dst, `"]}`...)
}

// pingMsg keeps a trade or private connection alive (Bybit drops one idle for 10 minutes and
// advises a ping every 20 s).
const pingMsg = `{"op":"ping"}`

// subscribeMsg subscribes a private connection to the order and execution streams of every
// category.
const subscribeMsg = `{"req_id":"sub","op":"subscribe","args":["order","execution"]}`

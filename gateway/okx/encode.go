package okx

import (
	"ems/core/jsontext"
	"errors"
	"strconv"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/core/intern"
	"ems/gateway"
)

// Order entry requests of the private WebSocket (docs-v5 "WebSocket / Place order", "Cancel
// order", "Place multiple orders"), one text frame each:
//
//	{"id":"n42","op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"buy",
//	  "ordType":"limit","sz":"0.00100000","px":"68000.1","clOrdId":"e7k2x42"}]}
//	{"id":"c42","op":"cancel-order","args":[{"instId":"BTC-USDT","clOrdId":"e7k2x42"}]}
//	{"id":"b42","op":"batch-orders","args":[{...},{...}]}        at most 20 orders
//	{"id":"a42","op":"amend-order","args":[{"instId":"BTC-USDT","clOrdId":"e7k2x42",
//	  "newSz":"0.00200000","newPx":"67990.0"}]}
//
// The request id is a letter (n new, c cancel, b batch, a amend) and the decimal OrderID (of the first
// order of a batch): an answer that refuses the whole request with no per-order data is still
// traced back to its order. clOrdId is gateway.AppendClientOrderID(prefix, OrderID).
//
// Fields: tdMode "cash" for spot, "cross" for derivatives; ordType from the core order:
//
//	Type    TIF  PostOnly  ordType
//	limit   GTC  no        limit
//	limit   GTC  yes       post_only
//	limit   IOC  -         ioc
//	limit   FOK  -         fok
//	market  -    -         market   (+ "tgtCcy":"base_ccy" on spot: sz is the base quantity)
//
// px and sz are the order's int64 price and quantity written with ems/core/fixed at the
// listing's scales. A REST order body (POST /api/v5/trade/order) is the args object alone.
//
// KindReplace (event.Replace) is OKX's amend-order: the venue amends the order in place, so it
// keeps its ordId and clOrdId, and the clOrdId is that of Replace.Order; Replace.NewOrder is not
// used (the core's id of a venue-side replacement order does not exist on OKX). newSz is
// Replace.Qty, the new total size fills included (OKX's meaning); newPx is Replace.Price. A zero
// Price leaves the price as it is (newPx omitted); Qty must be positive. cxlOnFail is not sent
// (false): a refused amend leaves the order working.

// Encoding errors. They carry no value, so they never allocate.
var (
	ErrUnknownInstrument = errors.New("okx: instrument has no OKX listing")
	ErrReplace           = errors.New("okx: amend has no positive quantity, or a negative price")
	ErrKind              = errors.New("okx: event kind is not an order request")
	ErrOrder             = errors.New("okx: order has no positive quantity, or a limit order no positive price")
	ErrBatch             = errors.New("okx: a batch holds 1 to 20 new orders")
)

// MaxBatch is the most orders one batch-orders request carries.
const MaxBatch = 20

// Request id letters.
const (
	reqNew    = 'n'
	reqCancel = 'c'
	reqBatch  = 'b'
	reqAmend  = 'a'
)

// Encoder turns core order events into OKX private-WebSocket requests. It holds no buffers: the
// caller passes dst and gets it back extended, so encoding allocates nothing once dst has grown.
// Safe for concurrent use (read-only after NewEncoder).
type Encoder struct {
	prefix string
	mk     *markets
}

// AppendRequest appends the request of ev (KindNewOrder, KindCancel or KindReplace) to dst. ev.Instrument
// names the listing.
func (e *Encoder) AppendRequest(dst []byte, ev *event.Event) ([]byte, error) {
	mk, ok := e.mk.byID(ev.Instrument)
	if !ok {
		return dst, ErrUnknownInstrument
	}
	switch ev.Kind {
	case event.KindNewOrder:
		o := ev.Order()
		if !validOrder(o) {
			return dst, ErrOrder
		}
		dst = appendHead(dst, reqNew, o.Order, "order")
		dst = e.appendOrderArgs(dst, mk, o)
		return append(dst, "]}"...), nil
	case event.KindCancel:
		c := ev.Cancel()
		dst = appendHead(dst, reqCancel, c.Order, "cancel-order")
		dst = e.appendCancelArgs(dst, mk, c.Order)
		return append(dst, "]}"...), nil
	case event.KindReplace:
		r := ev.Replace()
		if r.Qty <= 0 || r.Price < 0 {
			return dst, ErrReplace
		}
		dst = appendHead(dst, reqAmend, r.Order, "amend-order")
		dst = e.appendAmendArgs(dst, mk, r)
		return append(dst, "]}"...), nil
	}
	return dst, ErrKind
}

// AppendBatch appends one batch-orders request of evs, 1 to MaxBatch KindNewOrder events.
func (e *Encoder) AppendBatch(dst []byte, evs []event.Event) ([]byte, error) {
	if len(evs) == 0 || len(evs) > MaxBatch {
		return dst, ErrBatch
	}
	for i := range evs {
		if evs[i].Kind != event.KindNewOrder {
			return dst, ErrBatch
		}
		if _, ok := e.mk.byID(evs[i].Instrument); !ok {
			return dst, ErrUnknownInstrument
		}
		if !validOrder(evs[i].Order()) {
			return dst, ErrOrder
		}
	}
	dst = appendHead(dst, reqBatch, evs[0].Order().Order, "batch-orders")
	for i := range evs {
		if i > 0 {
			dst = append(dst, ',')
		}
		mk, _ := e.mk.byID(evs[i].Instrument)
		dst = e.appendOrderArgs(dst, mk, evs[i].Order())
	}
	return append(dst, "]}"...), nil
}

// AppendOrderBody appends the JSON body of POST /api/v5/trade/order for ev (KindNewOrder): the
// same object as a WebSocket order's args element.
func (e *Encoder) AppendOrderBody(dst []byte, ev *event.Event) ([]byte, error) {
	mk, ok := e.mk.byID(ev.Instrument)
	if !ok {
		return dst, ErrUnknownInstrument
	}
	if ev.Kind != event.KindNewOrder {
		return dst, ErrKind
	}
	if !validOrder(ev.Order()) {
		return dst, ErrOrder
	}
	return e.appendOrderArgs(dst, mk, ev.Order()), nil
}

func validOrder(o *event.Order) bool {
	return o.Qty > 0 && (o.Type == event.OrderMarket || o.Price > 0)
}

// appendHead appends {"id":"<letter><id>","op":"<op>","args":[
func appendHead(dst []byte, letter byte, id event.OrderID, op string) []byte {
	dst = append(dst, `{"id":"`...)
	dst = append(dst, letter)
	dst = strconv.AppendUint(dst, uint64(id), 10)
	dst = append(dst, `","op":"`...)
	dst = append(dst, op...)
	return append(dst, `","args":[`...)
}

func (e *Encoder) appendOrderArgs(dst []byte, mk *market, o *event.Order) []byte {
	dst = append(dst, `{"instId":"`...)
	dst = append(dst, mk.symbol...)
	if mk.spot {
		dst = append(dst, `","tdMode":"cash","side":"`...)
	} else {
		dst = append(dst, `","tdMode":"cross","side":"`...)
	}
	if o.Side == event.SideSell {
		dst = append(dst, "sell"...)
	} else {
		dst = append(dst, "buy"...)
	}
	dst = append(dst, `","ordType":"`...)
	market := o.Type == event.OrderMarket
	switch {
	case market:
		dst = append(dst, "market"...)
	case o.TIF == event.TIFIOC:
		dst = append(dst, "ioc"...)
	case o.TIF == event.TIFFOK:
		dst = append(dst, "fok"...)
	case o.PostOnly:
		dst = append(dst, "post_only"...)
	default:
		dst = append(dst, "limit"...)
	}
	dst = append(dst, `","sz":"`...)
	dst = fixed.Append(dst, o.Qty, mk.qtyScale)
	if !market {
		dst = append(dst, `","px":"`...)
		dst = fixed.Append(dst, o.Price, mk.priceScale)
	} else if mk.spot {
		dst = append(dst, `","tgtCcy":"base_ccy`...)
	}
	dst = append(dst, `","clOrdId":"`...)
	dst = gateway.AppendClientOrderID(dst, e.prefix, o.Order)
	return append(dst, `"}`...)
}

func (e *Encoder) appendCancelArgs(dst []byte, mk *market, id event.OrderID) []byte {
	dst = append(dst, `{"instId":"`...)
	dst = append(dst, mk.symbol...)
	dst = append(dst, `","clOrdId":"`...)
	dst = gateway.AppendClientOrderID(dst, e.prefix, id)
	return append(dst, `"}`...)
}

func (e *Encoder) appendAmendArgs(dst []byte, mk *market, r *event.Replace) []byte {
	dst = append(dst, `{"instId":"`...)
	dst = append(dst, mk.symbol...)
	dst = append(dst, `","clOrdId":"`...)
	dst = gateway.AppendClientOrderID(dst, e.prefix, r.Order)
	dst = append(dst, `","newSz":"`...)
	dst = fixed.Append(dst, r.Qty, mk.qtyScale)
	if r.Price > 0 {
		dst = append(dst, `","newPx":"`...)
		dst = fixed.Append(dst, r.Price, mk.priceScale)
	}
	return append(dst, `"}`...)
}

// AppendLogin appends the login request of key and passphrase at the Unix-seconds timestamp ts,
// signed by s:
//
//	{"op":"login","args":[{"apiKey":"...","passphrase":"...","timestamp":"1538054050","sign":"..."}]}
//
// The result holds the passphrase: never log it.
func AppendLogin(dst []byte, s *Signer, key, passphrase, ts string) []byte {
	dst = append(dst, `{"op":"login","args":[{"apiKey":`...)
	dst = jsontext.AppendString(dst, key)
	dst = append(dst, `,"passphrase":`...)
	dst = jsontext.AppendString(dst, passphrase)
	dst = append(dst, `,"timestamp":"`...)
	dst = append(dst, ts...)
	dst = append(dst, `","sign":"`...)
	dst = s.AppendLoginSignature(dst, ts)
	return append(dst, `"}]}`...)
}

// NewEncoder returns an encoder of master's OKX listings writing client order ids under
// prefix (see gateway.CheckPrefix).
func NewEncoder(prefix string, master *instrument.Master) (*Encoder, error) {
	if err := gateway.CheckPrefix(prefix); err != nil {
		return nil, err
	}
	mk, err := newMarkets(master, intern.New(16, 256, 0))
	if err != nil {
		return nil, err
	}
	return &Encoder{prefix: prefix, mk: mk}, nil
}

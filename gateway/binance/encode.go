package binance

import (
	"errors"
	"strconv"

	"ems/core/event"
	"ems/core/fixed"
	"ems/gateway"
)

// WebSocket API requests (web-socket-api.md; venue specs 1.3). One text frame each:
//
//	{"id":7,"method":"order.place","params":{"apiKey":"…","newClientOrderId":"e7k2x42",
//	 "newOrderRespType":"ACK","price":"68000.00","quantity":"0.01000","side":"BUY",
//	 "symbol":"BTCUSDT","timeInForce":"GTC","timestamp":1735689600000,"type":"LIMIT",
//	 "signature":"<64 hex>"}}
//	{"id":11,"method":"order.cancelReplace","params":{"apiKey":"…",
//	 "cancelOrigClientOrderId":"e7k2x42","cancelReplaceMode":"STOP_ON_FAILURE",
//	 "newClientOrderId":"e7k2x43","newOrderRespType":"ACK","price":"68001.00",
//	 "quantity":"0.02000","side":"BUY","symbol":"BTCUSDT","timeInForce":"GTC",
//	 "timestamp":…,"type":"LIMIT","signature":"…"}}
//	{"id":8,"method":"order.cancel","params":{"apiKey":"…","origClientOrderId":"e7k2x42",
//	 "symbol":"BTCUSDT","timestamp":…,"signature":"…"}}
//	{"id":9,"method":"userDataStream.subscribe.signature","params":{"apiKey":"…","timestamp":…,"signature":"…"}}
//	{"id":10,"method":"openOrders.status","params":{"apiKey":"…","symbol":"BTCUSDT","timestamp":…,"signature":"…"}}
//
// Params are written in byte-wise name order, which is the order the signature covers them in,
// so the signature is computed over the bytes just written (no second copy). recvWindow is sent
// when configured. Ids are the session's request counter, as JSON numbers.

// Encoder errors. They are fixed values, so refusing an order allocates nothing.
var (
	ErrQty        = errors.New("binance: order quantity must be positive")
	ErrPrice      = errors.New("binance: limit order price must be positive")
	ErrOrderType  = errors.New("binance: order type or time in force not supported")
	ErrAPIKey     = errors.New("binance: API key must be 1 to 128 printable ASCII bytes without quotes or backslashes")
	ErrRespType   = errors.New("binance: newOrderRespType must be ACK or RESULT")
	ErrNoSecret   = errors.New("binance: credentials hold no HMAC secret")
	ErrRecvWindow = errors.New("binance: recvWindow must be 0 (venue default) to 60000 ms")
)

// maxParams is the most params a request carries (order.cancelReplace with recvWindow).
const maxParams = 13

// Encoder turns core order events into signed WebSocket API requests, append-style.
//
// Not safe for concurrent use (it holds the signer's state and the param scratch): the session
// calls it under its lock. Steady-state calls allocate nothing when dst has room.
type Encoder struct {
	prefix     string
	apiKey     string
	respType   string
	recvWindow int64 // ms; 0: not sent
	sign       *HMAC

	n      int
	offs   [maxParams][4]int // key start, key end, value start, value end in dst
	params [maxParams]Param
}

// EncoderConfig configures an Encoder.
type EncoderConfig struct {
	Prefix     string // client order id prefix (gateway.CheckPrefix)
	RespType   string // newOrderRespType: "ACK" (default) or "RESULT"
	RecvWindow int64  // ms; 0 leaves it out (the venue's default, 5000)
}

// NewEncoder returns an encoder signing with c's key and HMAC secret. The secret is held only
// inside the signer's keyed hash state.
func NewEncoder(c gateway.Credentials, cfg EncoderConfig) (*Encoder, error) {
	if err := gateway.CheckPrefix(cfg.Prefix); err != nil {
		return nil, err
	}
	if !validKey(c.Key) {
		return nil, ErrAPIKey
	}
	if c.Secret == "" {
		return nil, ErrNoSecret
	}
	switch cfg.RespType {
	case "":
		cfg.RespType = "ACK"
	case "ACK", "RESULT":
	default:
		return nil, ErrRespType
	}
	if cfg.RecvWindow < 0 || cfg.RecvWindow > 60000 {
		return nil, ErrRecvWindow
	}
	return &Encoder{prefix: cfg.Prefix, apiKey: c.Key, respType: cfg.RespType, recvWindow: cfg.RecvWindow,
		sign: NewHMAC([]byte(c.Secret))}, nil
}

func validKey(k string) bool {
	if len(k) == 0 || len(k) > 128 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// Prefix returns the client order id prefix.
func (e *Encoder) Prefix() string { return e.prefix }

// begin appends the envelope up to the params' opening brace.
func (e *Encoder) begin(dst []byte, reqID uint64, method string) []byte {
	e.n = 0
	dst = append(dst, `{"id":`...)
	dst = strconv.AppendUint(dst, reqID, 10)
	dst = append(dst, `,"method":"`...)
	dst = append(dst, method...)
	return append(dst, `","params":{`...)
}

// key appends "name": and records the key's place; quoted opens a string value.
func (e *Encoder) key(dst []byte, name string, quoted bool) []byte {
	if e.n > 0 {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	e.offs[e.n][0] = len(dst)
	dst = append(dst, name...)
	e.offs[e.n][1] = len(dst)
	dst = append(dst, '"', ':')
	if quoted {
		dst = append(dst, '"')
	}
	e.offs[e.n][2] = len(dst)
	return dst
}

// end records the value's end and closes a string value.
func (e *Encoder) end(dst []byte, quoted bool) []byte {
	e.offs[e.n][3] = len(dst)
	e.n++
	if quoted {
		dst = append(dst, '"')
	}
	return dst
}

func (e *Encoder) str(dst []byte, name, v string) []byte {
	dst = e.key(dst, name, true)
	dst = append(dst, v...)
	return e.end(dst, true)
}

func (e *Encoder) num(dst []byte, name string, v int64) []byte {
	dst = e.key(dst, name, false)
	dst = strconv.AppendInt(dst, v, 10)
	return e.end(dst, false)
}

// finish appends the signature of the params written since begin and closes the request.
func (e *Encoder) finish(dst []byte) []byte {
	dst = append(dst, `,"signature":"`...)
	for i := 0; i < e.n; i++ { // dst no longer moves until the signature is computed
		o := &e.offs[i]
		e.params[i] = Param{Key: dst[o[0]:o[1]], Value: dst[o[2]:o[3]]}
	}
	dst = e.sign.AppendParamsSignature(dst, e.params[:e.n])
	clear(e.params[:e.n])
	return append(dst, `"}}`...)
}

// timing appends recvWindow (when set) or nothing; it sorts between quantity and side.
func (e *Encoder) recv(dst []byte) []byte {
	if e.recvWindow > 0 {
		dst = e.num(dst, "recvWindow", e.recvWindow)
	}
	return dst
}

// AppendPlace appends the order.place request for o on market mk at tsMs (ms since the epoch).
// The client order id is gateway.AppendClientOrderID(prefix, o.Order). A post-only limit order
// is a LIMIT_MAKER (which takes no timeInForce); a market order sends only its quantity.
//
// On error dst is returned unchanged.
func (e *Encoder) AppendPlace(dst []byte, reqID uint64, o *event.Order, mk *Market, tsMs int64) ([]byte, error) {
	typ, tif, side, err := orderShape(o)
	if err != nil {
		return dst, err
	}
	dst = e.begin(dst, reqID, "order.place")
	dst = e.str(dst, "apiKey", e.apiKey)
	return e.newOrder(dst, o.Order, o, typ, tif, side, mk, tsMs), nil
}

// newOrder appends the new-order parameters shared by order.place and order.cancelReplace, from
// newClientOrderId on (the parameters are in name order, as signed), and finishes the request.
func (e *Encoder) newOrder(dst []byte, id event.OrderID, o *event.Order, typ, tif, side string, mk *Market, tsMs int64) []byte {
	l := mk.Listing
	dst = e.key(dst, "newClientOrderId", true)
	dst = gateway.AppendClientOrderID(dst, e.prefix, id)
	dst = e.end(dst, true)
	dst = e.str(dst, "newOrderRespType", e.respType)
	if typ != "MARKET" {
		dst = e.key(dst, "price", true)
		dst = fixed.Append(dst, o.Price, l.PriceScale)
		dst = e.end(dst, true)
	}
	dst = e.key(dst, "quantity", true)
	dst = fixed.Append(dst, o.Qty, l.QtyScale)
	dst = e.end(dst, true)
	dst = e.recv(dst)
	dst = e.str(dst, "side", side)
	dst = e.str(dst, "symbol", mk.Symbol)
	if tif != "" {
		dst = e.str(dst, "timeInForce", tif)
	}
	dst = e.num(dst, "timestamp", tsMs)
	dst = e.str(dst, "type", typ)
	return e.finish(dst)
}

// orderShape checks o's quantity and price and spells its type, time in force ("" when the type
// takes none) and side as Binance does.
func orderShape(o *event.Order) (typ, tif, side string, err error) {
	if o.Qty <= 0 {
		return "", "", "", ErrQty
	}
	switch o.Type {
	case event.OrderLimit:
		if o.Price <= 0 {
			return "", "", "", ErrPrice
		}
		typ = "LIMIT"
		switch {
		case o.PostOnly && o.TIF == event.TIFGTC:
			typ = "LIMIT_MAKER"
		case o.PostOnly:
			return "", "", "", ErrOrderType
		case o.TIF == event.TIFGTC:
			tif = "GTC"
		case o.TIF == event.TIFIOC:
			tif = "IOC"
		case o.TIF == event.TIFFOK:
			tif = "FOK"
		default:
			return "", "", "", ErrOrderType
		}
	case event.OrderMarket:
		if o.PostOnly {
			return "", "", "", ErrOrderType
		}
		typ = "MARKET"
	default:
		return "", "", "", ErrOrderType
	}
	switch o.Side {
	case event.SideBuy:
		side = "BUY"
	case event.SideSell:
		side = "SELL"
	default:
		return "", "", "", ErrOrderType
	}
	return typ, tif, side, nil
}

// AppendReplace appends the order.cancelReplace request for r on market mk: cancel r.Order (by
// client order id) and, only if that succeeds (STOP_ON_FAILURE), place a new order with client
// order id gateway.AppendClientOrderID(prefix, r.NewOrder) at r.Price for r.Qty. prev is the
// order being replaced as it was sent: its side, type, time in force and post-only flag are the
// new order's (its ids, price and quantity are not read).
//
// On error dst is returned unchanged.
func (e *Encoder) AppendReplace(dst []byte, reqID uint64, r *event.Replace, prev *event.Order, mk *Market, tsMs int64) ([]byte, error) {
	o := event.Order{Price: r.Price, Qty: r.Qty, Side: prev.Side, Type: prev.Type, TIF: prev.TIF, PostOnly: prev.PostOnly}
	typ, tif, side, err := orderShape(&o)
	if err != nil {
		return dst, err
	}
	dst = e.begin(dst, reqID, "order.cancelReplace")
	dst = e.str(dst, "apiKey", e.apiKey)
	dst = e.key(dst, "cancelOrigClientOrderId", true)
	dst = gateway.AppendClientOrderID(dst, e.prefix, r.Order)
	dst = e.end(dst, true)
	dst = e.str(dst, "cancelReplaceMode", "STOP_ON_FAILURE")
	return e.newOrder(dst, r.NewOrder, &o, typ, tif, side, mk, tsMs), nil
}

// AppendCancel appends the order.cancel request for c's order on market mk, by client order id.
func (e *Encoder) AppendCancel(dst []byte, reqID uint64, c *event.Cancel, mk *Market, tsMs int64) []byte {
	dst = e.begin(dst, reqID, "order.cancel")
	dst = e.str(dst, "apiKey", e.apiKey)
	dst = e.key(dst, "origClientOrderId", true)
	dst = gateway.AppendClientOrderID(dst, e.prefix, c.Order)
	dst = e.end(dst, true)
	dst = e.recv(dst)
	dst = e.str(dst, "symbol", mk.Symbol)
	dst = e.num(dst, "timestamp", tsMs)
	return e.finish(dst)
}

// AppendSubscribe appends userDataStream.subscribe.signature: the account's execution reports
// then follow on the connection.
func (e *Encoder) AppendSubscribe(dst []byte, reqID uint64, tsMs int64) []byte {
	dst = e.begin(dst, reqID, "userDataStream.subscribe.signature")
	dst = e.str(dst, "apiKey", e.apiKey)
	dst = e.recv(dst)
	dst = e.num(dst, "timestamp", tsMs)
	return e.finish(dst)
}

// AppendOpenOrders appends openOrders.status for market mk, or for every symbol when mk is nil
// (weight 80 instead of 6).
func (e *Encoder) AppendOpenOrders(dst []byte, reqID uint64, mk *Market, tsMs int64) []byte {
	dst = e.begin(dst, reqID, "openOrders.status")
	dst = e.str(dst, "apiKey", e.apiKey)
	dst = e.recv(dst)
	if mk != nil {
		dst = e.str(dst, "symbol", mk.Symbol)
	}
	dst = e.num(dst, "timestamp", tsMs)
	return e.finish(dst)
}

// AppendOrderStatus appends order.status for order id on market mk, by client order id.
func (e *Encoder) AppendOrderStatus(dst []byte, reqID uint64, id event.OrderID, mk *Market, tsMs int64) []byte {
	dst = e.begin(dst, reqID, "order.status")
	dst = e.str(dst, "apiKey", e.apiKey)
	dst = e.key(dst, "origClientOrderId", true)
	dst = gateway.AppendClientOrderID(dst, e.prefix, id)
	dst = e.end(dst, true)
	dst = e.recv(dst)
	dst = e.str(dst, "symbol", mk.Symbol)
	dst = e.num(dst, "timestamp", tsMs)
	return e.finish(dst)
}

// AppendMyTradesQuery appends the signed query string of REST GET /api/v3/myTrades for the
// trades of venue order orderID on market mk (without '?'; the key goes in the X-MBX-APIKEY
// header, see APIKey).
func (e *Encoder) AppendMyTradesQuery(dst []byte, mk *Market, orderID int64, tsMs int64) []byte {
	start := len(dst)
	dst = append(dst, "symbol="...)
	dst = append(dst, mk.Symbol...)
	dst = append(dst, "&orderId="...)
	dst = strconv.AppendInt(dst, orderID, 10)
	if e.recvWindow > 0 {
		dst = append(dst, "&recvWindow="...)
		dst = strconv.AppendInt(dst, e.recvWindow, 10)
	}
	dst = append(dst, "&timestamp="...)
	dst = strconv.AppendInt(dst, tsMs, 10)
	end := len(dst)
	dst = append(dst, "&signature="...)
	return e.sign.AppendRESTSignature(dst, dst[start:end], nil)
}

// APIKey returns the API key (not a secret: it is sent in every request).
func (e *Encoder) APIKey() string { return e.apiKey }

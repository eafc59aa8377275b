package coinbase

// Order entry requests (Advanced Trade REST, HTTP/1.1 keep-alive):
//
//	POST /api/v3/brokerage/orders HTTP/1.1\r\n
//	Host: <host>\r\n
//	Authorization: Bearer <JWT, uri "POST <host>/api/v3/brokerage/orders">\r\n
//	Content-Type: application/json\r\n
//	Content-Length: <n>\r\n
//	\r\n
//	{"client_order_id":"<prefix>x<OrderID>","product_id":"BTC-USDT","side":"BUY"|"SELL",
//	 "order_configuration":{<one of>}}
//	   limit GTC       {"limit_limit_gtc":{"base_size":"0.001","limit_price":"68000.01","post_only":false}}
//	   limit IOC       {"sor_limit_ioc":{"base_size":"0.001","limit_price":"68000.01"}}
//	   limit FOK       {"limit_limit_fok":{"base_size":"0.001","limit_price":"68000.01"}}
//	   market (IOC)    {"market_market_ioc":{"base_size":"0.001"}}
//
//	POST /api/v3/brokerage/orders/batch_cancel        body {"order_ids":["<venue order id>",...]}
//	POST /api/v3/brokerage/orders/edit                body {"order_id":"<venue order id>","price":"68000.01","size":"0.002"}
//	     (GTC limit orders only; size is the new total quantity, fills included)
//	GET  /api/v3/brokerage/orders/historical/fills?order_ids=<id>          (no body)
//	GET  /api/v3/brokerage/orders/historical/batch?order_ids=<id>&...      (no body)
//
// Sizes and prices are written from int64 at the listing's scales, trailing zeros trimmed. A
// post-only order must be GTC (the venue has no post-only IOC or FOK). Every request carries a
// fresh JWT: the uri claim binds it to the method, host and path (never the query), and the nonce
// and ES256 signature are new each time, so nothing of a token is reused.

import (
	"ems/core/jsontext"
	"errors"
	"strconv"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/gateway"
)

// REST paths, part of the venue's protocol.
const (
	pathOrders       = "/api/v3/brokerage/orders"
	pathBatchCancel  = "/api/v3/brokerage/orders/batch_cancel"
	pathEdit         = "/api/v3/brokerage/orders/edit"
	pathFills        = "/api/v3/brokerage/orders/historical/fills"
	pathOrdersBatch  = "/api/v3/brokerage/orders/historical/batch"
	maxCancelPerCall = 100 // order_ids per batch_cancel
)

// Encoding errors. The Session answers them with a Reject (VenueCode 0) instead of sending.
var (
	ErrPostOnlyTIF = errors.New("coinbase: post-only orders must be GTC")
	ErrOrderType   = errors.New("coinbase: unsupported order type or time in force")
	ErrSide        = errors.New("coinbase: order side must be buy or sell")
	ErrQty         = errors.New("coinbase: order quantity must be positive")
	ErrPrice       = errors.New("coinbase: limit price must be positive")
)

// Encoder turns core requests into signed Advanced Trade HTTP requests, appending into the
// caller's buffers.
//
// Everything but the JWT is allocation free: bodies and request heads are appended to dst. The
// JWT (Key.AppendToken) allocates in crypto/ecdsa (see BenchmarkEncode). The uri claims are
// computed once per host; they carry no per-request data.
//
// An Encoder is owned by one goroutine; it is not safe for concurrent use (the Key's scratch).
type Encoder struct {
	prefix string
	key    *Key
	host   string
	uris   [len(endpoints)]string // by endpoint: the JWT uri claims
	body   []byte                 // scratch for the bodies and queries of the Append methods
}

// endpoint indexes Encoder.uris.
type endpoint uint8

const (
	epCreate endpoint = iota
	epCancel
	epFills
	epOrders
	epEdit
)

var endpoints = [...]struct{ method, path string }{
	epCreate: {"POST", pathOrders},
	epCancel: {"POST", pathBatchCancel},
	epFills:  {"GET", pathFills},
	epOrders: {"GET", pathOrdersBatch},
	epEdit:   {"POST", pathEdit},
}

// NewEncoder returns an Encoder for client order id prefix (see gateway.CheckPrefix), signing
// with key for requests to host ("api.coinbase.com", or "127.0.0.1:PORT": the Host header and
// the JWT uri).
func NewEncoder(prefix string, key *Key, host string) (*Encoder, error) {
	if err := gateway.CheckPrefix(prefix); err != nil {
		return nil, err
	}
	if key == nil || host == "" {
		return nil, errors.New("coinbase: NewEncoder needs a key and a host")
	}
	e := &Encoder{prefix: prefix, key: key, host: host, body: make([]byte, 0, 512)}
	for i, ep := range endpoints {
		e.uris[i] = string(AppendURI(nil, ep.method, host, ep.path))
	}
	return e, nil
}

// Prefix returns the client order id prefix.
func (e *Encoder) Prefix() string { return e.prefix }

// AppendOrderBody appends the POST orders JSON body of o, an order on listing l, to dst.
// It does not allocate when dst has room.
func (e *Encoder) AppendOrderBody(dst []byte, o *event.Order, l *instrument.Listing) ([]byte, error) {
	if o.Qty <= 0 {
		return dst, ErrQty
	}
	var cfg string
	switch {
	case o.Type == event.OrderMarket:
		if o.PostOnly {
			return dst, ErrPostOnlyTIF
		}
		cfg = "market_market_ioc"
	case o.Type != event.OrderLimit:
		return dst, ErrOrderType
	case o.Price <= 0:
		return dst, ErrPrice
	case o.TIF == event.TIFGTC:
		cfg = "limit_limit_gtc"
	case o.PostOnly:
		return dst, ErrPostOnlyTIF
	case o.TIF == event.TIFIOC:
		cfg = "sor_limit_ioc"
	case o.TIF == event.TIFFOK:
		cfg = "limit_limit_fok"
	default:
		return dst, ErrOrderType
	}
	dst = append(dst, `{"client_order_id":"`...)
	dst = gateway.AppendClientOrderID(dst, e.prefix, o.Order)
	dst = append(dst, `","product_id":`...)
	dst = jsontext.AppendString(dst, l.Symbol)
	switch o.Side {
	case event.SideBuy:
		dst = append(dst, `,"side":"BUY"`...)
	case event.SideSell:
		dst = append(dst, `,"side":"SELL"`...)
	default:
		return dst, ErrSide
	}
	dst = append(dst, `,"order_configuration":{"`...)
	dst = append(dst, cfg...)
	dst = append(dst, `":{"base_size":"`...)
	dst = fixed.AppendTrim(dst, o.Qty, l.QtyScale)
	if o.Type == event.OrderLimit {
		dst = append(dst, `","limit_price":"`...)
		dst = fixed.AppendTrim(dst, o.Price, l.PriceScale)
	}
	dst = append(dst, '"')
	if o.Type == event.OrderLimit && o.TIF == event.TIFGTC {
		if o.PostOnly {
			dst = append(dst, `,"post_only":true`...)
		} else {
			dst = append(dst, `,"post_only":false`...)
		}
	}
	return append(dst, "}}}"...), nil
}

// AppendCancelBody appends the batch_cancel body for venue order ids to dst.
// REQUIRES: 1 <= len(ids) <= 100; ids are the venue's order ids (UUIDs, no escaping needed).
func AppendCancelBody(dst []byte, ids ...[]byte) []byte {
	dst = append(dst, `{"order_ids":[`...)
	for i, id := range ids {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = append(dst, id...)
		dst = append(dst, '"')
	}
	return append(dst, "]}"...)
}

// AppendEditBody appends the orders/edit body of r, an edit of the order with venue order id
// venueOrderID on listing l, to dst. r.Price and r.Qty are the order's new limit price and new
// total quantity (fills included); r.NewOrder is not used: Coinbase keeps the order's id. It
// does not allocate when dst has room.
// REQUIRES: venueOrderID is the venue's id (a UUID: no escaping needed).
func AppendEditBody(dst []byte, venueOrderID []byte, r *event.Replace, l *instrument.Listing) ([]byte, error) {
	switch {
	case r.Qty <= 0:
		return dst, ErrQty
	case r.Price <= 0:
		return dst, ErrPrice
	}
	dst = append(dst, `{"order_id":"`...)
	dst = append(dst, venueOrderID...)
	dst = append(dst, `","price":"`...)
	dst = fixed.AppendTrim(dst, r.Price, l.PriceScale)
	dst = append(dst, `","size":"`...)
	dst = fixed.AppendTrim(dst, r.Qty, l.QtyScale)
	return append(dst, `"}`...), nil
}

// AppendEdit appends the complete signed orders/edit request of r (see AppendEditBody) to dst,
// with a JWT valid from now (Unix seconds).
func (e *Encoder) AppendEdit(dst []byte, venueOrderID []byte, r *event.Replace, l *instrument.Listing, now int64) ([]byte, error) {
	body, err := AppendEditBody(e.body[:0], venueOrderID, r, l)
	e.body = body
	if err != nil {
		return dst, err
	}
	return e.appendRequest(dst, epEdit, nil, body, now)
}

// AppendNewOrder appends the complete signed HTTP request placing o on l to dst, with a JWT
// valid from now (Unix seconds).
func (e *Encoder) AppendNewOrder(dst []byte, o *event.Order, l *instrument.Listing, now int64) ([]byte, error) {
	body, err := e.AppendOrderBody(e.body[:0], o, l)
	e.body = body
	if err != nil {
		return dst, err
	}
	return e.appendRequest(dst, epCreate, nil, body, now)
}

// AppendCancel appends the complete signed batch_cancel request for venue order id to dst.
func (e *Encoder) AppendCancel(dst []byte, venueOrderID []byte, now int64) ([]byte, error) {
	e.body = AppendCancelBody(e.body[:0], venueOrderID)
	return e.appendRequest(dst, epCancel, nil, e.body, now)
}

// AppendFillsQuery appends the signed GET orders/historical/fills request for one venue order
// id (newest fills first, up to limit) to dst.
func (e *Encoder) AppendFillsQuery(dst []byte, venueOrderID []byte, limit int, now int64) ([]byte, error) {
	q := append(e.body[:0], "?order_ids="...)
	q = append(q, venueOrderID...)
	q = append(q, "&limit="...)
	q = strconv.AppendInt(q, int64(limit), 10)
	e.body = q
	return e.appendRequest(dst, epFills, q, nil, now)
}

// AppendOrdersQuery appends the signed GET orders/historical/batch request for venue order ids
// (at most 100) to dst.
func (e *Encoder) AppendOrdersQuery(dst []byte, venueOrderIDs [][]byte, now int64) ([]byte, error) {
	q := append(e.body[:0], "?limit=1000"...)
	for _, id := range venueOrderIDs {
		q = append(q, "&order_ids="...)
		q = append(q, id...)
	}
	e.body = q
	return e.appendRequest(dst, epOrders, q, nil, now)
}

// appendRequest appends the request line, headers and body of a request to endpoint ep. query
// (empty or "?...") follows the path; it is not part of the JWT uri.
func (e *Encoder) appendRequest(dst []byte, ep endpoint, query, body []byte, now int64) ([]byte, error) {
	start := len(dst)
	dst = append(dst, endpoints[ep].method...)
	dst = append(dst, ' ')
	dst = append(dst, endpoints[ep].path...)
	dst = append(dst, query...)
	dst = append(dst, " HTTP/1.1\r\nHost: "...)
	dst = append(dst, e.host...)
	dst = append(dst, "\r\nAuthorization: Bearer "...)
	var err error
	dst, err = e.key.AppendToken(dst, e.uris[ep], now)
	if err != nil {
		return dst[:start], err
	}
	dst = append(dst, "\r\nAccept: application/json\r\n"...)
	if body != nil {
		dst = append(dst, "Content-Type: application/json\r\nContent-Length: "...)
		dst = strconv.AppendInt(dst, int64(len(body)), 10)
		dst = append(dst, "\r\n"...)
	}
	dst = append(dst, "\r\n"...)
	return append(dst, body...), nil
}

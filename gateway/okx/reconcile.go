package okx

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/feed"
	"ems/gateway"
)

// Reconciliation after a (re)connect, over signed REST, before the session accepts orders.
//
// Queries:
//
//	GET /api/v5/trade/fills                          the latest 100 fills of the account
//	GET /api/v5/trade/orders-pending                 its open orders
//	GET /api/v5/trade/order?instId=&clOrdId=         each order the session sent and has not
//	                                                 seen finish, that is not open any more
//
// Events, in this order, so that the core sees each order acknowledged before its fills and its
// fills before its end:
//
//  1. OrderAck of every open or queried order of this prefix never acknowledged (or the
//     post-only / fill-or-kill Reject of one canceled for that reason).
//  2. Every fill of this prefix not yet reported, (order, trade id) de-duplicated against all
//     reported before, oldest first. Its Leaves is exact when the order's later fills are in the
//     window: the order's final leaves (sz - accFillSz) plus the quantity of its newer fills.
//  3. The rest of each order's state, as a push would give it: a CancelAck for a canceled order.
//
// An order the venue does not know (/trade/order answers 51603: the request never reached the
// matching engine) is rejected with RejectUnknownOrder and VenueCode 51603. An order whose query
// fails stays tracked and is counted in Stats.UnknownLeft: it is never reported twice, and the
// next reconnect asks again. Only the latest 100 fills are read (no pagination): a session away
// for more than 100 fills of its account misses the older ones.

// restGet sends a signed GET of pathQuery and returns the body.
func (s *Session) restGet(ctx context.Context, pathQuery string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.RESTURL+pathQuery, nil)
	if err != nil {
		return nil, fmt.Errorf("okx: GET %s: %w", pathQuery, err)
	}
	ts := string(AppendTimestamp(nil, time.Unix(0, s.cfg.Clock())))
	s.mu.Lock()
	sign := string(s.signer.AppendRESTSignature(nil, ts, http.MethodGet, pathQuery, nil))
	s.mu.Unlock()
	req.Header.Set("OK-ACCESS-KEY", s.cfg.Credentials.Key)
	req.Header.Set("OK-ACCESS-SIGN", sign)
	req.Header.Set("OK-ACCESS-TIMESTAMP", ts)
	req.Header.Set("OK-ACCESS-PASSPHRASE", s.cfg.Credentials.Passphrase)
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("okx: GET %s: %w", pathQuery, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("okx: GET %s: %w", pathQuery, err)
	}
	return body, nil
}

// reconcile runs the queries and emits the events above. Without a REST URL there is nothing
// to ask: it returns at once.
func (s *Session) reconcile(ctx context.Context) error {
	if s.cfg.RESTURL == "" {
		return nil
	}
	fills, err := s.restGet(ctx, "/api/v5/trade/fills")
	if err != nil {
		return err
	}
	pending, err := s.restGet(ctx, "/api/v5/trade/orders-pending")
	if err != nil {
		return err
	}
	s.mu.Lock()
	open, err := s.parser.finalLeaves(pending, nil)
	var missing []liveOrder
	for id, inst := range s.parser.live {
		if _, ok := open[id]; !ok {
			missing = append(missing, liveOrder{id, inst})
		}
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	// The state of each missing order: its /trade/order answer (nil when the query failed).
	bodies := make([][]byte, len(missing))
	unknown := 0
	for i, q := range missing {
		mk, ok := s.enc.mk.byID(q.inst)
		if !ok {
			continue
		}
		pq := "/api/v5/trade/order?instId=" + mk.symbol + "&clOrdId=" +
			string(gateway.AppendClientOrderID(nil, s.cfg.Prefix, q.id))
		if bodies[i], err = s.restGet(ctx, pq); err != nil {
			unknown++
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.parser
	now := s.cfg.Clock()
	leaves := open
	for i, b := range bodies {
		if b == nil {
			continue
		}
		c, err := p.forEach(b, func(o *fastjson.Value) {})
		switch {
		case err != nil:
			bodies[i] = nil
			unknown++
		case c == 51603:
			bodies[i] = nil
			delete(p.live, missing[i].id)
			p.acked.Add(idKey{uint64(missing[i].id), 0})
			p.out = p.out[:0]
			p.reject(missing[i].id, missing[i].inst, c, event.RejectUnknownOrder, now)
			s.emitRecon(p.out)
		default:
			_, _ = p.finalLeaves(b, leaves)
		}
	}
	// 1. acknowledgements.
	ack := func(o *fastjson.Value) { p.order(o, now, true) }
	p.out = p.out[:0]
	_, _ = p.forEach(pending, ack)
	for _, b := range bodies {
		if b != nil {
			_, _ = p.forEach(b, ack)
		}
	}
	s.emitRecon(p.out)
	// 2. fills.
	p.out = p.out[:0]
	if err := p.fillList(fills, now, leaves); err != nil {
		return err
	}
	s.emitRecon(p.out)
	// 3. the rest of each order's state.
	rest := func(o *fastjson.Value) { p.order(o, now, false) }
	p.out = p.out[:0]
	_, _ = p.forEach(pending, rest)
	for _, b := range bodies {
		if b != nil {
			_, _ = p.forEach(b, rest)
		}
	}
	s.emitRecon(p.out)
	s.stats.UnknownLeft = unknown
	return nil
}

// liveOrder is an order sent and not seen finish.
type liveOrder struct {
	id   event.OrderID
	inst event.InstrumentID
}

// emitRecon passes reconciliation events to the sink. REQUIRES: s.mu held.
func (s *Session) emitRecon(evs []event.Event) {
	if len(evs) > 0 {
		s.stats.Reconciled += len(evs)
		s.cfg.Sink(evs)
	}
}

// forEach parses a REST answer {"code":"0","msg":"","data":[...]} and calls fn with each data
// object, in order; it returns the answer's code. The values are valid during fn only.
func (p *Parser) forEach(body []byte, fn func(*fastjson.Value)) (int64, error) {
	v, err := p.p.ParseBytes(body)
	if err != nil || v.Type() != fastjson.TypeObject {
		return 0, ErrMalformed
	}
	for _, o := range v.GetArray("data") {
		fn(o)
	}
	return code(v.Get("code")), nil
}

// finalLeaves adds to into (a new map when nil) sz - accFillSz of every order of this prefix in
// an answer holding order objects, and returns it.
func (p *Parser) finalLeaves(body []byte, into map[event.OrderID]int64) (map[event.OrderID]int64, error) {
	if into == nil {
		into = map[event.OrderID]int64{}
	}
	c, err := p.forEach(body, func(o *fastjson.Value) {
		cl, _ := feed.StringBytes(o.Get("clOrdId"))
		id, ok := gateway.ParseClientOrderID(p.prefix, cl)
		if !ok {
			return
		}
		instID, _ := feed.StringBytes(o.Get("instId"))
		mk, ok := p.mk.bySymbol(instID)
		if !ok {
			return
		}
		sz, err1 := parseTrunc(o.GetStringBytes("sz"), mk.qtyScale)
		acc, err2 := parseTrunc(o.GetStringBytes("accFillSz"), mk.qtyScale)
		if err1 == nil && err2 == nil {
			into[id] = max(sz-acc, 0)
		}
	})
	if err == nil && c != 0 {
		err = fmt.Errorf("okx: order query answered code %d", c)
	}
	return into, err
}

// ParseOrderList parses a REST answer holding order objects (GET /trade/orders-pending,
// /trade/order) and returns the events they imply, as if each were an orders-channel push, and
// the answer's code (51603 for an unknown order). The events are valid until the next call of
// any Parser method.
func (p *Parser) ParseOrderList(body []byte, recvTS int64) ([]event.Event, int64, error) {
	p.out = p.out[:0]
	c, err := p.forEach(body, func(o *fastjson.Value) { p.order(o, recvTS, false) })
	return p.out, c, err
}

// ParseFillList parses a GET /trade/fills answer (newest first) and returns a Fill, oldest
// first, for each fill of this prefix not yet reported; final gives each order's leaves after
// its last fill (absent: 0), from which each fill's Leaves is worked back. The events are valid
// until the next call of any Parser method.
func (p *Parser) ParseFillList(body []byte, recvTS int64, final map[event.OrderID]int64) ([]event.Event, error) {
	p.out = p.out[:0]
	err := p.fillList(body, recvTS, final)
	return p.out, err
}

// fillList appends the Fills of a /trade/fills answer to p.out.
func (p *Parser) fillList(body []byte, recvTS int64, final map[event.OrderID]int64) error {
	v, err := p.p.ParseBytes(body)
	if err != nil || v.Type() != fastjson.TypeObject {
		return ErrMalformed
	}
	if c := code(v.Get("code")); c != 0 {
		return fmt.Errorf("okx: fills answered code %d", c)
	}
	data := v.GetArray("data")
	type fillOf struct {
		id     event.OrderID
		mk     *market
		qty    int64
		leaves int64
	}
	list := make([]fillOf, len(data))
	newer := map[event.OrderID]int64{}
	for i, f := range data { // newest first
		cl, _ := feed.StringBytes(f.Get("clOrdId"))
		id, ok := gateway.ParseClientOrderID(p.prefix, cl)
		if !ok {
			continue
		}
		instID, _ := feed.StringBytes(f.Get("instId"))
		mk, ok := p.mk.bySymbol(instID)
		if !ok {
			continue
		}
		qty, err := parseTrunc(f.GetStringBytes("fillSz"), mk.qtyScale)
		if err != nil || qty <= 0 {
			continue
		}
		list[i] = fillOf{id: id, mk: mk, qty: qty, leaves: final[id] + newer[id]}
		newer[id] += qty
	}
	for i := len(data) - 1; i >= 0; i-- {
		f, l := data[i], &list[i]
		if l.mk == nil {
			continue
		}
		ordID, _ := feed.StringBytes(f.Get("ordId"))
		tid := f.GetStringBytes("tradeId")
		if len(ordID) == 0 || len(tid) == 0 {
			continue
		}
		vo, err := p.orders.Intern(ordID)
		if err != nil {
			continue
		}
		if p.fills.Add(idKey{uint64(l.id), feed.TradeID(tid)}) {
			p.fill(f, l.id, l.mk, vo, l.qty, feed.TradeID(tid), l.leaves, recvTS)
		}
	}
	return nil
}

package binance

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gobwas/ws"
	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/gateway"
)

// Reconciliation after a reconnect (Session.Reconnect), before new orders are accepted:
//
//  1. openOrders.status (all symbols, weight 80): the session's open orders at the venue.
//  2. order.status (weight 4) for every order the session believed open (sent, acked or partly
//     filled when the connection dropped, in-flight requests included) that is not open: its
//     final state, or -2013 when the venue never received it.
//  3. GET /api/v3/myTrades?orderId= (REST, weight 20) for each order whose executedQty exceeds
//     the quantity the session saw filled: the missed fills, emitted as Fill events unless their
//     trade id was already seen (the parser's TradeSet), so no fill is counted twice.
//  4. Per order: open → OrderAck with the venue's leaves (a state refresh); CANCELED, EXPIRED,
//     EXPIRED_IN_MATCH, REJECTED → CancelAck with the unfilled rest; FILLED → nothing more (its
//     fills were emitted); unknown to the venue → Reject RejectUnknownOrder with code -2013.
//
// Execution reports arriving meanwhile are emitted as they come (the subscription is already
// in force), and de-duplicated against the recovered fills by trade id.

// liveOrder is what the session remembers of an order it believes open.
type liveOrder struct {
	instr  event.InstrumentID
	filled int64 // quantity seen filled
	// The order as sent (side, type, time in force, post-only), which a cancel-replace repeats;
	// shaped is false for an order known only from the venue's reports.
	side     event.Side
	typ      event.OrderType
	tif      event.TimeInForce
	postOnly bool
	shaped   bool
}

// track updates the live orders from emitted events. REQUIRES: s.mu held.
func (s *Session) track(evs []event.Event) {
	for i := range evs {
		e := &evs[i]
		switch e.Kind {
		case event.KindOrderAck:
			id := e.OrderAck().Order
			if _, ok := s.live[id]; !ok {
				s.live[id] = liveOrder{instr: e.Instrument}
			}
		case event.KindFill:
			f := e.Fill()
			if f.Leaves <= 0 {
				delete(s.live, f.Order)
				continue
			}
			lo := s.live[f.Order]
			lo.instr = e.Instrument
			lo.filled += f.Qty
			s.live[f.Order] = lo
		case event.KindCancelAck:
			delete(s.live, e.CancelAck().Order)
		}
	}
}

// venueOrder is an order's state as the venue reports it (openOrders.status, order.status).
type venueOrder struct {
	order    event.OrderID
	mk       *Market
	venueID  int64
	price    int64
	qty      int64
	executed int64
	status   string
	missing  bool // the venue does not know it (-2013)
}

func (s *Session) parseVenueOrder(v *fastjson.Value) (venueOrder, bool) {
	id, ok := gateway.ParseClientOrderID(s.cfg.Prefix, v.GetStringBytes("clientOrderId"))
	if !ok {
		return venueOrder{}, false
	}
	mk, ok := s.markets.BySymbol(v.GetStringBytes("symbol"))
	if !ok {
		return venueOrder{}, false
	}
	l := mk.Listing
	vo := venueOrder{order: id, mk: mk, venueID: v.GetInt64("orderId"), status: string(v.GetStringBytes("status"))}
	var err1, err2, err3 error
	vo.price, err1 = fixed.Parse(v.GetStringBytes("price"), l.PriceScale)
	vo.qty, err2 = fixed.Parse(v.GetStringBytes("origQty"), l.QtyScale)
	vo.executed, err3 = fixed.Parse(v.GetStringBytes("executedQty"), l.QtyScale)
	return vo, err1 == nil && err2 == nil && err3 == nil
}

// request writes one WebSocket API request built by build and returns its id, or an error when
// the weight is exhausted or the write fails.
func (s *Session) request(c *wsConn, weight int, build func(dst []byte, id uint64, ms int64) []byte) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !s.limiter.Take(now, weight, false) {
		return 0, fmt.Errorf("binance: reconciliation: request weight exhausted")
	}
	id := s.newID()
	s.wbuf = build(s.wbuf[:0], id, now/int64(time.Millisecond))
	if err := c.write(ws.OpText, s.wbuf); err != nil {
		return 0, fmt.Errorf("binance: reconciliation: %w", err)
	}
	return id, nil
}

// reconcile runs steps 1-4 on the fresh connection c. It allocates (off the hot path).
func (s *Session) reconcile(ctx context.Context, c *wsConn) error {
	s.mu.Lock()
	known := make(map[event.OrderID]liveOrder, len(s.live))
	for id, lo := range s.live {
		known[id] = lo
	}
	s.mu.Unlock()
	if len(known) == 0 {
		return nil // nothing believed open: a first connection, or a clean drop
	}
	// 1. open orders
	id, err := s.request(c, WeightOpenOrdersAll, func(dst []byte, id uint64, ms int64) []byte {
		return s.enc.AppendOpenOrders(dst, id, nil, ms)
	})
	if err != nil {
		return err
	}
	found := make(map[event.OrderID]venueOrder)
	err = s.call(c, id, func(r *Response, res *fastjson.Value) error {
		if r.Status != 200 || res == nil {
			return fmt.Errorf("binance: openOrders.status: status %d code %d: %s", r.Status, r.Code, r.Msg)
		}
		for _, v := range res.GetArray() {
			if vo, ok := s.parseVenueOrder(v); ok {
				found[vo.order] = vo
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// 2. orders believed open that are not
	ids := make([]event.OrderID, 0, len(known))
	for oid := range known {
		ids = append(ids, oid)
	}
	slices.Sort(ids) // a deterministic order of queries and events
	for _, oid := range ids {
		if _, ok := found[oid]; ok {
			continue
		}
		mk, ok := s.markets.ByInstrument(known[oid].instr)
		if !ok {
			continue
		}
		id, err := s.request(c, WeightOrderStatus, func(dst []byte, id uint64, ms int64) []byte {
			return s.enc.AppendOrderStatus(dst, id, oid, mk, ms)
		})
		if err != nil {
			return err
		}
		err = s.call(c, id, func(r *Response, res *fastjson.Value) error {
			switch {
			case r.Status == 200 && res != nil:
				if vo, ok := s.parseVenueOrder(res); ok {
					found[oid] = vo
					return nil
				}
				return fmt.Errorf("binance: order.status: malformed result")
			case r.Code == CodeNoSuchOrder:
				found[oid] = venueOrder{order: oid, mk: mk, missing: true}
				return nil
			}
			return fmt.Errorf("binance: order.status: status %d code %d: %s", r.Status, r.Code, r.Msg)
		})
		if err != nil {
			return err
		}
	}
	// 3 and 4, in order id order; open orders placed before this process knew them come last.
	for oid := range found {
		if _, ok := known[oid]; !ok {
			ids = append(ids, oid)
		}
	}
	for _, oid := range ids {
		vo, ok := found[oid]
		if !ok {
			continue
		}
		if err := s.settle(ctx, vo, known[oid]); err != nil {
			return err
		}
	}
	return nil
}

// settle recovers vo's missed fills and emits its state.
func (s *Session) settle(ctx context.Context, vo venueOrder, lo liveOrder) error {
	instr := vo.mk.Listing.Instrument
	now := s.now()
	var out []event.Event
	if !vo.missing && vo.executed > lo.filled {
		fills, err := s.myTrades(ctx, vo)
		if err != nil {
			return err
		}
		out = append(out, fills...)
	}
	e := event.Event{Venue: instrument.VenueBinance, Instrument: instr, RecvTS: now}
	switch {
	case vo.missing:
		e.Kind = event.KindReject
		*e.Reject() = event.Reject{Order: vo.order, VenueCode: CodeNoSuchOrder, Reason: event.RejectUnknownOrder}
		out = append(out, e)
	case vo.status == "NEW" || vo.status == "PARTIALLY_FILLED" || vo.status == "PENDING_NEW":
		vid, err := s.parser.orders.Intern(fmt.Appendf(nil, "%d", vo.venueID))
		if err != nil {
			return err
		}
		e.Kind = event.KindOrderAck
		*e.OrderAck() = event.OrderAck{Order: vo.order, VenueOrder: event.VenueOrderID(vid), Price: vo.price, Qty: vo.qty,
			Leaves: vo.qty - vo.executed}
		out = append(out, e)
	case vo.status == "FILLED":
	default: // CANCELED, EXPIRED, EXPIRED_IN_MATCH, REJECTED, PENDING_CANCEL
		e.Kind = event.KindCancelAck
		*e.CancelAck() = event.CancelAck{Order: vo.order, Leaves: vo.qty - vo.executed}
		out = append(out, e)
	}
	s.mu.Lock()
	s.stats.Reconciled++
	if vo.missing {
		delete(s.live, vo.order)
	}
	if len(out) > 0 {
		s.track(out)
		s.sink(out)
	}
	if vo.status == "FILLED" {
		delete(s.live, vo.order)
	}
	s.mu.Unlock()
	return nil
}

// myTrades fetches vo's trades over REST and returns the Fill events of those not seen yet,
// each with the leaves after it.
func (s *Session) myTrades(ctx context.Context, vo venueOrder) ([]event.Event, error) {
	if s.cfg.RESTURL == "" {
		return nil, fmt.Errorf("binance: reconciliation: order %d has fills the session did not see and no RESTURL is configured", vo.order)
	}
	s.mu.Lock()
	ok := s.limiter.Take(s.now(), WeightMyTrades, false)
	q := s.enc.AppendMyTradesQuery(nil, vo.mk, vo.venueID, s.now()/int64(time.Millisecond))
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("binance: reconciliation: request weight exhausted")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.RESTURL+"/api/v3/myTrades?"+string(q), nil)
	if err != nil {
		return nil, fmt.Errorf("binance: myTrades: %w", err)
	}
	req.Header.Set("X-MBX-APIKEY", s.enc.APIKey())
	hc := http.Client{Timeout: s.cfg.DialTimeout}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("binance: myTrades: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMessage))
	if err != nil {
		return nil, fmt.Errorf("binance: myTrades: %w", err)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusTeapot {
		var retry int64 // Retry-After is in seconds
		if secs, err := strconv.ParseInt(resp.Header.Get("Retry-After"), 10, 64); err == nil && secs > 0 {
			retry = s.now()/int64(time.Millisecond) + secs*1000
		}
		s.mu.Lock()
		s.stats.ThrottleHits++
		s.limiter.Throttled(s.now(), resp.StatusCode, retry)
		s.mu.Unlock()
		return nil, fmt.Errorf("binance: myTrades: throttled (HTTP %d)", resp.StatusCode)
	}
	var jp fastjson.Parser
	v, err := jp.ParseBytes(body)
	if err != nil || resp.StatusCode != http.StatusOK || v.Type() != fastjson.TypeArray {
		return nil, fmt.Errorf("binance: myTrades: HTTP %d", resp.StatusCode)
	}
	trades := v.GetArray()
	slices.SortFunc(trades, func(a, b *fastjson.Value) int {
		return int(a.GetInt64("id") - b.GetInt64("id"))
	})
	l := vo.mk.Listing
	vid, err := s.parser.orders.Intern(fmt.Appendf(nil, "%d", vo.venueID))
	if err != nil {
		return nil, err
	}
	var out []event.Event
	var cum int64
	for _, t := range trades {
		qty, err1 := fixed.Parse(t.GetStringBytes("qty"), l.QtyScale)
		price, err2 := fixed.Parse(t.GetStringBytes("price"), l.PriceScale)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("binance: myTrades: malformed trade")
		}
		cum += qty
		tid := t.GetInt64("id")
		if !s.parser.seen.Add(l.Instrument, uint64(tid)) {
			continue
		}
		f := event.Fill{Order: vo.order, VenueOrder: event.VenueOrderID(vid), Price: price, Qty: qty, TradeID: uint64(tid),
			Leaves: vo.qty - cum, Liquidity: event.LiquidityTaker}
		if t.GetBool("isMaker") {
			f.Liquidity = event.LiquidityMaker
		}
		if asset := t.GetStringBytes("commissionAsset"); len(asset) > 0 {
			aid, err := s.parser.assets.Intern(asset)
			if err != nil {
				return nil, err
			}
			f.FeeAsset = aid
			scale := l.QtyScale
			if string(asset) == vo.mk.Quote {
				scale = l.PriceScale
			}
			if f.Fee, err = parseTrunc(t.GetStringBytes("commission"), scale); err != nil {
				return nil, fmt.Errorf("binance: myTrades: malformed commission")
			}
		}
		e := event.Event{Kind: event.KindFill, Venue: instrument.VenueBinance, Instrument: l.Instrument,
			ExchTS: t.GetInt64("time") * int64(time.Millisecond), RecvTS: s.now()}
		*e.Fill() = f
		out = append(out, e)
	}
	s.mu.Lock()
	s.stats.Recovered += uint64(len(out))
	s.mu.Unlock()
	return out, nil
}

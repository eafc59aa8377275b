package bybit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway"
)

// Reconciliation, after every (re)connect and before the Session takes requests:
//
//  1. GET /v5/execution/list per category (the newest 100): fills the streams did not deliver
//     while the Session was away are emitted; fills already seen are dropped by execId.
//  2. GET /v5/order/realtime per category (spot; linear per settle coin): each open order of the
//     prefix is acknowledged if it was not, and adopted if it was not tracked (an order placed
//     before a restart).
//  3. Each tracked order that is not open is looked up by orderLinkId: its final state is
//     reported (CancelAck, Reject, or nothing for Filled: its fills came in step 1). An order
//     the venue does not know never reached it: it is rejected (RejectVenueUnavailable).
//
// A query that fails fails the connection attempt (Run retries with backoff); orders whose
// state could not be settled stay tracked and marked unknown, and are never reported twice.

// reconcile runs the three steps.
func (s *Session) reconcile(ctx context.Context) error {
	for _, cat := range [...]string{"spot", "linear"} {
		body, err := s.get(ctx, "/v5/execution/list", "category="+cat+"&limit=100")
		if err != nil {
			return err
		}
		s.mu.Lock()
		evs, err := s.parser.ApplyExecList(body, s.cfg.Clock())
		s.emitLocked(evs)
		s.mu.Unlock()
		if err != nil {
			return err
		}
	}
	found := map[event.OrderID]bool{}
	queries := []string{"category=spot&limit=50"}
	for _, coin := range s.linears {
		queries = append(queries, "category=linear&settleCoin="+url.QueryEscape(coin)+"&limit=50")
	}
	for _, q := range queries {
		body, err := s.get(ctx, "/v5/order/realtime", q)
		if err != nil {
			return err
		}
		s.mu.Lock()
		evs, err := s.parser.ApplyOrderList(body, s.cfg.Clock(), true, found)
		s.emitLocked(evs)
		s.mu.Unlock()
		if err != nil {
			return err
		}
	}
	type lost struct {
		id  event.OrderID
		cat string
	}
	var check []lost
	s.mu.Lock()
	s.parser.orders.each(func(st *orderState) {
		if found[st.id] {
			return
		}
		st.unknown = true
		cat := "spot"
		if l, err := s.enc.listing(st.instrument); err == nil {
			cat = category(l)
		}
		check = append(check, lost{st.id, cat})
	})
	s.mu.Unlock()
	for _, c := range check {
		link := gateway.AppendClientOrderID(nil, s.cfg.Prefix, c.id)
		body, err := s.get(ctx, "/v5/order/realtime", "category="+c.cat+"&orderLinkId="+string(link))
		if err != nil {
			return err
		}
		s.mu.Lock()
		evs, err := s.parser.ApplyOrderList(body, s.cfg.Clock(), false, found)
		s.emitLocked(evs)
		if err == nil && !found[c.id] {
			s.parser.lost(c.id, s.cfg.Clock())
			s.emitLocked(s.parser.evs)
		}
		s.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// get sends a signed GET and returns the body of a retCode 0 answer.
func (s *Session) get(ctx context.Context, path, query string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.RESTURL+path+"?"+query, nil)
	if err != nil {
		return nil, fmt.Errorf("bybit: GET %s: %w", path, err)
	}
	ts := s.cfg.Clock() / 1e6
	window := s.cfg.RecvWindow.Milliseconds()
	// REST runs on Run's goroutine, which also owns tradeSig (the trade loop is not running).
	sig := s.tradeSig.AppendREST(nil, ts, window, []byte(query))
	h := req.Header
	h.Set("X-BAPI-API-KEY", s.cfg.Credentials.Key)
	h.Set("X-BAPI-TIMESTAMP", strconv.FormatInt(ts, 10))
	h.Set("X-BAPI-RECV-WINDOW", strconv.FormatInt(window, 10))
	h.Set("X-BAPI-SIGN", string(sig))
	resp, err := s.httpc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("bybit: GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("bybit: GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("bybit: GET %s: HTTP %d", path, resp.StatusCode)
	}
	var p fastjson.Parser
	v, err := p.ParseBytes(body)
	if err != nil {
		return nil, fmt.Errorf("bybit: GET %s: %w", path, ErrMessage)
	}
	if code := v.GetInt64("retCode"); code != 0 {
		return nil, fmt.Errorf("bybit: GET %s: retCode %d", path, code)
	}
	return body, nil
}

// ApplyExecList applies a GET /v5/execution/list answer: fills not seen yet are emitted. The
// events are valid until the next call of the Parser.
func (p *Parser) ApplyExecList(body []byte, recvTS int64) ([]event.Event, error) {
	p.evs = p.evs[:0]
	v, err := p.p.ParseBytes(body)
	if err != nil {
		return nil, ErrMessage
	}
	cat := v.GetStringBytes("result", "category")
	for _, d := range v.GetArray("result", "list") {
		if err := p.execReport(d, cat, recvTS); err != nil {
			return p.evs, err
		}
	}
	return p.evs, nil
}

// ApplyOrderList applies a GET /v5/order/realtime answer: each order of the prefix is reported
// as the order stream would report it, and its OrderID set in found. With adopt, open orders
// not tracked are tracked first (and so acknowledged).
func (p *Parser) ApplyOrderList(body []byte, recvTS int64, adopt bool, found map[event.OrderID]bool) ([]event.Event, error) {
	p.evs = p.evs[:0]
	v, err := p.p.ParseBytes(body)
	if err != nil {
		return nil, ErrMessage
	}
	cat := v.GetStringBytes("result", "category")
	for _, d := range v.GetArray("result", "list") {
		id, ok := gateway.ParseClientOrderID(p.prefix, d.GetStringBytes("orderLinkId"))
		if !ok {
			continue
		}
		found[id] = true
		if adopt && p.orders.get(id) == nil {
			l, err := p.listing(d, cat)
			if err != nil {
				return p.evs, err
			}
			if _, ok := p.orders.put(orderState{id: id, instrument: l.Instrument}); !ok {
				return p.evs, errors.New("bybit: too many open orders to track")
			}
		}
		if err := p.orderReport(d, cat, recvTS, 0); err != nil {
			return p.evs, err
		}
	}
	return p.evs, nil
}

// lost rejects a tracked order the venue does not know (it never arrived), into p.evs.
func (p *Parser) lost(id event.OrderID, recvTS int64) {
	p.evs = p.evs[:0]
	st := p.orders.get(id)
	if st == nil {
		return
	}
	e := p.event(event.KindReject, recvTS)
	e.Instrument = st.instrument
	rj := e.Reject()
	rj.Order, rj.Parent, rj.Reason = id, st.parent, event.RejectVenueUnavailable
	p.orders.del(id)
}

var _ = instrument.VenueBybit

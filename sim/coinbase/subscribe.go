package coinbase

import (
	"ems/core/jsontext"
	"fmt"
	"strings"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/sim"
)

// WebSocket requests, one channel per message (venue specs section 5):
//
//	{"type":"subscribe"|"unsubscribe","product_ids":["BTC-USDT"],"channel":"level2","jwt":"<optional>"}
//
// level2 (also accepted as l2_data) and market_trades need product_ids; heartbeats takes none;
// user needs a jwt and takes optional product_ids (none: every product). A subscription starts
// with a snapshot (level2: the whole book; market_trades: recent trades; user: open orders)
// taken atomically with the registration, so the updates that follow apply to it exactly. Every
// accepted request is answered with the connection's current subscriptions:
//
//	{"channel":"subscriptions",...,"events":[{"subscriptions":{"level2":["BTC-USDT"],"heartbeats":["heartbeats"]}}]}
//
// A refused request is answered {"type":"error","message":"..."} and changes nothing. The error
// texts are the simulator's own (the venue does not document its wording).

// wsRequest is a parsed request.
type wsRequest struct {
	unsubscribe bool
	channel     string
	products    []*sim.Market
	jwt         string
}

// handleRequest handles one client message. Runs on the connection's reader goroutine.
func (s *Server) handleRequest(c *conn, msg []byte) {
	if ok, _ := s.v.Allow("ws:"+c.ip, 1, s.v.Now()); !ok {
		c.pushError("rate limit exceeded")
		return
	}
	req, err := s.parseRequest(c, msg)
	if err != "" {
		c.pushError(err)
		return
	}
	if (req.channel == chUser && !req.unsubscribe) || req.jwt != "" {
		acct, err := s.authWS(req.jwt)
		if err != nil {
			c.pushError("authentication failure: " + err.Error())
			return
		}
		if req.channel == chUser && !req.unsubscribe {
			s.subscribeUser(c, acct, req.products)
			return
		}
	}
	switch {
	case req.unsubscribe:
		s.unsubscribe(c, &req)
	case req.channel == chHeartbeats:
		c.hbOn.Store(true)
		s.mu.Lock()
		c.push(outMsg{channel: chSubscriptions, events: s.appendSubscriptions(nil, c)})
		s.mu.Unlock()
	default:
		s.subscribeMarket(c, &req)
	}
}

// parseRequest parses msg; a non-empty string is the error to answer.
func (s *Server) parseRequest(c *conn, msg []byte) (wsRequest, string) {
	var req wsRequest
	v, err := c.parser.ParseBytes(msg)
	if err != nil || v.Type() != fastjson.TypeObject {
		return req, "malformed request: not a JSON object"
	}
	switch string(v.GetStringBytes("type")) {
	case "subscribe":
	case "unsubscribe":
		req.unsubscribe = true
	default:
		return req, fmt.Sprintf("unknown request type %q (want subscribe or unsubscribe)", v.GetStringBytes("type"))
	}
	switch ch := string(v.GetStringBytes("channel")); ch {
	case "level2", chL2Data:
		req.channel = chL2Data
	case chMarketTrades, chHeartbeats, chUser:
		req.channel = ch
	case "":
		return req, "missing channel (one channel per request)"
	default:
		return req, fmt.Sprintf("channel %q is not served by the simulator (level2, market_trades, heartbeats, user)", ch)
	}
	if jv := v.Get("jwt"); jv != nil {
		b, err := jv.StringBytes()
		if err != nil {
			return req, "jwt is not a string"
		}
		req.jwt = string(b)
	}
	if pv := v.Get("product_ids"); pv != nil {
		arr, err := pv.Array()
		if err != nil {
			return req, "product_ids is not an array"
		}
		for _, p := range arr {
			b, err := p.StringBytes()
			if err != nil {
				return req, "product_ids holds a non-string"
			}
			m, ok := s.v.Market(string(b))
			if !ok || m.Symbol != string(b) {
				return req, fmt.Sprintf("unknown product_id %q", b)
			}
			req.products = append(req.products, m)
		}
	}
	if (req.channel == chL2Data || req.channel == chMarketTrades) && len(req.products) == 0 {
		return req, "product_ids required for channel " + req.channel
	}
	return req, ""
}

// subscribeMarket subscribes c to level2 or market_trades of req's products, each starting with
// its snapshot, taken inside the venue lock together with the registration.
func (s *Server) subscribeMarket(c *conn, req *wsRequest) {
	var bids, asks []book.Level
	s.v.Do(func(st *sim.State) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c.dying.Load() {
			return
		}
		for _, m := range req.products {
			i := m.Index
			if req.channel == chL2Data {
				e := st.Engine(m)
				bids = e.Depth(event.SideBuy, e.Levels(event.SideBuy), bids[:0])
				asks = e.Depth(event.SideSell, e.Levels(event.SideSell), asks[:0])
				c.push(outMsg{channel: chL2Data, events: appendL2Snapshot(nil, m, bids, asks), market: m})
				if !c.l2[i] {
					c.l2[i] = true
					s.level2[i] = append(s.level2[i], c)
				}
				continue
			}
			c.push(outMsg{channel: chMarketTrades, market: m,
				events: appendTradeEvents(nil, "snapshot", m, s.recentTrades(i), true)})
			if !c.tr[i] {
				c.tr[i] = true
				s.trades[i] = append(s.trades[i], c)
			}
		}
		c.push(outMsg{channel: chSubscriptions, events: s.appendSubscriptions(nil, c)})
	})
}

// unsubscribe removes req's subscriptions from c.
func (s *Server) unsubscribe(c *conn, req *wsRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch req.channel {
	case chHeartbeats:
		c.hbOn.Store(false)
	case chUser:
		if c.user {
			s.users[c.userAccount] = without(s.users[c.userAccount], c)
			c.user, c.userMarkets = false, nil
		}
	default:
		for _, m := range req.products {
			i := m.Index
			if req.channel == chL2Data && c.l2[i] {
				c.l2[i] = false
				s.level2[i] = without(s.level2[i], c)
			}
			if req.channel == chMarketTrades && c.tr[i] {
				c.tr[i] = false
				s.trades[i] = without(s.trades[i], c)
			}
		}
	}
	c.push(outMsg{channel: chSubscriptions, events: s.appendSubscriptions(nil, c)})
}

// subscribeUser subscribes c to account's order updates on products (none: every product),
// starting with a snapshot of the account's open orders.
func (s *Server) subscribeUser(c *conn, account uint32, products []*sim.Market) {
	markets := s.v.Markets()
	var want []bool
	if len(products) > 0 {
		want = make([]bool, len(markets))
		for _, m := range products {
			want[m.Index] = true
		}
	}
	s.v.Do(func(st *sim.State) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c.dying.Load() {
			return
		}
		a := s.accounts[account]
		body := append([]byte(nil), `[{"type":"snapshot","orders":[`...)
		n := 0
		for _, m := range markets {
			if want != nil && !want[m.Index] {
				continue
			}
			e := st.Engine(m)
			for _, o := range e.Open(account, nil) {
				if n > 0 {
					body = append(body, ',')
				}
				n++
				var meta *orderMeta
				if a != nil {
					meta = a.orders[orderKey{int32(m.Index), o.ID}]
				}
				body = appendUserOrder(body, &o, meta, m, e.Rules())
			}
		}
		body = append(body, `]}]`...)
		if c.user && c.userAccount != account {
			s.users[c.userAccount] = without(s.users[c.userAccount], c)
			c.user = false
		}
		if !c.user {
			s.users[account] = append(s.users[account], c)
		}
		c.user, c.userAccount, c.userMarkets = true, account, want
		c.push(outMsg{channel: chUser, events: body})
		c.push(outMsg{channel: chSubscriptions, events: s.appendSubscriptions(nil, c)})
	})
}

// appendSubscriptions appends the events array of c's subscriptions message. REQUIRES: s.mu.
func (s *Server) appendSubscriptions(dst []byte, c *conn) []byte {
	dst = append(dst, `[{"subscriptions":{`...)
	markets := s.v.Markets()
	list := func(dst []byte, name string, on func(i int) bool) []byte {
		first := true
		for _, m := range markets {
			if !on(m.Index) {
				continue
			}
			if first {
				dst = append(jsontext.AppendKey(dst, name), '[')
				first = false
			} else {
				dst = append(dst, ',')
			}
			dst = jsontext.AppendString(dst, m.Symbol)
		}
		if !first {
			dst = append(dst, ']')
		}
		return dst
	}
	dst = list(dst, "level2", func(i int) bool { return c.l2[i] })
	dst = list(dst, chMarketTrades, func(i int) bool { return c.tr[i] })
	if c.hbOn.Load() {
		dst = append(jsontext.AppendKey(dst, chHeartbeats), `["heartbeats"]`...)
	}
	if c.user {
		if c.userMarkets == nil {
			dst = append(jsontext.AppendKey(dst, chUser), `[]`...)
		} else {
			dst = list(dst, chUser, func(i int) bool { return c.userMarkets[i] })
		}
	}
	return append(dst, `}}]`...)
}

// pushError queues {"type":"error","message":msg}.
func (c *conn) pushError(msg string) {
	b := append([]byte(`{"type":"error","message":`), jsontext.AppendString(nil, strings.TrimSpace(msg))...)
	c.push(outMsg{kind: msgRaw, events: append(b, '}')})
}

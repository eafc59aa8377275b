package bybit

import (
	"ems/core/jsontext"
	"net/http"
	"strconv"
	"time"

	"github.com/valyala/fastjson"

	gw "ems/gateway/bybit"
	"ems/sim"
	"ems/sim/match"
)

// Private topic masks: bit 0 is the all-in-one topic ("order", "execution"), bit cat the
// categorised one ("order.spot", "order.linear").
const topicAll = 1

func catBit(c category) uint8 { return 1 << c }

// servePrivate runs a private WebSocket (/v5/private): auth, then the order and execution
// streams of the key's account.
func (s *Server) servePrivate(w http.ResponseWriter, r *http.Request) {
	c, err := s.upgrade(w, r, connPrivate, 0)
	if err != nil {
		s.logf("upgrade %s: %v", r.URL.Path, err)
		return
	}
	var p fastjson.Parser
	c.serve(func(msg []byte) { s.handlePrivate(c, &p, msg) })
}

// handlePrivate answers one request of a private connection.
func (s *Server) handlePrivate(c *wsConn, p *fastjson.Parser, msg []byte) {
	rq, _, ok := parseRequest(p, msg)
	if !ok {
		c.reply(s.appendAck(nil, c, rq, false, "error:request is not a JSON object"), 0) // [unconfirmed]
		return
	}
	switch rq.op {
	case "auth":
		if c.authed {
			c.reply(s.appendAck(nil, c, rq, false, "Repeat auth"), 0) // wording [unconfirmed]
			return
		}
		key, e := s.wsAuth(rq.args)
		if e != nil {
			c.reply(s.appendAck(nil, c, rq, false, e.msg), 0)
			return
		}
		s.login(c, key)
		c.reply(s.appendAck(nil, c, rq, true, ""), 0)
	case "ping":
		c.reply(s.appendPrivatePong(nil, c, rq), 0)
	case "subscribe", "unsubscribe":
		if !c.authed {
			c.reply(s.appendAck(nil, c, rq, false, "Request not authorized"), 0) // wording [unconfirmed]
			return
		}
		topics, _, bad := topicArgs(rq.args)
		var orders, execs uint8
		kinds := 0 // 1: all-in-one seen, 2: categorised seen
		for _, t := range topics {
			bits, isOrder, ok := privateTopic(t)
			if !ok {
				bad = t
				break
			}
			if bits == topicAll {
				kinds |= 1
			} else {
				kinds |= 2
			}
			if isOrder {
				orders |= bits
			} else {
				execs |= bits
			}
		}
		switch {
		case bad != "" || len(topics) == 0:
			c.reply(s.appendAck(nil, c, rq, false, "error:handler not found,topic:"+bad), 0) // [unconfirmed]
			return
		case rq.op == "subscribe" && kinds == 3:
			// Bybit: the all-in-one and categorised topics cannot share a request.
			c.reply(s.appendAck(nil, c, rq, false, "error:all-in-one and categorised topics in one request"), 0) // [unconfirmed]
			return
		}
		s.mu.Lock()
		if rq.op == "subscribe" {
			c.orderCats |= orders
			c.execCats |= execs
			for _, t := range topics {
				c.topics[t] = true
			}
		} else {
			c.orderCats &^= orders
			c.execCats &^= execs
			for _, t := range topics {
				delete(c.topics, t)
			}
		}
		c.reply(s.appendAck(nil, c, rq, true, ""), 0)
		s.mu.Unlock()
	default:
		c.reply(s.appendAck(nil, c, rq, false, "error:unsupported op"), 0) // [unconfirmed]
	}
}

// privateTopic reads a private topic served: order, execution and their .spot/.linear forms.
func privateTopic(t string) (bits uint8, isOrder, ok bool) {
	name, cat, hasCat := t, "", false
	for i := 0; i < len(t); i++ {
		if t[i] == '.' {
			name, cat, hasCat = t[:i], t[i+1:], true
			break
		}
	}
	switch name {
	case "order":
		isOrder = true
	case "execution":
	default:
		return 0, false, false
	}
	if !hasCat {
		return topicAll, isOrder, true
	}
	c, ok := parseCategory(cat)
	if !ok {
		return 0, false, false
	}
	return catBit(c), isOrder, true
}

// wsAuth verifies the args of an auth operation: [apiKey, expires (ms, number or string),
// signature of "GET/realtime"+expires]. The expiry must lie in the future of the venue's clock.
func (s *Server) wsAuth(args []*fastjson.Value) (sim.APIKey, *apiError) {
	if len(args) != 3 {
		return sim.APIKey{}, errParams("Params Error") // wording [unconfirmed]
	}
	keyText, err1 := args[0].StringBytes()
	sig, err2 := args[2].StringBytes()
	exp := args[1].MarshalTo(nil)
	if args[1].Type() == fastjson.TypeString {
		exp, _ = args[1].StringBytes()
	}
	expires, err3 := strconv.ParseInt(string(exp), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return sim.APIKey{}, errParams("Params Error") // wording [unconfirmed]
	}
	key, ok := s.v.Key(string(keyText))
	if !ok {
		return sim.APIKey{}, &apiError{codeAPIKey, "Invalid apikey"} // wording [unconfirmed]
	}
	if expires <= s.v.Now()/1e6 {
		return sim.APIKey{}, &apiError{codeTimestamp, "Request expired"} // wording [unconfirmed]
	}
	if !gw.NewSigner(key.Key, []byte(key.Secret)).VerifyWSAuth(exp, sig) {
		return sim.APIKey{}, &apiError{codeSign, "Invalid sign"} // wording [unconfirmed]
	}
	return key, nil
}

// login records c as authenticated with key.
func (s *Server) login(c *wsConn, key sim.APIKey) {
	c.authKey, c.authed = key, true
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accts[key.Account]; a != nil {
		c.acct = a
		if c.kind == connPrivate {
			a.addConn(c)
		}
	}
}

// appendPrivatePong appends {"req_id":"...","op":"pong","args":["ms"],"conn_id":"..."}.
func (s *Server) appendPrivatePong(dst []byte, c *wsConn, rq request) []byte {
	dst = append(dst, '{')
	if rq.hasReqID {
		dst = appendStrField(dst, "req_id", rq.reqID)
	}
	dst = appendStrField(dst, "op", "pong")
	dst = append(jsontext.AppendKey(dst, "args"), '[', '"')
	dst = strconv.AppendInt(dst, s.v.Now()/1e6, 10)
	dst = append(dst, '"', ']')
	dst = appendStrField(dst, "conn_id", c.id)
	return append(dst, '}')
}

// onOrder is the venue's order-event callback for the keys' accounts (under the venue lock): it
// records executions and closed orders, and pushes the order and execution streams.
func (s *Server) onOrder(ev sim.OrderEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.mkts[ev.Market.Index]
	o := &ev.Order
	key := orderKey{k.m.Index, o.ID}
	if o.Status == match.StatusRejected {
		if _, ok := s.suppress[key]; ok {
			delete(s.suppress, key) // refused synchronously: Bybit pushes nothing
			return
		}
	}
	a := s.accts[o.Account]
	if a == nil {
		return
	}
	if !o.Status.Open() {
		a.closed.push(key)
	}
	meta := s.meta.get(key)
	var rec *execRecord
	if ev.HasFill {
		if meta == nil {
			meta = &orderMeta{}
			s.meta.put(key, meta)
		}
		rate := k.l.TakerFee
		if ev.Maker {
			rate = k.l.MakerFee
		}
		meta.addFill(k, ev.Fill.Price, ev.Fill.Qty, rate)
		r := execRecord{k: k, fill: ev.Fill, maker: ev.Maker, order: *o}
		a.execs.push(r)
		rec = &r
	}
	if len(a.conns) == 0 || s.closed {
		return
	}
	due := time.Now().Add(s.v.Latency())
	var orderData, execData []byte
	bit := catBit(k.cat)
	for _, c := range a.conns {
		for _, t := range [...]struct {
			mask  uint8
			bits  uint8
			topic string
		}{
			{c.orderCats, topicAll, "order"}, {c.orderCats, bit, "order." + k.cat.String()},
			{c.execCats, topicAll, "execution"}, {c.execCats, bit, "execution." + k.cat.String()},
		} {
			if t.mask&t.bits == 0 {
				continue
			}
			isOrder := t.topic[0] == 'o'
			if !isOrder && rec == nil {
				continue
			}
			if isOrder && orderData == nil {
				orderData = appendOrder(nil, k, o, meta, true)
			}
			if !isOrder && execData == nil {
				execData = appendExec(nil, rec, meta, true)
			}
			data := orderData
			if !isOrder {
				data = execData
			}
			s.msgSeq++
			c.push(s.appendPrivateMessage(nil, t.topic, data), k.m.Name, due)
		}
	}
}

// appendPrivateMessage wraps one order or execution object:
//
//	{"id":"...","topic":"order","creationTime":1672364262474,"data":[{...}]}
func (s *Server) appendPrivateMessage(dst []byte, topic string, data []byte) []byte {
	dst = append(dst, '{')
	dst = append(jsontext.AppendKey(dst, "id"), '"')
	dst = appendHex(dst, s.msgSeq, 14)
	dst = append(dst, "-5e1d-4000-8000-000000000000"...)
	dst = append(dst, '"')
	dst = appendStrField(dst, "topic", topic)
	dst = appendIntField(dst, "creationTime", s.v.Now()/1e6)
	dst = append(jsontext.AppendKey(dst, "data"), '[')
	dst = append(dst, data...)
	return append(dst, ']', '}')
}

package okx

import (
	"ems/core/jsontext"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fastjson"

	gw "ems/gateway/okx"
	"ems/sim"
)

// The private WebSocket (/ws/v5/private): login, the orders channel, order operations.
//
//	{"op":"login","args":[{"apiKey","passphrase","timestamp":"<unix seconds>","sign"}]}
//	→ {"event":"login","code":"0","msg":"","connId":"..."}
//	  or {"event":"error","code":"60009","msg":"Login failure","connId":"..."} (60004 bad
//	  timestamp, 60005 unknown key, 60006 expired timestamp, 60024 wrong passphrase)
//	{"op":"subscribe","args":[{"channel":"orders","instType":"SPOT"|"SWAP"|"FUTURES"|"ANY","instId"?}]}
//	{"id":"1512","op":"order"|"batch-orders"|"cancel-order"|"batch-cancel-orders","args":[...]}
//	(amend-order and batch-amend-orders: amend.go)
//	→ {"id":"1512","op":"order","data":[{"clOrdId","ordId","tag","ts","sCode","sMsg"}],
//	   "code":"0"|"1"|"2","msg":"","inTime":"µs","outTime":"µs"}
//
// sign = Base64(HMAC-SHA256(secret, timestamp + "GET" + "/users/self/verify")), verified with
// the gateway's signing code. An operation's answer is queued before the orders-channel pushes it
// causes (unless the delay-ack fault holds it back, or lose-cancel-ack drops it).

// maxBatch is the most orders one batch operation carries.
const maxBatch = 20

// privateState is a private connection's session.
type privateState struct {
	mu   sync.Mutex // guards subs: read by the venue's order callback
	subs []orderSub

	// Reader goroutine only.
	loggedIn bool
	key      sim.APIKey
}

// orderSub is one orders-channel subscription.
type orderSub struct {
	instType, instID string
	prefix           []byte // {"arg":{...,"uid":"..."},"data":[
}

// matches reports whether the subscription selects mk.
func (s *orderSub) matches(mk *market) bool {
	return mk.matchesType(s.instType) && (s.instID == "" || s.instID == mk.instID)
}

// uid returns the OKX user id shown for an account.
func uid(account uint32) string {
	return strconv.FormatUint(448_000_000_000_000_000+uint64(account), 10)
}

// handlePrivate handles one request on the private endpoint.
func (s *Server) handlePrivate(c *wsConn, msg []byte) {
	r, ok := c.parseRequest(msg)
	if !ok {
		return
	}
	switch r.op {
	case "login":
		if c.allow(r.id) {
			s.login(c, r)
		}
	case "subscribe", "unsubscribe":
		if c.allow(r.id) {
			s.privateSub(c, r)
		}
	case "order", "batch-orders", "cancel-order", "batch-cancel-orders":
		s.orderOp(c, r)
	case "amend-order", "batch-amend-orders":
		s.amendOp(c, r)
	default:
		c.sendError(r.id, wsInvalidOp(r.op))
	}
}

// login verifies a login request.
func (s *Server) login(c *wsConn, r request) {
	args, ok := c.args(r)
	if !ok {
		return
	}
	if len(args) != 1 {
		c.sendError(r.id, wsInvalidArgs)
		return
	}
	a := args[0]
	apiKey, pass, ts, sign := str(a, "apiKey"), str(a, "passphrase"), str(a, "timestamp"), str(a, "sign")
	switch {
	case apiKey == "":
		c.sendError(r.id, paramEmptyWS("apiKey"))
		return
	case pass == "":
		c.sendError(r.id, paramEmptyWS("passphrase"))
		return
	case ts == "":
		c.sendError(r.id, paramEmptyWS("timestamp"))
		return
	case sign == "":
		c.sendError(r.id, paramEmptyWS("sign"))
		return
	case c.priv.loggedIn:
		c.sendError(r.id, wsRepeatLogin)
		return
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		c.sendError(r.id, wsInvalidTS)
		return
	}
	if skew := s.opts.MaxSkew; skew > 0 {
		d := time.Duration(s.v.Now() - sec*int64(time.Second))
		if d > skew || d < -skew {
			c.sendError(r.id, wsTSExpired)
			return
		}
	}
	k, ok := s.keys[apiKey]
	if !ok {
		c.sendError(r.id, wsInvalidKey)
		return
	}
	if pass != k.Passphrase {
		c.sendError(r.id, wsPassphrase)
		return
	}
	want := gw.NewSigner([]byte(k.Secret)).AppendLoginSignature(nil, ts)
	if !gw.Equal(want, []byte(sign)) {
		c.sendError(r.id, wsLoginFailure)
		return
	}
	c.priv.loggedIn, c.priv.key = true, k
	s.trade.addConn(k.Account, c)
	b := []byte(`{`)
	if r.id != "" {
		b = appendField(b, "id", r.id)
		b = append(b, ',')
	}
	b = append(b, `"event":"login","code":"0","msg":"","connId":`...)
	b = jsontext.AppendString(b, c.id)
	c.send(append(b, '}'))
}

// privateSub handles subscribe and unsubscribe of the orders channel.
func (s *Server) privateSub(c *wsConn, r request) {
	if !c.priv.loggedIn {
		c.sendError(r.id, wsPleaseLogin)
		return
	}
	args, ok := c.args(r)
	if !ok {
		return
	}
	for _, a := range args {
		ch, instType, inst := str(a, "channel"), str(a, "instType"), str(a, "instId")
		if ch != "orders" {
			c.sendError(r.id, wsNoChannel("channel:"+ch))
			continue
		}
		switch instType {
		case instSpot, instSwap, instFutures, "MARGIN", "OPTION", "ANY":
		case "":
			c.sendError(r.id, paramEmptyWS("instType"))
			continue
		default:
			c.sendError(r.id, wsInvalidArgs)
			continue
		}
		if inst != "" {
			if _, ok := s.market(inst); !ok {
				c.sendError(r.id, wsNoChannel("channel:orders,instId:"+inst))
				continue
			}
		}
		body := appendField(nil, "channel", "orders")
		body = append(body, ',')
		body = appendField(body, "instType", instType)
		if inst != "" {
			body = append(body, ',')
			body = appendField(body, "instId", inst)
		}
		arg := append(append([]byte{'{'}, body...), '}')
		prefix := append([]byte(`{"arg":{`), body...)
		prefix = append(prefix, ',')
		prefix = appendField(prefix, "uid", uid(c.priv.key.Account))
		prefix = append(prefix, `},"data":[`...)
		c.priv.mu.Lock()
		for i := range c.priv.subs {
			if c.priv.subs[i].instType == instType && c.priv.subs[i].instID == inst {
				c.priv.subs = append(c.priv.subs[:i], c.priv.subs[i+1:]...)
				break
			}
		}
		if r.op == "subscribe" {
			c.priv.subs = append(c.priv.subs, orderSub{instType: instType, instID: inst, prefix: prefix})
		}
		c.priv.mu.Unlock()
		c.sendEvent(r.id, r.op, arg)
	}
}

// orderOp carries out an order operation and answers it.
func (s *Server) orderOp(c *wsConn, r request) {
	if !c.priv.loggedIn {
		c.sendError(r.id, wsPleaseLogin)
		return
	}
	inTime := s.v.Now()
	fail := func(e okxError) {
		c.send(appendOpAnswer(nil, r, nil, e.Code, e.Msg, inTime, s.v.Now()))
	}
	a := r.v.Get("args")
	if a == nil || a.Type() != fastjson.TypeArray {
		fail(wsInvalidArgs)
		return
	}
	items, _ := a.Array()
	single := r.op == "order" || r.op == "cancel-order"
	switch {
	case len(items) == 0, single && len(items) != 1:
		fail(wsInvalidArgs)
		return
	case len(items) > maxBatch:
		fail(errBulkLimit)
		return
	}
	cancel := r.op == "cancel-order" || r.op == "batch-cancel-orders"
	var reqs []orderReq
	if !cancel {
		reqs = make([]orderReq, len(items))
		for i, it := range items {
			reqs[i] = parseOrder(it)
		}
	}
	type cancelArgs struct{ inst, ordID, clOrdID string }
	var cans []cancelArgs
	if cancel {
		for _, it := range items {
			cans = append(cans, cancelArgs{str(it, "instId"), str(it, "ordId"), str(it, "clOrdId")})
		}
	}
	key := c.priv.key
	acks := make([]ack, 0, len(items))
	var answered bool
	s.v.Do(func(st *sim.State) {
		for i := range items {
			if cancel {
				ca := cans[i]
				acks = append(acks, s.trade.cancel(st, &key, ca.inst, ca.ordID, ca.clOrdID))
			} else {
				acks = append(acks, s.trade.place(st, &key, &reqs[i]))
			}
		}
		if delay, lost := holdBack(acks); delay == 0 && !lost {
			// Queued before the orders-channel pushes this Do causes.
			c.send(appendOpAnswer(nil, r, acks, batchCode(acks), "", inTime, st.Now()))
			answered = true
		}
	})
	if answered {
		return
	}
	delay, lost := holdBack(acks)
	if lost {
		return
	}
	time.AfterFunc(time.Duration(delay), func() {
		c.send(appendOpAnswer(nil, r, acks, batchCode(acks), "", inTime, s.v.Now()))
	})
}

// holdBack returns the longest delay-ack delay of acks and whether a cancel answer is lost.
func holdBack(acks []ack) (delay int64, lost bool) {
	for i := range acks {
		delay = max(delay, acks[i].delay)
		lost = lost || acks[i].lost
	}
	return delay, lost
}

// appendOpAnswer appends the answer of WebSocket order operation r.
func appendOpAnswer(b []byte, r request, acks []ack, code, msg string, inTime, outTime int64) []byte {
	b = append(b, '{')
	if r.id != "" {
		b = appendField(b, "id", r.id)
		b = append(b, ',')
	}
	b = appendField(b, "op", r.op)
	b = append(b, `,"data":[`...)
	place := r.op == "order" || r.op == "batch-orders"
	for i := range acks {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAck(b, &acks[i], place, "")
	}
	b = append(b, `],"code":`...)
	b = jsontext.AppendString(b, code)
	b = append(b, `,"msg":`...)
	b = jsontext.AppendString(b, msg)
	b = append(b, `,"inTime":`...)
	b = appendMicrosQ(b, inTime)
	b = append(b, `,"outTime":`...)
	b = appendMicrosQ(b, outTime)
	return append(b, '}')
}

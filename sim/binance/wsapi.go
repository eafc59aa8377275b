package binance

import (
	"ems/core/jsontext"
	"net/http"
	"strings"
	"time"

	"github.com/gobwas/ws"
	"github.com/valyala/fastjson"

	gw "ems/gateway/binance"
)

// The WebSocket API at /ws-api/v3 (venue specs 1.3, 1.4; web-socket-api.md). Requests
// {"id":ID,"method":M,"params":{...}} are answered, one text frame each,
//
//	{"id":ID,"status":200,"result":{...},"rateLimits":[...]}
//	{"id":ID,"status":400,"error":{"code":C,"msg":"..."},"rateLimits":[...]}
//
// Signed methods carry apiKey, timestamp, optional recvWindow and signature in params; the
// signature covers every other param sorted by name (HMAC-SHA256 hex, or Ed25519 base64 for a
// key registered with an Ed25519 public key). rateLimits is left out when the URL or the request
// says returnRateLimits=false.

// wsMethod is one WebSocket API method.
type wsMethod struct {
	weight int
	handle func(s *Server, c *wsConn, req *wsRequest)
}

var wsMethods = map[string]wsMethod{
	"ping":                               {1, (*Server).wsPing},
	"time":                               {1, (*Server).wsTime},
	"order.place":                        {1, (*Server).wsOrderPlace},
	"order.cancel":                       {1, (*Server).wsOrderCancel},
	"order.cancelReplace":                {1, (*Server).wsOrderCancelReplace},
	"order.status":                       {4, (*Server).wsOrderStatus},
	"openOrders.status":                  {6, (*Server).wsOpenOrders},
	"userDataStream.subscribe.signature": {2, (*Server).wsUserSubscribe},
	"userDataStream.unsubscribe":         {2, (*Server).wsUserUnsubscribe},
}

// wsRequest is one parsed WebSocket API request.
type wsRequest struct {
	id         string // the request id as JSON text, echoed
	method     string
	p          params
	sign       []gw.Param // every param but signature, for the signature check
	signature  string
	rateLimits bool
	use        limitUse
}

func (s *Server) serveWSAPI(w http.ResponseWriter, r *http.Request) {
	if _, e := s.chargeWeight(clientIP(r), connectWeight); e != nil {
		s.writeError(w, r, e)
		return
	}
	nc, rw, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		return
	}
	c := newConn(s, nc, rw.Reader, clientIP(r))
	if !s.track(c) {
		c.closeWith(statusGoingAway, "server closing")
		return
	}
	defer s.untrack(c)
	defaultLimits := r.URL.Query().Get("returnRateLimits") != "false"
	c.onText = func(c *wsConn, msg []byte) { s.wsRequest(c, msg, defaultLimits) }
	c.onClose = func(c *wsConn) { s.removeUserSubs(c, -1) }
	c.serve()
}

// wsRequest parses, charges and dispatches one request.
func (s *Server) wsRequest(c *wsConn, msg []byte, rateLimits bool) {
	var jp fastjson.Parser
	v, err := jp.ParseBytes(msg)
	req := &wsRequest{id: "null", rateLimits: rateLimits}
	if err != nil || v.Type() != fastjson.TypeObject {
		s.wsReply(c, req, nil, errBadJSON)
		return
	}
	if id, ok := wsRequestID(v.Get("id")); ok {
		req.id = id
	} else {
		s.wsReply(c, req, nil, errMandatory("id"))
		return
	}
	mv := v.Get("method")
	if mv == nil || mv.Type() != fastjson.TypeString {
		s.wsReply(c, req, nil, errMandatory("method"))
		return
	}
	req.method = strings.TrimPrefix(string(mv.GetStringBytes()), "v3/")
	req.p = params{}
	if pv := v.Get("params"); pv != nil {
		obj, err := pv.Object()
		if err != nil {
			s.wsReply(c, req, nil, errMandatory("params"))
			return
		}
		bad := ""
		obj.Visit(func(k []byte, val *fastjson.Value) {
			text, ok := paramText(val)
			if !ok {
				bad = string(k)
				return
			}
			name := string(k)
			if _, dup := req.p[name]; dup {
				bad = name
			}
			req.p[name] = text
			if name == "signature" {
				req.signature = text
			} else {
				req.sign = append(req.sign, gw.Param{Key: []byte(name), Value: []byte(text)})
			}
		})
		if bad != "" {
			s.wsReply(c, req, nil, errInvalidParam(bad))
			return
		}
	}
	switch req.p["returnRateLimits"] {
	case "false":
		req.rateLimits = false
	case "true":
		req.rateLimits = true
	}
	m, ok := wsMethods[req.method]
	if !ok {
		// Binance's code for an unknown method is not documented; -1020 is the simulator's choice.
		s.wsReply(c, req, nil, errUnsupported)
		return
	}
	w := m.weight
	if req.method == "openOrders.status" && req.p["symbol"] == "" {
		w = 80
	}
	n, e := s.chargeWeight(c.remote, w)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	req.use.weight = n
	m.handle(s, c, req)
}

// wsRequestID returns a request id as JSON text: an integer, a string, or null.
func wsRequestID(v *fastjson.Value) (string, bool) {
	if v == nil {
		return "null", true
	}
	switch v.Type() {
	case fastjson.TypeNull:
		return "null", true
	case fastjson.TypeNumber:
		if _, err := v.Int64(); err != nil {
			return "", false
		}
		return v.String(), true
	case fastjson.TypeString:
		return string(jsontext.AppendString(nil, string(v.GetStringBytes()))), true
	}
	return "", false
}

// paramText returns a param's value as the signature payload spells it: a string's contents, a
// number's or a boolean's literal text.
func paramText(v *fastjson.Value) (string, bool) {
	switch v.Type() {
	case fastjson.TypeString:
		return string(v.GetStringBytes()), true
	case fastjson.TypeNumber:
		return v.String(), true
	case fastjson.TypeTrue:
		return "true", true
	case fastjson.TypeFalse:
		return "false", true
	}
	return "", false
}

// appendReply appends the response to req: result (JSON text) or the error.
func (s *Server) appendReply(dst []byte, req *wsRequest, result []byte, e *apiError) []byte {
	dst = append(dst, `{"id":`...)
	dst = append(dst, req.id...)
	if e != nil {
		dst = append(dst, `,"status":`...)
		dst = appendInt(dst, int64(e.status))
		dst = append(dst, `,"error":{"code":`...)
		dst = appendInt(dst, int64(e.code))
		dst = append(dst, `,"msg":`...)
		dst = jsontext.AppendString(dst, e.msg)
		if e.data != nil {
			dst = append(dst, `,"data":`...)
			dst = append(dst, e.data...)
		}
		if e.retryAfter > 0 {
			// Shape of a throttled response's data as documented for bans (418); assumed for 429.
			now := s.nowMs()
			dst = append(dst, `,"data":{"serverTime":`...)
			dst = appendInt(dst, now)
			dst = append(dst, `,"retryAfter":`...)
			dst = appendInt(dst, now+int64((e.retryAfter+time.Millisecond-1)/time.Millisecond))
			dst = append(dst, '}')
		}
		dst = append(dst, '}')
	} else {
		dst = append(dst, `,"status":200,"result":`...)
		dst = append(dst, result...)
	}
	if req.rateLimits && (e == nil || e.code != -1003) { // a throttled request was not counted
		dst = append(dst, `,"rateLimits":`...)
		dst = s.appendRateLimits(dst, req.use)
	}
	return append(dst, '}')
}

// wsReply queues the response to req.
func (s *Server) wsReply(c *wsConn, req *wsRequest, result []byte, e *apiError) {
	c.send(outMsg{payload: s.appendReply(nil, req, result, e)})
}

// wsAuth checks a signed request: a known apiKey, a valid signature, the timing rule.
func (s *Server) wsAuth(req *wsRequest) (*credential, *apiError) {
	key, ok := req.p["apiKey"]
	if !ok || key == "" {
		return nil, errMandatory("apiKey")
	}
	cr, e := s.keyOf(key)
	if e != nil {
		return nil, e
	}
	if req.signature == "" {
		return nil, errMandatory("signature")
	}
	if !cr.verifyParams(req.sign, []byte(req.signature)) {
		return nil, errSignature
	}
	if e := s.checkTimestamp(req.p["timestamp"], req.p["recvWindow"]); e != nil {
		return nil, e
	}
	return cr, nil
}

func (s *Server) wsPing(c *wsConn, req *wsRequest) { s.wsReply(c, req, []byte("{}"), nil) }

func (s *Server) wsTime(c *wsConn, req *wsRequest) {
	b := append([]byte(`{"serverTime":`), appendInt(nil, s.nowMs())...)
	s.wsReply(c, req, append(b, '}'), nil)
}

// wsOrderPlace is order.place. Its response goes out before the execution reports of the order
// (its place in the queue is reserved inside the venue call), unless the delay-ack fault holds it
// back, when the reports come first.
func (s *Server) wsOrderPlace(c *wsConn, req *wsRequest) {
	cr, e := s.wsAuth(req)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	p := req.p
	delete(p, "returnRateLimits")
	a, e := s.parseNewOrder(p)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	req.use.isOrder = true
	n, e := s.chargeOrder(cr.account)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	req.use.orders = n
	var slot *replySlot
	res := s.place(cr.account, a, func(p *placed) {
		if p.err != nil || p.delay == 0 {
			slot = c.reserve()
		}
	})
	var out []byte
	if res.err != nil {
		out = s.appendReply(nil, req, nil, res.err)
	} else {
		out = s.appendReply(nil, req, appendNewOrder(nil, viewOf(a.mk, &res.o, res.ov), a.resp, res.fills), nil)
	}
	if slot != nil {
		slot.fill(out)
		return
	}
	time.AfterFunc(time.Duration(res.delay), func() { c.send(outMsg{payload: out}) })
}

// wsOrderCancel is order.cancel. A cancel lost by the lose-cancel-ack fault is never answered.
func (s *Server) wsOrderCancel(c *wsConn, req *wsRequest) {
	cr, e := s.wsAuth(req)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	mk, id, client, e := s.orderRef(req.p)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	newID, ok := req.p["newClientOrderId"]
	if ok && !validClientID(newID) {
		s.wsReply(c, req, nil, errIllegal("newClientOrderId", clientIDRange))
		return
	}
	var slot *replySlot
	res := s.cancel(cr.account, mk, id, client, newID, func(r *canceled) {
		if !r.lost {
			slot = c.reserve()
		}
	})
	if slot == nil {
		return
	}
	if res.err != nil {
		slot.fill(s.appendReply(nil, req, nil, res.err))
		return
	}
	slot.fill(s.appendReply(nil, req, appendCanceled(nil, viewOf(mk, &res.o, res.ov), res.clientID), nil))
}

// wsOrderStatus is order.status.
func (s *Server) wsOrderStatus(c *wsConn, req *wsRequest) {
	cr, e := s.wsAuth(req)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	mk, id, client, e := s.orderRef(req.p)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	o, ov, e := s.query(cr.account, mk, id, client)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	s.wsReply(c, req, appendQueryOrder(nil, viewOf(mk, &o, ov)), nil)
}

// wsOpenOrders is openOrders.status.
func (s *Server) wsOpenOrders(c *wsConn, req *wsRequest) {
	cr, e := s.wsAuth(req)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	var mk *market
	if _, ok := req.p["symbol"]; ok {
		if mk, e = s.marketParam(req.p); e != nil {
			s.wsReply(c, req, nil, e)
			return
		}
	}
	s.wsReply(c, req, appendOpenOrders(nil, s.openOrders(cr.account, mk)), nil)
}

// wsUserSubscribe is userDataStream.subscribe.signature: the key's account's execution reports
// follow on this connection as {"subscriptionId":N,"event":{...}}, N counting from 0 per
// connection.
func (s *Server) wsUserSubscribe(c *wsConn, req *wsRequest) {
	cr, e := s.wsAuth(req)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	id := c.nextSub
	c.nextSub++
	// The response's place is taken before the subscription starts, so it precedes every event,
	// and the subscription is in force before the client can read the response.
	slot := c.reserve()
	s.addUserSub(&userSub{c: c, id: id, account: cr.account})
	slot.fill(s.appendReply(nil, req, append(append([]byte(`{"subscriptionId":`), appendInt(nil, int64(id))...), '}'), nil))
}

// wsUserUnsubscribe is userDataStream.unsubscribe: the subscription subscriptionId, or all of
// the connection's.
func (s *Server) wsUserUnsubscribe(c *wsConn, req *wsRequest) {
	id := -1
	if v, ok := req.p["subscriptionId"]; ok {
		n, err := parseSmallInt(v)
		if err != nil {
			s.wsReply(c, req, nil, errInvalidParam("subscriptionId"))
			return
		}
		id = n
	}
	if s.removeUserSubs(c, id) == 0 && id >= 0 {
		s.wsReply(c, req, nil, errInvalidParam("subscriptionId"))
		return
	}
	s.wsReply(c, req, []byte("{}"), nil)
}

func parseSmallInt(s string) (int, error) {
	n := 0
	if s == "" || len(s) > 9 {
		return 0, errDecSyntax
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errDecSyntax
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, nil
}

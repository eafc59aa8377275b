package bybit

import (
	"net/http"

	"github.com/valyala/fastjson"
)

// spotMaxArgs is the number of topics one spot subscribe request may carry.
const spotMaxArgs = 10

// servePublic runs a public market-data WebSocket of category cat (/v5/public/spot, /linear).
func (s *Server) servePublic(w http.ResponseWriter, r *http.Request, cat category) {
	c, err := s.upgrade(w, r, connPublic, cat)
	if err != nil {
		s.logf("upgrade %s: %v", r.URL.Path, err)
		return
	}
	var p fastjson.Parser
	c.serve(func(msg []byte) { s.handlePublic(c, &p, msg) })
}

// request is the common part of a WebSocket request: {"op":...,"args":[...],"req_id":...}.
type request struct {
	op       string
	reqID    string
	hasReqID bool
	args     []*fastjson.Value
}

// parseRequest reads msg; ok is false for text that is not a JSON object.
func parseRequest(p *fastjson.Parser, msg []byte) (request, *fastjson.Value, bool) {
	v, err := p.ParseBytes(msg)
	if err != nil || v.Type() != fastjson.TypeObject {
		return request{}, nil, false
	}
	rq := request{op: string(v.GetStringBytes("op")), args: v.GetArray("args")}
	if id := v.Get("req_id"); id != nil {
		rq.hasReqID = true
		if b, err := id.StringBytes(); err == nil {
			rq.reqID = string(b)
		} else {
			rq.reqID = string(id.MarshalTo(nil))
		}
	}
	return rq, v, true
}

// handlePublic answers one request of a public connection: subscribe, unsubscribe, ping.
func (s *Server) handlePublic(c *wsConn, p *fastjson.Parser, msg []byte) {
	rq, _, ok := parseRequest(p, msg)
	if !ok {
		// Bybit's wording for a malformed request is not documented. [unconfirmed]
		c.reply(s.appendAck(nil, c, rq, false, "error:request is not a JSON object"), 0)
		return
	}
	switch rq.op {
	case "ping":
		c.reply(s.appendAck(nil, c, rq, true, "pong"), 0)
	case "subscribe":
		s.publicSubscribe(c, rq)
	case "unsubscribe":
		topics, _, bad := topicArgs(rq.args)
		if bad != "" {
			c.reply(s.appendAck(nil, c, rq, false, "error:handler not found,topic:"+bad), 0)
			return
		}
		s.mu.Lock()
		for _, t := range topics {
			if c.topics[t] {
				s.unsubscribeLocked(c, t)
			}
		}
		c.reply(s.appendAck(nil, c, rq, true, s.okMsg(c, rq.op)), 0)
		s.mu.Unlock()
	default:
		c.reply(s.appendAck(nil, c, rq, false, "error:unsupported op"), 0) // wording [unconfirmed]
	}
}

// publicSubscribe subscribes c to every topic of rq, or to none when one is refused. The
// acknowledgement precedes the first snapshot.
func (s *Server) publicSubscribe(c *wsConn, rq request) {
	topics, _, bad := topicArgs(rq.args)
	fail := func(msg string) { c.reply(s.appendAck(nil, c, rq, false, msg), 0) }
	switch {
	case bad != "" || len(topics) == 0:
		fail("error:handler not found,topic:" + bad) // wording [unconfirmed]
		return
	case c.cat == catSpot && len(topics) > spotMaxArgs:
		fail("args size >10") // Bybit's spot limit; wording [unconfirmed]
		return
	}
	type sub struct {
		k     *mkt
		depth int
	}
	subs := make([]sub, 0, len(topics))
	for _, t := range topics {
		k, depth, ok := s.parseTopic(c.cat, t)
		if !ok {
			fail("error:handler not found,topic:" + t) // wording [unconfirmed]
			return
		}
		subs = append(subs, sub{k, depth})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range topics {
		if c.topics[t] {
			fail("error:already subscribed,topic:" + t) // wording [unconfirmed]
			return
		}
	}
	c.reply(s.appendAck(nil, c, rq, true, s.okMsg(c, rq.op)), 0)
	for _, sb := range subs {
		s.subscribeLocked(c, sb.k, sb.depth)
	}
}

// topicArgs returns the string arguments of a request; bad is the text of the first argument
// that is not a string.
func topicArgs(args []*fastjson.Value) (topics []string, n int, bad string) {
	for _, a := range args {
		b, err := a.StringBytes()
		if err != nil {
			return nil, 0, string(a.MarshalTo(nil))
		}
		topics = append(topics, string(b))
	}
	return topics, len(topics), ""
}

// okMsg is ret_msg of a successful request: the op on spot public connections, empty elsewhere.
func (s *Server) okMsg(c *wsConn, op string) string {
	if c.kind == connPublic && c.cat == catSpot {
		return op
	}
	return ""
}

// appendAck appends a request acknowledgement of a public or private connection:
//
//	spot:    {"success":true,"ret_msg":"subscribe","conn_id":"...","req_id":"1","op":"subscribe"}
//	linear:  {"success":true,"ret_msg":"","conn_id":"...","req_id":"","op":"subscribe"}
//	private: {"success":true,"ret_msg":"","op":"subscribe","conn_id":"..."}
//
// req_id is echoed when sent (linear public connections always carry it).
func (s *Server) appendAck(dst []byte, c *wsConn, rq request, success bool, retMsg string) []byte {
	dst = append(dst, '{')
	dst = appendBoolField(dst, "success", success)
	dst = appendStrField(dst, "ret_msg", retMsg)
	if c.kind == connPrivate {
		if rq.hasReqID {
			dst = appendStrField(dst, "req_id", rq.reqID)
		}
		dst = appendStrField(dst, "op", rq.op)
		dst = appendStrField(dst, "conn_id", c.id)
		return append(dst, '}')
	}
	dst = appendStrField(dst, "conn_id", c.id)
	if rq.hasReqID || c.cat == catLinear {
		dst = appendStrField(dst, "req_id", rq.reqID)
	}
	dst = appendStrField(dst, "op", rq.op)
	return append(dst, '}')
}

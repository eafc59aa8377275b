package okx

import (
	"github.com/valyala/fastjson"
)

// The public WebSocket (/ws/v5/public): books and trades of the venue's instruments.
//
//	{"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}
//	→ {"id":"1512","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"..."}
//	  then the books snapshot and updates (see books.go)
//	{"op":"unsubscribe","args":[...]} → {"event":"unsubscribe","arg":{...},"connId":"..."}
//
// Other channels (books5, bbo-tbt, books-l2-tbt, books50-l2-tbt, tickers, ...) are not served:
// they are answered with 60018, as OKX answers a channel it does not have.

// handlePublic handles one request on the public endpoint.
func (s *Server) handlePublic(c *wsConn, msg []byte) {
	r, ok := c.parseRequest(msg)
	if !ok {
		return
	}
	switch r.op {
	case "subscribe", "unsubscribe":
		if !c.allow(r.id) {
			return
		}
		args, ok := c.args(r)
		if !ok {
			return
		}
		for _, a := range args {
			s.publicSub(c, r, a)
		}
	default:
		c.sendError(r.id, wsInvalidOp(r.op))
	}
}

// publicSub handles one argument of a subscribe or unsubscribe.
func (s *Server) publicSub(c *wsConn, r request, a *fastjson.Value) {
	ch, inst := str(a, "channel"), str(a, "instId")
	if ch == "" || a.Type() != fastjson.TypeObject {
		c.sendError(r.id, wsInvalidArgs)
		return
	}
	if ch != "books" && ch != "trades" {
		c.sendError(r.id, wsNoChannel("channel:"+ch))
		return
	}
	if inst == "" {
		c.sendError(r.id, paramEmptyWS("instId"))
		return
	}
	m, ok := s.market(inst)
	if !ok {
		c.sendError(r.id, wsNoChannel("channel:"+ch+",instId:"+inst))
		return
	}
	arg := appendField([]byte(`{`), "channel", ch)
	arg = append(arg, ',')
	arg = appendField(arg, "instId", inst)
	arg = append(arg, '}')
	add := r.op == "subscribe"
	c.sendEvent(r.id, r.op, arg) // before the snapshot the publisher queues
	m.pub.subscribe(subRequest{c: c, trades: ch == "trades", add: add})
}

// paramEmptyWS is 60027 for a missing argument.
func paramEmptyWS(name string) okxError {
	return okxError{"60027", "Parameter " + name + " can not be empty.", 0}
}

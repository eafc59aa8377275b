package bybit

import (
	"ems/core/jsontext"
	"net/http"
	"strconv"

	"github.com/valyala/fastjson"
)

// maxReqIDs bounds the reqIds a trade connection remembers for the duplicate check.
const maxReqIDs = 4096

// serveTrade runs a trade WebSocket (/v5/trade): auth, then order.create, order.cancel and
// order.amend.
func (s *Server) serveTrade(w http.ResponseWriter, r *http.Request) {
	c, err := s.upgrade(w, r, connTrade, 0)
	if err != nil {
		s.logf("upgrade %s: %v", r.URL.Path, err)
		return
	}
	c.reqIDs = map[string]struct{}{}
	var p fastjson.Parser
	c.serve(func(msg []byte) { s.handleTrade(c, &p, msg) })
}

// tradeRequest is a trade WebSocket request: {"reqId","header":{...},"op","args":[{...}]}.
type tradeRequest struct {
	reqID    string
	hasReqID bool
	op       string
}

// handleTrade answers one request of a trade connection.
func (s *Server) handleTrade(c *wsConn, p *fastjson.Parser, msg []byte) {
	v, err := p.ParseBytes(msg)
	if err != nil || v.Type() != fastjson.TypeObject {
		c.reply(s.appendTradeResponse(nil, c, tradeRequest{}, &apiError{codeParams, "Request parameter error."}, nil), 0)
		return
	}
	rq := tradeRequest{op: string(v.GetStringBytes("op"))}
	if id := v.Get("reqId"); id != nil {
		rq.hasReqID = true
		if b, err := id.StringBytes(); err == nil {
			rq.reqID = string(b)
		} else {
			rq.reqID = string(id.MarshalTo(nil))
		}
	}
	switch rq.op {
	case "auth":
		if c.authed {
			c.reply(s.appendTradeResponse(nil, c, rq, &apiError{codeRepeatAuth, "Repeat auth"}, nil), 0)
			return
		}
		key, e := s.wsAuth(v.GetArray("args"))
		if e == nil {
			s.login(c, key)
		}
		c.reply(s.appendTradeResponse(nil, c, rq, e, nil), 0)
	case "ping":
		b := append([]byte(`{"retCode":0,"retMsg":"OK","op":"pong","data":["`), strconv.AppendInt(nil, s.v.Now()/1e6, 10)...)
		b = append(b, `"]`...)
		b = appendStrField(b, "connId", c.id)
		c.reply(append(b, '}'), 0)
	case "order.create", "order.cancel", "order.amend":
		ack, e := s.tradeOrder(c, v, rq)
		if ack.lost {
			return // the lose-cancel-ack fault: the cancel happened, its answer never comes
		}
		var data []byte
		if e == nil {
			data = appendAckResult(nil, ack)
		}
		c.reply(s.appendTradeResponse(nil, c, rq, e, data), ack.delay)
	default:
		c.reply(s.appendTradeResponse(nil, c, rq, &apiError{codeOpNotFound, "op type is not found"}, nil), 0) // wording [unconfirmed]
	}
}

// tradeOrder checks an order request's session, reqId and header, then places, cancels or
// amends.
func (s *Server) tradeOrder(c *wsConn, v *fastjson.Value, rq tradeRequest) (orderAck, *apiError) {
	if !c.authed {
		return orderAck{}, &apiError{codeAuthFailed, "User authentication failed."}
	}
	if rq.hasReqID {
		if _, dup := c.reqIDs[rq.reqID]; dup {
			return orderAck{}, &apiError{codeReqIDRepeat, "reqId is duplicated"} // wording [unconfirmed]
		}
		if len(c.reqOrder) >= maxReqIDs {
			delete(c.reqIDs, c.reqOrder[0])
			c.reqOrder = c.reqOrder[1:]
		}
		c.reqIDs[rq.reqID] = struct{}{}
		c.reqOrder = append(c.reqOrder, rq.reqID)
	}
	h := v.Get("header")
	if h == nil {
		return orderAck{}, errParams("params error: header is required") // wording [unconfirmed]
	}
	tsText, _, _ := str(h, "X-BAPI-TIMESTAMP")
	winText, _, _ := str(h, "X-BAPI-RECV-WINDOW")
	if e := s.checkWindow(tsText, winText); e != nil {
		return orderAck{}, e
	}
	args := v.GetArray("args")
	if len(args) != 1 || args[0].Type() != fastjson.TypeObject {
		return orderAck{}, errParams("params error: args must hold one order") // wording [unconfirmed]
	}
	if cs, _, _ := str(args[0], "category"); cs != "spot" && cs != "linear" {
		return orderAck{}, &apiError{codeOpNotFound, "category is not correct/supported"} // wording [unconfirmed]
	}
	if rq.op == "order.create" {
		n, e := s.parseCreate(args[0])
		if e != nil {
			return orderAck{}, e
		}
		return s.place(c.authKey, n)
	}
	if rq.op == "order.amend" {
		a, e := s.parseAmend(args[0])
		if e != nil {
			return orderAck{}, e
		}
		return s.amend(c.authKey, a)
	}
	cr, e := s.parseCancel(args[0])
	if e != nil {
		return orderAck{}, e
	}
	return s.cancel(c.authKey, cr)
}

// appendTradeResponse appends a trade WebSocket answer; e nil is success. data is the result
// object (nil: {} for order ops, absent for auth):
//
//	{"reqId":"1","retCode":0,"retMsg":"OK","op":"order.create",
//	 "data":{"orderId":"...","orderLinkId":""},"header":{...},"connId":"sim-3"}
func (s *Server) appendTradeResponse(dst []byte, c *wsConn, rq tradeRequest, e *apiError, data []byte) []byte {
	code, msg := codeOK, "OK"
	if e != nil {
		code, msg = e.code, e.msg
	}
	dst = append(dst, '{')
	if rq.hasReqID {
		dst = appendStrField(dst, "reqId", rq.reqID)
	}
	dst = appendIntField(dst, "retCode", int64(code))
	dst = appendStrField(dst, "retMsg", msg)
	dst = appendStrField(dst, "op", rq.op)
	if rq.op == "order.create" || rq.op == "order.cancel" || rq.op == "order.amend" {
		if data == nil {
			data = []byte("{}")
		}
		dst = appendRaw(dst, "data", data)
		now := s.v.Now() / 1e6
		dst = append(jsontext.AppendKey(dst, "header"), '{')
		dst = appendStrField(dst, "X-Bapi-Limit", strconv.Itoa(s.v.Config().RateLimit.Orders))
		dst = appendStrField(dst, "X-Bapi-Limit-Reset-Timestamp", strconv.FormatInt(now, 10))
		dst = append(jsontext.AppendKey(dst, "Traceid"), '"')
		dst = appendHex(dst, s.traceSeq.Add(1), 32)
		dst = append(dst, '"')
		dst = appendStrField(dst, "Timenow", strconv.FormatInt(now, 10))
		dst = append(dst, '}')
	}
	dst = appendStrField(dst, "connId", c.id)
	return append(dst, '}')
}

// checkWindow applies Bybit's receive window to a request's timestamp and recvWindow (ms, as
// sent; recvWindow "" is 5000): server_time - recv_window <= timestamp < server_time + 1000.
func (s *Server) checkWindow(tsText, winText string) *apiError {
	now := s.v.Now() / 1e6
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return errTimestamp(0, now, 0)
	}
	window := int64(5000)
	if winText != "" {
		if window, err = strconv.ParseInt(winText, 10, 64); err != nil || window <= 0 {
			return errTimestamp(ts, now, 0)
		}
	}
	if now-window > ts || ts >= now+1000 {
		return errTimestamp(ts, now, window)
	}
	return nil
}

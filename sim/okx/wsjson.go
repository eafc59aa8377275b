package okx

import (
	"ems/core/jsontext"
	"net"

	"github.com/valyala/fastjson"
)

// WebSocket request handling common to both endpoints: parsing, the text keep-alive, events.
//
//	ping                                                    → pong
//	{"id":"1","op":"subscribe","args":[{...},...]}          → {"id":"1","event":"subscribe","arg":{...},"connId":"..."} per arg
//	malformed                                               → {"event":"error","code":"60012","msg":"Invalid request: ...","connId":"..."}

var pong = []byte("pong")

// request is a parsed WebSocket request: valid until the connection's next parse.
type request struct {
	id, op string
	v      *fastjson.Value
}

// parseRequest parses msg on the connection's parser. It answers "ping" and malformed requests
// itself and then returns ok false.
func (c *wsConn) parseRequest(msg []byte) (r request, ok bool) {
	if string(msg) == "ping" {
		c.send(pong)
		return r, false
	}
	v, err := c.parser.ParseBytes(msg)
	if err != nil || v.Type() != fastjson.TypeObject {
		c.sendError("", wsInvalidRequest(msg))
		return r, false
	}
	r = request{id: str(v, "id"), op: str(v, "op"), v: v}
	if r.op == "" {
		c.sendError(r.id, wsInvalidRequest(msg))
		return r, false
	}
	return r, true
}

// allow applies the venue's request limit to a subscription or login request of this
// connection (keyed by client host), answering 60014 when it is exceeded.
func (c *wsConn) allow(id string) bool {
	host, _, err := net.SplitHostPort(c.remote)
	if err != nil {
		host = c.remote
	}
	if ok, _ := c.srv.v.Allow("ws|"+host, 1, c.srv.v.Now()); !ok {
		c.sendError(id, wsTooFrequent)
		return false
	}
	return true
}

// sendError sends {"id","event":"error","code","msg","connId"} ("id" only when the request had
// one).
func (c *wsConn) sendError(id string, e okxError) {
	b := make([]byte, 0, 128+len(e.Msg))
	b = append(b, '{')
	if id != "" {
		b = append(b, `"id":`...)
		b = jsontext.AppendString(b, id)
		b = append(b, ',')
	}
	b = append(b, `"event":"error","code":`...)
	b = jsontext.AppendString(b, e.Code)
	b = append(b, `,"msg":`...)
	b = jsontext.AppendString(b, e.Msg)
	b = append(b, `,"connId":`...)
	b = jsontext.AppendString(b, c.id)
	c.send(append(b, '}'))
}

// sendEvent sends {"id","event":event,"arg":arg,"connId"}; arg is a JSON object.
func (c *wsConn) sendEvent(id, event string, arg []byte) {
	b := make([]byte, 0, 96+len(arg))
	b = append(b, '{')
	if id != "" {
		b = append(b, `"id":`...)
		b = jsontext.AppendString(b, id)
		b = append(b, ',')
	}
	b = append(b, `"event":`...)
	b = jsontext.AppendString(b, event)
	b = append(b, `,"arg":`...)
	b = append(b, arg...)
	b = append(b, `,"connId":`...)
	b = jsontext.AppendString(b, c.id)
	c.send(append(b, '}'))
}

// args returns the request's "args" array, answering 60013 when it is missing or empty.
func (c *wsConn) args(r request) ([]*fastjson.Value, bool) {
	a := r.v.Get("args")
	if a == nil || a.Type() != fastjson.TypeArray {
		c.sendError(r.id, wsInvalidArgs)
		return nil, false
	}
	items, _ := a.Array()
	if len(items) == 0 {
		c.sendError(r.id, wsInvalidArgs)
		return nil, false
	}
	return items, true
}

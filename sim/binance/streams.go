package binance

import (
	"ems/core/jsontext"
	"net/http"
	"strings"

	"github.com/gobwas/ws"
	"github.com/valyala/fastjson"
)

// Market-data WebSocket endpoints (venue specs 1.1):
//
//	/ws/<stream>                 raw stream(s), payloads as they are
//	/stream?streams=<a>/<b>      combined streams, each payload in {"stream":"<a>","data":...}
//	/ws, /stream                 no stream yet: subscribe with {"method":"SUBSCRIBE",...}
//
// Every connection takes the live-subscription requests SUBSCRIBE, UNSUBSCRIBE,
// LIST_SUBSCRIPTIONS, SET_PROPERTY and GET_PROPERTY ("combined"), answered {"result":...,"id":N}
// or, for a malformed request, {"code":C,"msg":"...","id":N} with Binance's codes 0 to 3.

// maxStreams is Binance's limit of streams per connection.
const maxStreams = 1024

// connectWeight is charged to the client's address per WebSocket connection (Binance counts
// connection attempts per IP; the simulator charges them to the request-weight limit).
const connectWeight = 2

func (s *Server) serveStreams(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	var names []string
	combined := strings.HasPrefix(path, "/stream")
	switch {
	case combined:
		if v := r.URL.Query().Get("streams"); v != "" {
			names = strings.Split(v, "/")
		}
	case strings.HasPrefix(path, "/ws/"):
		if rest := strings.Trim(path[len("/ws/"):], "/"); rest != "" {
			names = strings.Split(rest, "/")
		}
	}
	if len(names) > maxStreams {
		s.writeError(w, r, newErr(http.StatusBadRequest, -1101, "Too many parameters sent for this endpoint."))
		return
	}
	if _, e := s.chargeWeight(clientIP(r), connectWeight); e != nil {
		s.writeError(w, r, e)
		return
	}
	nc, rw, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		return // UpgradeHTTP answered the request (400 and the reason)
	}
	c := newConn(s, nc, rw.Reader, clientIP(r))
	if !s.track(c) {
		c.closeWith(statusGoingAway, "server closing")
		return
	}
	defer s.untrack(c)
	c.combined.Store(combined)
	for _, n := range names {
		if n != "" {
			s.hub.subscribe(c, n)
		}
	}
	c.onText = s.streamRequest
	c.onClose = func(c *wsConn) { s.hub.unsubscribe(c, "") }
	c.serve()
}

// streamRequest answers one live-subscription request.
func (s *Server) streamRequest(c *wsConn, msg []byte) {
	var p fastjson.Parser
	v, err := p.ParseBytes(msg)
	if err != nil || v.Type() != fastjson.TypeObject {
		c.send(outMsg{payload: streamError(nil, 3, "Invalid JSON: expected value at line 1 column 1", "")})
		return
	}
	id, ok := requestID(v.Get("id"))
	if !ok {
		c.send(outMsg{payload: streamError(nil, 2, "Invalid request: request ID must be an unsigned integer", "")})
		return
	}
	mv := v.Get("method")
	if mv == nil || mv.Type() != fastjson.TypeString {
		c.send(outMsg{payload: streamError(nil, 2, "Invalid request: missing field `method` at line 1 column "+
			itoa(len(msg)), id)})
		return
	}
	params := v.GetArray("params")
	method := string(mv.GetStringBytes())
	var out []byte
	switch method {
	case "SUBSCRIBE", "UNSUBSCRIBE":
		names := make([]string, 0, len(params))
		for _, pv := range params {
			b, err := pv.StringBytes()
			if err != nil || len(b) == 0 {
				c.send(outMsg{payload: streamError(nil, 2, "Invalid request: stream names must be strings", id)})
				return
			}
			names = append(names, string(b))
		}
		if method == "SUBSCRIBE" && len(s.hub.list(c))+len(names) > maxStreams {
			c.send(outMsg{payload: streamError(nil, 2, "Invalid request: too many parameters", id)})
			return
		}
		for _, n := range names {
			if method == "SUBSCRIBE" {
				s.hub.subscribe(c, n)
			} else {
				s.hub.unsubscribe(c, n)
			}
		}
		out = streamResult(nil, "null", id)
	case "LIST_SUBSCRIPTIONS":
		list := []byte{'['}
		for i, n := range s.hub.list(c) {
			if i > 0 {
				list = append(list, ',')
			}
			list = jsontext.AppendString(list, n)
		}
		out = streamResult(nil, string(append(list, ']')), id)
	case "SET_PROPERTY":
		if len(params) != 2 {
			out = streamError(nil, 2, "Invalid request: too many parameters", id)
			break
		}
		if name, err := params[0].StringBytes(); err != nil {
			out = streamError(nil, 2, "Invalid request: property name must be a string", id)
		} else if string(name) != "combined" {
			out = streamError(nil, 0, "Unknown property", id)
		} else if b, err := params[1].Bool(); err != nil {
			out = streamError(nil, 1, "Invalid value type: expected Boolean", id)
		} else {
			c.combined.Store(b)
			out = streamResult(nil, "null", id)
		}
	case "GET_PROPERTY":
		if len(params) != 1 {
			out = streamError(nil, 2, "Invalid request: too many parameters", id)
			break
		}
		if name, err := params[0].StringBytes(); err != nil {
			out = streamError(nil, 2, "Invalid request: property name must be a string", id)
		} else if string(name) != "combined" {
			out = streamError(nil, 0, "Unknown property", id)
		} else if c.combined.Load() {
			out = streamResult(nil, "true", id)
		} else {
			out = streamResult(nil, "false", id)
		}
	default:
		out = streamError(nil, 2, "Invalid request: unknown variant `"+method+
			"`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 28", id)
	}
	c.send(outMsg{payload: out})
}

// requestID returns a request id as JSON text: a non-negative integer, an alphanumeric string of
// at most 36 characters, or null (absent counts as null).
func requestID(v *fastjson.Value) (string, bool) {
	if v == nil {
		return "null", true
	}
	switch v.Type() {
	case fastjson.TypeNull:
		return "null", true
	case fastjson.TypeNumber:
		if _, err := v.Uint64(); err != nil {
			return "", false
		}
		return v.String(), true
	case fastjson.TypeString:
		b := v.GetStringBytes()
		if len(b) == 0 || len(b) > 36 {
			return "", false
		}
		for _, ch := range b {
			if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9') {
				return "", false
			}
		}
		return `"` + string(b) + `"`, true
	}
	return "", false
}

// streamResult appends {"result":result,"id":id}.
func streamResult(dst []byte, result, id string) []byte {
	dst = append(dst, `{"result":`...)
	dst = append(dst, result...)
	dst = append(dst, `,"id":`...)
	dst = append(dst, id...)
	return append(dst, '}')
}

// streamError appends {"code":code,"msg":msg,"id":id} (without id when id is ""), the error
// shape of the market-data streams' live-subscription requests.
func streamError(dst []byte, code int, msg, id string) []byte {
	dst = append(dst, `{"code":`...)
	dst = appendInt(dst, int64(code))
	dst = append(dst, `,"msg":`...)
	dst = jsontext.AppendString(dst, msg)
	if id != "" {
		dst = append(dst, `,"id":`...)
		dst = append(dst, id...)
	}
	return append(dst, '}')
}

func itoa(n int) string { return string(appendInt(nil, int64(n))) }

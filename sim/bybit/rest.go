package bybit

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/valyala/fastjson"

	gw "ems/gateway/bybit"
	"ems/sim"
)

// maxBody bounds a REST request body.
const maxBody = 1 << 20

// reply is a REST handler's answer.
type reply struct {
	result []byte    // the encoded result object (nil: {})
	err    *apiError // nil: retCode 0
	status int       // HTTP status (0: 200)
	delay  time.Duration
	drop   bool // close the connection without an answer (lose-cancel-ack)
	limit  bool // add the X-Bapi-Limit headers of order endpoints
}

// restCall is one REST request as the handlers see it.
type restCall struct {
	r     *http.Request
	query url.Values
	body  []byte
	key   sim.APIKey // private endpoints: the authenticated key
	p     fastjson.Parser
}

type route struct {
	method  string
	private bool
	handle  func(s *Server, c *restCall) reply
}

// routeOf returns the REST endpoint served at path.
func routeOf(path string) (route, bool) {
	switch path {
	case "/v5/market/time":
		return route{http.MethodGet, false, (*Server).marketTime}, true
	case "/v5/market/instruments-info":
		return route{http.MethodGet, false, (*Server).instrumentsInfo}, true
	case "/v5/market/orderbook":
		return route{http.MethodGet, false, (*Server).orderbook}, true
	case "/v5/order/create":
		return route{http.MethodPost, true, (*Server).orderCreate}, true
	case "/v5/order/cancel":
		return route{http.MethodPost, true, (*Server).orderCancel}, true
	case "/v5/order/amend":
		return route{http.MethodPost, true, (*Server).orderAmend}, true
	case "/v5/order/realtime":
		return route{http.MethodGet, true, (*Server).orderRealtime}, true
	case "/v5/execution/list":
		return route{http.MethodGet, true, (*Server).executionList}, true
	case "/v5/user/query-api":
		return route{http.MethodGet, true, (*Server).queryAPI}, true
	case "/v5/account/info":
		return route{http.MethodGet, true, (*Server).accountInfo}, true
	}
	return route{}, false
}

// serveREST answers a REST request: the IP rate limit (HTTP 403, as Bybit's IP limit), the
// route (10017 for an unknown path or method), authentication for private endpoints, the
// handler, then the venue's latency.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	now := s.v.Now()
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	if ok, _ := s.v.Allow(ip, 1, now); !ok {
		time.Sleep(s.v.Latency())
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "403 Forbidden: access too frequent\n")
		return
	}
	rt, ok := routeOf(r.URL.Path)
	var rep reply
	switch {
	case !ok || rt.method != r.Method:
		rep = reply{err: &apiError{codeRoute, "Route not found"}, status: http.StatusNotFound}
	default:
		c := &restCall{r: r}
		var err error
		if c.query, err = url.ParseQuery(r.URL.RawQuery); err != nil {
			rep = reply{err: errParams("Request parameter error.")}
			break
		}
		if r.Method == http.MethodPost {
			if c.body, err = io.ReadAll(io.LimitReader(r.Body, maxBody)); err != nil {
				rep = reply{err: errParams("Request parameter error.")}
				break
			}
		}
		if rt.private {
			params := []byte(r.URL.RawQuery)
			if r.Method == http.MethodPost {
				params = c.body
			}
			if c.key, rep.err = s.authREST(r, params); rep.err != nil {
				break
			}
		}
		rep = rt.handle(s, c)
	}
	time.Sleep(s.v.Latency() + rep.delay)
	if rep.drop {
		if hj, ok := w.(http.Hijacker); ok {
			if nc, _, err := hj.Hijack(); err == nil {
				nc.Close()
				return
			}
		}
	}
	body := s.appendEnvelope(make([]byte, 0, 256+len(rep.result)), rep)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if rep.limit {
		h.Set("X-Bapi-Limit", strconv.Itoa(s.v.Config().RateLimit.Orders))
		h.Set("X-Bapi-Limit-Reset-Timestamp", strconv.FormatInt(s.v.Now()/1e6, 10))
	}
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(body)
}

// appendEnvelope appends Bybit's response envelope:
//
//	{"retCode":0,"retMsg":"OK","result":{...},"retExtInfo":{},"time":1671017382656}
func (s *Server) appendEnvelope(dst []byte, rep reply) []byte {
	code, msg := codeOK, "OK"
	if rep.err != nil {
		code, msg = rep.err.code, rep.err.msg
	}
	result := rep.result
	if result == nil || rep.err != nil {
		result = []byte("{}")
	}
	dst = append(dst, '{')
	dst = appendIntField(dst, "retCode", int64(code))
	dst = appendStrField(dst, "retMsg", msg)
	dst = appendRaw(dst, "result", result)
	dst = appendRaw(dst, "retExtInfo", []byte("{}"))
	dst = appendIntField(dst, "time", s.v.Now()/1e6)
	return append(dst, '}')
}

// authREST authenticates a private request: X-BAPI-API-KEY, X-BAPI-TIMESTAMP within
// X-BAPI-RECV-WINDOW (default 5000) of the venue's clock, and X-BAPI-SIGN over timestamp +
// key + recvWindow + params (the query string of a GET, the body of a POST).
func (s *Server) authREST(r *http.Request, params []byte) (sim.APIKey, *apiError) {
	keyText := r.Header.Get("X-BAPI-API-KEY")
	key, ok := s.v.Key(keyText)
	if keyText == "" || !ok {
		return sim.APIKey{}, errAPIKey
	}
	ts, win := r.Header.Get("X-BAPI-TIMESTAMP"), r.Header.Get("X-BAPI-RECV-WINDOW")
	if e := s.checkWindow(ts, win); e != nil {
		return sim.APIKey{}, e
	}
	sig := r.Header.Get("X-BAPI-SIGN")
	if !gw.NewSigner(key.Key, []byte(key.Secret)).VerifyREST([]byte(ts), []byte(win), params, []byte(sig)) {
		origin := append([]byte(ts), key.Key...)
		origin = append(append(origin, win...), params...)
		return sim.APIKey{}, errSign(origin)
	}
	return key, nil
}

// queryCategory reads the category parameter.
func queryCategory(q url.Values) (category, *apiError) {
	c, ok := parseCategory(q.Get("category"))
	if !ok {
		return 0, errCategory
	}
	return c, nil
}

// queryLimit reads the limit parameter: def when absent, an error outside [1, max].
func queryLimit(q url.Values, def, max int) (int, *apiError) {
	t := q.Get("limit")
	if t == "" {
		return def, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 || n > max {
		return 0, errParams("params error: limit invalid") // wording [unconfirmed]
	}
	return n, nil
}

// marketTime answers GET /v5/market/time: {"timeSecond":"...","timeNano":"..."}.
func (s *Server) marketTime(c *restCall) reply {
	now := s.v.Now()
	b := append([]byte(`{"timeSecond":"`), strconv.FormatInt(now/1e9, 10)...)
	b = append(b, `","timeNano":"`...)
	b = append(strconv.AppendInt(b, now, 10), '"', '}')
	return reply{result: b}
}

package coinbase

import (
	"ems/core/jsontext"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// REST routing and the venue's error shape. Errors that are not an order's failure are answered
// with an HTTP status and
//
//	{"error":"<gRPC status name>","error_details":"<text>","message":"<text>"}
//
// as the venue's API gateway words them (UNAUTHENTICATED on 401, NOT_FOUND on 404,
// INVALID_ARGUMENT on 400). Not sure: the throttling body (429 RESOURCE_EXHAUSTED, by the same
// gateway convention; the live venue has also been seen answering 429 with an HTML page) and
// the texts, which are the simulator's own. An order's own failure is HTTP 200 with
// success:false (see order.go).

const apiPrefix = "/api/v3/brokerage/"

// maxBody bounds a request body.
const maxBody = 1 << 20

// route is one REST endpoint.
type route struct {
	method  string
	private bool // needs a JWT
	order   bool // counts against the order rate limit too
	handle  func(s *Server, q *request) reply
}

// request is a REST request as a handler sees it.
type request struct {
	r    *http.Request
	key  *apiKey // nil on public endpoints
	body []byte
	id   string // the {id} path element, where the route has one
}

// reply is a handler's answer.
type reply struct {
	status int
	body   []byte
	delay  time.Duration // extra delay before answering (delay-ack fault)
	drop   bool          // close the connection without answering (lose-cancel-ack fault)
}

func jsonReply(body []byte) reply { return reply{status: http.StatusOK, body: body} }

// errorReply answers status with the venue's error body.
func errorReply(status int, code, text string) reply {
	b := append([]byte(`{"error":`), jsontext.AppendString(nil, code)...)
	b = appendField(b, "error_details", text)
	b = appendField(b, "message", text)
	return reply{status: status, body: append(b, '}')}
}

func badRequest(text string) reply {
	return errorReply(http.StatusBadRequest, "INVALID_ARGUMENT", text)
}

func notFound(text string) reply { return errorReply(http.StatusNotFound, "NOT_FOUND", text) }

// lookupRoute returns the route of path (below apiPrefix) and its {id} element.
func lookupRoute(path string) (*route, string, bool) {
	switch path {
	case "time":
		return &routeTime, "", true
	case "market/products":
		return &routeProducts, "", true
	case "market/product_book":
		return &routeProductBook, "", true
	case "products":
		return &routeProductsPrivate, "", true
	case "product_book":
		return &routeProductBookPrivate, "", true
	case "best_bid_ask":
		return &routeBestBidAsk, "", true
	case "transaction_summary":
		return &routeTransactionSummary, "", true
	case "orders":
		return &routeCreateOrder, "", true
	case "orders/batch_cancel":
		return &routeBatchCancel, "", true
	case "orders/edit":
		return &routeEditOrder, "", true
	case "orders/historical/batch":
		return &routeListOrders, "", true
	case "orders/historical/fills":
		return &routeListFills, "", true
	}
	for _, p := range []struct {
		prefix string
		r      *route
	}{
		{"market/products/", &routeProduct},
		{"products/", &routeProductPrivate},
		{"orders/historical/", &routeGetOrder},
	} {
		if id, ok := strings.CutPrefix(path, p.prefix); ok && id != "" && !strings.Contains(id, "/") {
			return p.r, id, true
		}
	}
	return nil, "", false
}

var (
	routeTime               = route{method: http.MethodGet, handle: (*Server).serverTime}
	routeProducts           = route{method: http.MethodGet, handle: (*Server).listProducts}
	routeProduct            = route{method: http.MethodGet, handle: (*Server).getProduct}
	routeProductBook        = route{method: http.MethodGet, handle: (*Server).productBook}
	routeProductsPrivate    = route{method: http.MethodGet, private: true, handle: (*Server).listProducts}
	routeProductPrivate     = route{method: http.MethodGet, private: true, handle: (*Server).getProduct}
	routeProductBookPrivate = route{method: http.MethodGet, private: true, handle: (*Server).productBook}
	routeBestBidAsk         = route{method: http.MethodGet, private: true, handle: (*Server).bestBidAsk}
	routeTransactionSummary = route{method: http.MethodGet, private: true, handle: (*Server).transactionSummary}
	routeCreateOrder        = route{method: http.MethodPost, private: true, order: true, handle: (*Server).createOrder}
	routeBatchCancel        = route{method: http.MethodPost, private: true, handle: (*Server).batchCancel}
	routeEditOrder          = route{method: http.MethodPost, private: true, order: true, handle: (*Server).editOrder}
	routeListOrders         = route{method: http.MethodGet, private: true, handle: (*Server).listOrders}
	routeListFills          = route{method: http.MethodGet, private: true, handle: (*Server).listFills}
	routeGetOrder           = route{method: http.MethodGet, private: true, handle: (*Server).getOrder}
)

// serveREST serves one REST request: route, authenticate, rate-limit, handle, then answer after
// the venue's latency.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	rep := s.handleREST(r)
	s.delay()
	if rep.delay > 0 {
		time.Sleep(rep.delay)
	}
	if rep.drop {
		if nc, _, err := http.NewResponseController(w).Hijack(); err == nil {
			nc.Close()
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	w.Write(rep.body)
}

func (s *Server) handleREST(r *http.Request) reply {
	path, ok := strings.CutPrefix(r.URL.Path, apiPrefix)
	rt, id, found := lookupRoute(path)
	if !ok || !found {
		return notFound("Not Found: " + r.Method + " " + r.URL.Path)
	}
	if r.Method != rt.method {
		return errorReply(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method Not Allowed: "+r.Method+" "+r.URL.Path)
	}
	q := &request{r: r, id: id}
	now := s.v.Now()
	limitKey := "ip:" + remoteIP(r)
	if rt.private {
		k, err := s.authREST(r)
		if err != nil {
			return errorReply(http.StatusUnauthorized, "UNAUTHENTICATED", "unauthorized: "+err.Error())
		}
		q.key, limitKey = k, k.name
	}
	if ok, _ := s.v.Allow(limitKey, 1, now); !ok {
		return errorReply(http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "Too many requests")
	}
	if rt.order {
		if ok, _ := s.v.AllowOrder(limitKey, now); !ok {
			return errorReply(http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "Too many requests")
		}
	}
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return badRequest("request body too large")
			}
			return badRequest("cannot read request body")
		}
		q.body = body
	}
	return rt.handle(s, q)
}

func remoteIP(r *http.Request) string {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return ip
}

// queryList returns the values of a repeated query parameter, also accepting one
// comma-separated value.
func queryList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// serverTime answers GET time with the venue's clock:
// {"iso":"2024-03-01T00:00:00Z","epochSeconds":"1709251200","epochMillis":"1709251200000"}.
func (s *Server) serverTime(*request) reply {
	now := s.v.Now()
	b := appendTimeField([]byte{'{'}, "iso", now)
	b = appendIntString(b, "epochSeconds", now/int64(time.Second))
	b = appendIntString(b, "epochMillis", now/int64(time.Millisecond))
	return jsonReply(append(b, '}'))
}

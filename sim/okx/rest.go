package okx

import (
	"ems/core/jsontext"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/sim"
)

// REST under /api/v5/. Answers are OKX's envelopes:
//
//	{"code":"0","msg":"","data":[...]}                                   success (HTTP 200)
//	{"code":"0"|"1"|"2","msg":"","data":[{...,"sCode","sMsg"}],"inTime":"µs","outTime":"µs"}
//	                                                                     order operations
//	{"code":"51603","msg":"Order does not exist.","data":[]}            request errors
//	{"msg":"Invalid Sign","code":"50113"}                                gateway errors: auth
//	                                                                     (401), rate limit (429),
//	                                                                     unknown path (404),
//	                                                                     method (405)
//
// Every request counts weight 1 against the venue's request limit, keyed by API key (or client
// host for public endpoints); the venue's latency is added before each answer.

// maxBody bounds a request body.
const maxBody = 1 << 20

// exchange is one REST request being served.
type exchange struct {
	w    http.ResponseWriter
	r    *http.Request
	body []byte
	key  sim.APIKey
	in   int64 // venue time the request arrived (inTime)
}

// endpoint is one REST handler.
type endpoint struct {
	private bool
	fn      func(s *Server, x *exchange)
}

// restRoutes maps path → method → handler.
var restRoutes = map[string]map[string]endpoint{
	"/api/v5/public/instruments":        {http.MethodGet: {false, (*Server).getInstruments}},
	"/api/v5/market/books":              {http.MethodGet: {false, (*Server).getBooks}},
	"/api/v5/trade/order":               {http.MethodPost: {true, (*Server).postOrder}, http.MethodGet: {true, (*Server).getOrder}},
	"/api/v5/trade/batch-orders":        {http.MethodPost: {true, (*Server).postBatchOrders}},
	"/api/v5/trade/cancel-order":        {http.MethodPost: {true, (*Server).postCancelOrder}},
	"/api/v5/trade/cancel-batch-orders": {http.MethodPost: {true, (*Server).postCancelBatch}},
	"/api/v5/trade/amend-order":         {http.MethodPost: {true, (*Server).postAmendOrder}},
	"/api/v5/trade/amend-batch-orders":  {http.MethodPost: {true, (*Server).postAmendBatch}},
	"/api/v5/trade/orders-pending":      {http.MethodGet: {true, (*Server).getOrdersPending}},
	"/api/v5/trade/fills":               {http.MethodGet: {true, (*Server).getFills}},
	"/api/v5/trade/fills-history":       {http.MethodGet: {true, (*Server).getFillsHistory}},
}

// routes returns the server's HTTP handler.
func (s *Server) routes() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case PathPublic:
		s.upgrade(w, r, s.handlePublic)
		return
	case PathPrivate:
		s.upgrade(w, r, s.handlePrivate)
		return
	}
	if lat := s.v.Latency(); lat > 0 {
		time.Sleep(lat)
	}
	methods, ok := restRoutes[r.URL.Path]
	if !ok {
		writeGateway(w, errNotFound)
		return
	}
	ep, ok := methods[r.Method]
	if !ok {
		writeGateway(w, errMethod)
		return
	}
	x := &exchange{w: w, r: r, in: s.v.Now()}
	limitKey := r.Header.Get("OK-ACCESS-KEY")
	if !ep.private || limitKey == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		limitKey = "ip|" + host
	}
	if ok, _ := s.v.Allow(limitKey, 1, x.in); !ok {
		writeGateway(w, errTooManyReqs)
		return
	}
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil || len(body) == 0 {
			writeErr(w, errBodyEmpty)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "" {
			if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
				writeErr(w, errContentType)
				return
			}
		}
		x.body = body
	}
	if ep.private {
		k, e := s.authREST(r, x.body)
		if e != nil {
			writeGateway(w, *e)
			return
		}
		x.key = k
	}
	ep.fn(s, x)
}

// writeJSON writes an answer.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeGateway writes a gateway error: {"msg","code"}.
func writeGateway(w http.ResponseWriter, e okxError) {
	b := appendField([]byte(`{`), "msg", e.Msg)
	b = append(b, ',')
	b = appendField(b, "code", e.Code)
	writeJSON(w, e.Status, append(b, '}'))
}

// writeErr writes a request error: {"code","msg","data":[]}.
func writeErr(w http.ResponseWriter, e okxError) {
	b := appendField([]byte(`{`), "code", e.Code)
	b = append(b, ',')
	b = appendField(b, "msg", e.Msg)
	writeJSON(w, e.Status, append(b, `,"data":[]}`...))
}

// writeData writes a success answer whose data array is data (a JSON array).
func writeData(w http.ResponseWriter, data []byte) {
	b := make([]byte, 0, len(data)+32)
	b = append(b, `{"code":"0","msg":"","data":`...)
	b = append(b, data...)
	writeJSON(w, http.StatusOK, append(b, '}'))
}

// parseBody parses the request body, answering 50002 when it is not JSON.
func (x *exchange) parseBody(p *fastjson.Parser) (*fastjson.Value, bool) {
	v, err := p.ParseBytes(x.body)
	if err != nil {
		writeErr(x.w, errJSON)
		return nil, false
	}
	return v, true
}

// writeOps writes the answer of order operations (place answers carry tag and, on success,
// sMsg okMsg).
func (s *Server) writeOps(x *exchange, acks []ack, place bool, okMsg string) {
	code := batchCode(acks)
	msg := ""
	switch code {
	case "1":
		msg = msgAllFailed
	case "2":
		msg = msgPartial
	}
	b := appendField([]byte(`{`), "code", code)
	b = append(b, ',')
	b = appendField(b, "msg", msg)
	b = append(b, `,"data":[`...)
	for i := range acks {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAck(b, &acks[i], place, okMsg)
	}
	b = append(b, `],"inTime":`...)
	b = appendMicrosQ(b, x.in)
	b = append(b, `,"outTime":`...)
	b = appendMicrosQ(b, s.v.Now())
	writeJSON(x.w, http.StatusOK, append(b, '}'))
}

// getInstruments serves GET /api/v5/public/instruments?instType=&instId=.
func (s *Server) getInstruments(x *exchange) {
	q := x.r.URL.Query()
	instType, inst := q.Get("instType"), q.Get("instId")
	switch instType {
	case "":
		writeErr(x.w, paramEmpty("instType"))
		return
	case instSpot, instSwap, instFutures, "MARGIN", "OPTION":
	default:
		writeErr(x.w, paramError("instType"))
		return
	}
	if inst != "" {
		if m, ok := s.market(inst); !ok || m.instType != instType {
			e := errNoInstrument
			writeErr(x.w, e)
			return
		}
	}
	b := []byte{'['}
	n := 0
	for _, m := range s.markets {
		if m.instType != instType || (inst != "" && m.instID != inst) {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = appendInstrument(b, m)
		n++
	}
	writeData(x.w, append(b, ']'))
}

// getBooks serves GET /api/v5/market/books?instId=&sz= (sz levels per side, 1 by default, at
// most 400), from the Engine at the time of the request; seqId is the market's book sequence.
func (s *Server) getBooks(x *exchange) {
	q := x.r.URL.Query()
	inst := q.Get("instId")
	if inst == "" {
		writeErr(x.w, paramEmpty("instId"))
		return
	}
	m, ok := s.market(inst)
	if !ok {
		writeErr(x.w, errNoInstrument)
		return
	}
	n := 1
	if v := q.Get("sz"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > DefaultDepth {
			writeErr(x.w, paramError("sz"))
			return
		}
	}
	var bids, asks []book.Level
	var seq uint64
	var ts int64
	s.v.Do(func(st *sim.State) {
		e := st.Engine(m.sm)
		bids = e.Depth(event.SideBuy, n, make([]book.Level, 0, n))
		asks = e.Depth(event.SideSell, n, make([]book.Level, 0, n))
		seq, ts = st.Seq(m.sm), st.Now()
	})
	ps, qs := m.l.PriceScale, m.l.QtyScale
	b := append([]byte(nil), `[{"asks":`...)
	b = appendLevels(b, asks, ps, qs)
	b = append(b, `,"bids":`...)
	b = appendLevels(b, bids, ps, qs)
	b = append(b, `,"ts":`...)
	b = appendMillisQ(b, ts)
	b = append(b, `,"seqId":`...)
	b = strconv.AppendUint(b, seq, 10)
	writeData(x.w, append(b, "}]"...))
}

// postOrder serves POST /api/v5/trade/order.
func (s *Server) postOrder(x *exchange) {
	var p fastjson.Parser
	v, ok := x.parseBody(&p)
	if !ok {
		return
	}
	r := parseOrder(v)
	s.placeREST(x, []orderReq{r})
}

// postBatchOrders serves POST /api/v5/trade/batch-orders (a JSON array of orders).
func (s *Server) postBatchOrders(x *exchange) {
	var p fastjson.Parser
	v, ok := x.parseBody(&p)
	if !ok {
		return
	}
	items, err := v.Array()
	switch {
	case err != nil:
		writeErr(x.w, errJSON)
		return
	case len(items) == 0:
		writeErr(x.w, paramEmpty("orders"))
		return
	case len(items) > maxBatch:
		writeErr(x.w, errBulkLimit)
		return
	}
	reqs := make([]orderReq, len(items))
	for i, it := range items {
		reqs[i] = parseOrder(it)
	}
	s.placeREST(x, reqs)
}

// placeREST places reqs in one venue batch and answers.
func (s *Server) placeREST(x *exchange, reqs []orderReq) {
	acks := make([]ack, 0, len(reqs))
	s.v.Do(func(st *sim.State) {
		for i := range reqs {
			acks = append(acks, s.trade.place(st, &x.key, &reqs[i]))
		}
	})
	if d, _ := holdBack(acks); d > 0 {
		time.Sleep(time.Duration(d))
	}
	s.writeOps(x, acks, true, "Order placed")
}

// postCancelOrder serves POST /api/v5/trade/cancel-order.
func (s *Server) postCancelOrder(x *exchange) {
	var p fastjson.Parser
	v, ok := x.parseBody(&p)
	if !ok {
		return
	}
	if v.Type() != fastjson.TypeObject {
		writeErr(x.w, errJSON)
		return
	}
	s.cancelREST(x, []*fastjson.Value{v})
}

// postCancelBatch serves POST /api/v5/trade/cancel-batch-orders (a JSON array).
func (s *Server) postCancelBatch(x *exchange) {
	var p fastjson.Parser
	v, ok := x.parseBody(&p)
	if !ok {
		return
	}
	items, err := v.Array()
	switch {
	case err != nil:
		writeErr(x.w, errJSON)
		return
	case len(items) == 0:
		writeErr(x.w, paramEmpty("orders"))
		return
	case len(items) > maxBatch:
		writeErr(x.w, errBulkLimit)
		return
	}
	s.cancelREST(x, items)
}

// cancelREST cancels items in one venue batch and answers, unless the lose-cancel-ack fault
// fires: then the connection is dropped without an answer, as if the answer was lost.
func (s *Server) cancelREST(x *exchange, items []*fastjson.Value) {
	acks := make([]ack, 0, len(items))
	s.v.Do(func(st *sim.State) {
		for _, it := range items {
			acks = append(acks, s.trade.cancel(st, &x.key, str(it, "instId"), str(it, "ordId"), str(it, "clOrdId")))
		}
	})
	if _, lost := holdBack(acks); lost {
		if hj, ok := x.w.(http.Hijacker); ok {
			if nc, _, err := hj.Hijack(); err == nil {
				_ = nc.Close()
				return
			}
		}
	}
	s.writeOps(x, acks, false, "")
}

// getOrder serves GET /api/v5/trade/order?instId=&ordId=|clOrdId=.
func (s *Server) getOrder(x *exchange) {
	q := x.r.URL.Query()
	inst, ordID, clOrdID := q.Get("instId"), q.Get("ordId"), q.Get("clOrdId")
	if inst == "" {
		writeErr(x.w, paramEmpty("instId"))
		return
	}
	m, ok := s.market(inst)
	if !ok {
		writeErr(x.w, errNoInstrument)
		return
	}
	if ordID == "" && clOrdID == "" {
		writeErr(x.w, errNeedOrderID)
		return
	}
	var b []byte
	s.v.Do(func(st *sim.State) {
		if o := s.trade.find(x.key.Account, m, ordID, clOrdID); o != nil {
			b = s.trade.appendOrder(append(b, '['), o, nil, false)
			b = append(b, ']')
		}
	})
	if b == nil {
		writeErr(x.w, errOrderNotFound)
		return
	}
	writeData(x.w, b)
}

// getOrdersPending serves GET /api/v5/trade/orders-pending?instType=&instId=&limit=.
func (s *Server) getOrdersPending(x *exchange) {
	q := x.r.URL.Query()
	limit, ok := queryLimit(x)
	if !ok {
		return
	}
	b := []byte{'['}
	s.v.Do(func(st *sim.State) {
		for i, o := range s.trade.pending(x.key.Account, q.Get("instType"), q.Get("instId")) {
			if i == limit {
				break
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = s.trade.appendOrder(b, o, nil, false)
		}
	})
	writeData(x.w, append(b, ']'))
}

// getFills serves GET /api/v5/trade/fills?instType=&instId=&ordId=&after=&before=&limit=.
func (s *Server) getFills(x *exchange) { s.fillsREST(x, false) }

// getFillsHistory serves GET /api/v5/trade/fills-history (instType required). The simulator
// keeps one bounded fill history, so both endpoints read the same fills.
func (s *Server) getFillsHistory(x *exchange) { s.fillsREST(x, true) }

func (s *Server) fillsREST(x *exchange, history bool) {
	q := x.r.URL.Query()
	instType := q.Get("instType")
	if history && instType == "" {
		writeErr(x.w, paramEmpty("instType"))
		return
	}
	limit, ok := queryLimit(x)
	if !ok {
		return
	}
	after, err1 := queryUint(q.Get("after"))
	before, err2 := queryUint(q.Get("before"))
	if err1 != nil || err2 != nil {
		writeErr(x.w, paramError("after"))
		return
	}
	b := []byte{'['}
	s.v.Do(func(st *sim.State) {
		for i, r := range s.trade.fills(x.key.Account, instType, q.Get("instId"), q.Get("ordId"), after, before, limit) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFill(b, r)
		}
	})
	writeData(x.w, append(b, ']'))
}

// queryLimit reads "limit" (1..100, default 100), answering 51000 when invalid.
func queryLimit(x *exchange) (int, bool) {
	v := x.r.URL.Query().Get("limit")
	if v == "" {
		return 100, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		writeErr(x.w, paramError("limit"))
		return 0, false
	}
	return n, true
}

// queryUint parses an optional unsigned query value ("" is 0).
func queryUint(v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	return strconv.ParseUint(v, 10, 64)
}

// appendInstrument appends an instrument object of /public/instruments (docs-v5 field order).
func appendInstrument(b []byte, m *market) []byte {
	l := m.l
	deriv := !m.spot()
	pick := func(cond bool, v string) string {
		if cond {
			return v
		}
		return ""
	}
	b = append(b, `{"alias":"","auctionEndTime":"","baseCcy":`...)
	b = jsontext.AppendString(b, pick(!deriv, m.base))
	b = append(b, `,"category":"1","ctMult":`...)
	b = jsontext.AppendString(b, pick(deriv, "1"))
	b = append(b, `,"ctType":`...)
	b = jsontext.AppendString(b, pick(deriv, "linear"))
	b = append(b, `,"ctVal":`...)
	if deriv {
		b = appendDec(b, l.ContractValue, l.ContractScale)
	} else {
		b = append(b, `""`...)
	}
	b = append(b, `,"ctValCcy":`...)
	b = jsontext.AppendString(b, pick(deriv, m.base))
	b = append(b, `,"contTdSwTime":"","expTime":"","futureSettlement":false,"groupId":"1","instFamily":`...)
	b = jsontext.AppendString(b, m.family())
	b = append(b, `,"instId":`...)
	b = jsontext.AppendString(b, m.instID)
	b = append(b, `,"instType":`...)
	b = jsontext.AppendString(b, m.instType)
	b = append(b, `,"lever":`...)
	b = jsontext.AppendString(b, pick(deriv, "100"))
	b = append(b, `,"listTime":"1606468572000","lotSz":`...)
	b = appendDec(b, l.Lot, l.QtyScale)
	b = append(b, `,"maxIcebergSz":"9999999999","maxLmtAmt":"1000000","maxLmtSz":"9999999999","maxMktAmt":"1000000","maxMktSz":"1000000","maxStopSz":"","maxTriggerSz":"9999999999","maxTwapSz":"9999999999","minSz":`...)
	b = appendDec(b, l.MinQty, l.QtyScale)
	b = append(b, `,"optType":"","openType":`...)
	b = jsontext.AppendString(b, pick(!deriv, "call_auction"))
	b = append(b, `,"preMktSwTime":"","quoteCcy":`...)
	b = jsontext.AppendString(b, pick(!deriv, m.quote))
	b = append(b, `,"tradeQuoteCcyList":[`...)
	if !deriv {
		b = jsontext.AppendString(b, m.quote)
	}
	b = append(b, `],"settleCcy":`...)
	b = jsontext.AppendString(b, pick(deriv, m.quote))
	b = append(b, `,"state":"live","ruleType":"normal","stk":"","tickSz":`...)
	b = appendDec(b, l.Tick, l.PriceScale)
	b = append(b, `,"uly":`...)
	b = jsontext.AppendString(b, m.family())
	b = append(b, `,"instIdCode":`...)
	b = strconv.AppendUint(b, 1_000_000_000+uint64(l.Instrument), 10)
	return append(b, `,"instCategory":"1","upcChg":[]}`...)
}

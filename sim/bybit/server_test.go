package bybit

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"ems/core/instrument"
	"ems/feed/transport"
	"ems/sim"
)

// TestStartLoopbackOnly: non-loopback addresses are refused; loopback ones are served.
func TestStartLoopbackOnly(t *testing.T) {
	e := newEnv(t)
	for _, addr := range []string{"0.0.0.0:0", ":0", "10.1.2.3:0", "example.com:80", "nope"} {
		s, err := New(e.v, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Start(addr); err == nil {
			s.Close()
			t.Fatalf("Start(%q) accepted", addr)
		}
	}
	if _, err := e.s.Start("127.0.0.1:0"); err == nil {
		t.Fatal("second Start accepted")
	}
	if !strings.HasPrefix(e.s.URL(), "http://127.0.0.1:") || !strings.HasPrefix(e.s.PublicURL("spot"), "ws://127.0.0.1:") {
		t.Fatalf("URLs %s %s", e.s.URL(), e.s.PublicURL("spot"))
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Fatal("New(nil) accepted")
	}
}

// TestNewRefusesOtherVenues: a server is for a bybit venue only.
func TestNewRefusesOtherVenues(t *testing.T) {
	m, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.DefaultConfig()
	vs, err := sim.NewVenues(cfg, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		_, err := New(v, Options{})
		if (v.Name() == "bybit") != (err == nil) {
			t.Fatalf("New(%s): %v", v.Name(), err)
		}
	}
}

// TestUnknownAndMalformed: unknown paths and methods get Bybit's envelope with 10017 and HTTP
// 404; a plain GET on a WebSocket path is answered (400), never hung.
func TestUnknownAndMalformed(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/v5/nope"}, {http.MethodGet, "/"}, {http.MethodGet, "/v5/order/create"},
		{http.MethodDelete, "/v5/market/orderbook"},
	} {
		r := e.rest(c.method, c.path, "", "", "", "")
		if r.Status != http.StatusNotFound {
			t.Fatalf("%s %s: status %d", c.method, c.path, r.Status)
		}
		wantErr(t, r, codeRoute)
	}
	r := e.rest(http.MethodGet, "/v5/public/spot", "", "", "", "")
	if r.Status != http.StatusBadRequest {
		t.Fatalf("GET on a WebSocket path: %d %s", r.Status, r.Body)
	}
	wantErr(t, e.rest(http.MethodGet, "/v5/market/orderbook", query("category", "spot"), "", "", ""), codeSpotParam)
	wantErr(t, e.rest(http.MethodGet, "/v5/market/orderbook", query("category", "linear", "symbol", "NOPE"), "", "", ""), codeParams)
	wantErr(t, e.rest(http.MethodGet, "/v5/market/orderbook", query("category", "spot", "symbol", "BTCUSDT", "limit", "201"), "", "", ""), codeParams)
	wantErr(t, e.rest(http.MethodGet, "/v5/market/instruments-info", query("category", "option"), "", "", ""), codeParams)
}

// TestMarketREST: instruments-info from the master's listings; orderbook levels from the
// Engine's book with the u of the stream Bybit documents (spot orderbook.50, linear .200).
func TestMarketREST(t *testing.T) {
	e := newEnv(t)
	for range 3 {
		e.step()
	}
	r := e.rest(http.MethodGet, "/v5/market/instruments-info", query("category", "spot", "symbol", "BTCUSDT"), "", "", "")
	var info struct {
		Category string `json:"category"`
		List     []struct {
			Symbol        string            `json:"symbol"`
			LotSizeFilter map[string]string `json:"lotSizeFilter"`
			PriceFilter   map[string]string `json:"priceFilter"`
		} `json:"list"`
	}
	if err := json.Unmarshal(r.Result, &info); err != nil || len(info.List) != 1 {
		t.Fatalf("instruments-info: %s", r.Body)
	}
	if l := info.List[0]; l.PriceFilter["tickSize"] != "0.01" || l.LotSizeFilter["basePrecision"] != "0.000001" ||
		l.LotSizeFilter["minOrderQty"] != "0.000048" || l.LotSizeFilter["minOrderAmt"] != "1" {
		t.Fatalf("spot filters %+v", l)
	}
	r = e.rest(http.MethodGet, "/v5/market/instruments-info", query("category", "linear"), "", "", "")
	if !strings.Contains(string(r.Result), `"tickSize":"0.1"`) || !strings.Contains(string(r.Result), `"qtyStep":"0.001"`) ||
		!strings.Contains(string(r.Result), `"minNotionalValue":"5"`) {
		t.Fatalf("linear instruments-info: %s", r.Body)
	}
	for _, tc := range []struct {
		cat   category
		depth int
	}{{catSpot, 50}, {catLinear, 200}} {
		k := e.mkt(tc.cat, "BTCUSDT")
		r = e.rest(http.MethodGet, "/v5/market/orderbook", query("category", tc.cat.String(), "symbol", "BTCUSDT", "limit", "5"), "", "", "")
		var ob struct {
			S string      `json:"s"`
			A [][2]string `json:"a"`
			B [][2]string `json:"b"`
			U uint64      `json:"u"`
		}
		if err := json.Unmarshal(r.Result, &ob); err != nil {
			t.Fatalf("orderbook: %s", r.Body)
		}
		bid, ask := e.best(k)
		if ob.S != "BTCUSDT" || len(ob.A) != 5 || len(ob.B) != 5 || ob.A[0][0] != px(k, ask) || ob.B[0][0] != px(k, bid) {
			t.Fatalf("%s orderbook: %s", tc.cat, r.Body)
		}
		if ob.U != e.streamU(k, tc.depth) {
			t.Fatalf("%s orderbook u %d, stream u %d", tc.cat, ob.U, e.streamU(k, tc.depth))
		}
	}
	if r := e.rest(http.MethodGet, "/v5/market/time", "", "", "", ""); !strings.Contains(string(r.Result), `"timeSecond":"1709251200"`) {
		t.Fatalf("time: %s", r.Body)
	}
}

// TestCloseSendsCloseFrames: Close ends every WebSocket with a close frame (1001) and stops
// the REST server.
func TestCloseSendsCloseFrames(t *testing.T) {
	e := newEnv(t)
	w := e.dial(e.s.PublicURL("linear"))
	w.send(`{"op":"ping"}`)
	w.next()
	if err := e.s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := w.read(5 * time.Second)
	var ce *transport.CloseError
	if !errors.As(err, &ce) || ce.Code != ws.StatusGoingAway {
		t.Fatalf("after Close: %v", err)
	}
	if _, err := e.call(http.MethodGet, "/v5/market/time", "", "", "", ""); err == nil {
		t.Fatal("REST still served after Close")
	}
}

// TestRateLimits: the per-key order limit answers 10006 "Too many visits!"; the per-IP request
// limit answers HTTP 403 as Bybit's IP limit does.
func TestRateLimits(t *testing.T) {
	e := newEnv(t, func(vc *sim.VenueConfig) {
		vc.RateLimit = sim.RateLimit{Orders: 2, OrderWindow: time.Minute, Weight: 8, Window: time.Minute}
	})
	k := e.mkt(catSpot, "BTCUSDT")
	bid, _ := e.best(k)
	body := orderBody(k, "Buy", "Limit", "0.001", px(k, bid-5*k.l.Tick), "", "")
	ackID(t, e.create(body))
	ackID(t, e.create(body))
	r := e.create(body)
	wantErr(t, r, codeTooManyVisits)
	if r.RetMsg != "Too many visits!" || r.Header.Get("X-Bapi-Limit") != "2" {
		t.Fatalf("order limit answer %q headers %v", r.RetMsg, r.Header)
	}
	// The trade WebSocket shares the order limit.
	tw := e.dial(e.s.TradeURL())
	tw.send(`{"op":"auth","args":` + e.authMsg(key1, secret1)[len(`{"req_id":"a1","op":"auth","args":`):])
	tw.next()
	tw.send(e.tradeReq("x", "order.create", body))
	if m := tw.next(); m["retCode"] != float64(codeTooManyVisits) {
		t.Fatalf("WS order limit: %v", m)
	}
	// Three creates so far; five more requests exhaust the weight of 8.
	for i := 0; i < 5; i++ {
		if r := e.rest(http.MethodGet, "/v5/market/time", "", "", "", ""); r.Status != http.StatusOK {
			t.Fatalf("request %d: %d", i, r.Status)
		}
	}
	r = e.rest(http.MethodGet, "/v5/market/time", "", "", "", "")
	if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "access too frequent") {
		t.Fatalf("IP limit: %d %s", r.Status, r.Body)
	}
	e.clk.add(time.Minute)
	if r := e.rest(http.MethodGet, "/v5/market/time", "", "", "", ""); r.Status != http.StatusOK {
		t.Fatalf("after the window: %d", r.Status)
	}
}

package binance

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"ems/core/event"
	"ems/feed/transport"
	"ems/sim"
)

// oneShot is a fault that fires at its first evaluation once the venue clock passed its start.
func oneShot(k sim.FaultKind) sim.Fault { return sim.Fault{Kind: k, At: time.Nanosecond} }

// diffMsg is a depthUpdate in a combined-stream envelope.
type diffMsg struct {
	Stream string `json:"stream"`
	Data   struct {
		E  string `json:"e"`
		ET int64  `json:"E"` // present so that "E" does not land in E (encoding/json ignores case)
		S  string `json:"s"`
		U  uint64 `json:"U"`
		L  uint64 `json:"u"`
	} `json:"data"`
}

func readDiff(t *testing.T, b []byte) diffMsg {
	t.Helper()
	var d diffMsg
	decodeJSON(t, b, &d)
	return d
}

func TestFaultDisconnect(t *testing.T) {
	e := newEnv(t, envConfig{faults: []sim.Fault{oneShot(sim.FaultDisconnect)}})
	e.clock.Add(int64(time.Millisecond))
	c := dialWS(t, e.s.StreamURL()+"/ws")
	c.send(`{"method":"LIST_SUBSCRIPTIONS","id":1}`)
	if b := c.read(5 * time.Second); string(b) != `{"result":[],"id":1}` {
		t.Fatalf("LIST_SUBSCRIPTIONS: %s", b)
	}
	_, err := c.tryRead(5 * time.Second)
	var ce *transport.CloseError
	if !errors.As(err, &ce) || ce.Code != ws.StatusGoingAway {
		t.Fatalf("after the fault: %v, want a close frame 1001", err)
	}
	// One-shot: a new connection stays up.
	c2 := dialWS(t, e.s.StreamURL()+"/ws")
	c2.send(`{"method":"LIST_SUBSCRIPTIONS","id":2}`)
	c2.read(5 * time.Second)
	if b, err := c2.tryRead(100 * time.Millisecond); !isTimeout(err) {
		t.Fatalf("second connection: %s %v", b, err)
	}
}

// TestFaultStale: while the fault holds BTCUSDT, its streams are silent and ETHUSDT's flow;
// afterwards BTCUSDT's diff resumes with no gap.
func TestFaultStale(t *testing.T) {
	e := newEnv(t, envConfig{faults: []sim.Fault{{Kind: sim.FaultStale, Symbol: "BTCUSDT", At: time.Second, Duration: time.Second}}})
	l0 := e.depth("BTCUSDT", 10).LastUpdateID
	c := dialWS(t, e.s.StreamURL()+"/stream?streams=btcusdt@depth@100ms/ethusdt@depth@100ms/btcusdt@trade/btcusdt@bookTicker")
	e.clock.Store(epoch + int64(1200*time.Millisecond))
	eth := 0
	for i := 0; eth < 3; i++ {
		if i > 200 {
			t.Fatal("no ETHUSDT diffs while BTCUSDT is stale")
		}
		e.advance(20 * time.Millisecond)
		for {
			b, err := c.tryRead(20 * time.Millisecond)
			if err != nil {
				break
			}
			if !bytes.Contains(b, []byte(`"stream":"ethusdt@depth@100ms"`)) {
				t.Fatalf("message during the stale window: %s", b)
			}
			eth++
		}
	}
	e.clock.Store(epoch + int64(2500*time.Millisecond))
	e.advance(20 * time.Millisecond)
	b := c.readUntil(5*time.Second, func(b []byte) bool { return bytes.Contains(b, []byte(`"btcusdt@depth@100ms"`)) })
	if d := readDiff(t, b); d.Data.U != l0+1 {
		t.Fatalf("first BTCUSDT diff after the stale window has U %d, want %d (no gap)", d.Data.U, l0+1)
	}
}

// TestFaultGap: a dropped diff breaks the U/u chain; the project's decoder notices, resyncs from
// a new snapshot and ends equal to the engine's book.
func TestFaultGap(t *testing.T) {
	at := time.Duration(stepsPerRound)*100*time.Millisecond + 150*time.Millisecond
	e := newEnv(t, envConfig{faults: []sim.Fault{{Kind: sim.FaultGap, Symbol: "BTCUSDT", At: at}}})
	fr := startFeed(t, e, e.s.StreamURL()+"/stream?streams=btcusdt@depth@100ms/ethusdt@depth@100ms", nil)
	for i := 0; i < stepsPerRound; i++ {
		e.advance(100 * time.Millisecond)
		time.Sleep(2 * time.Millisecond)
	}
	fr.waitSynced(t, e.engineBooks())
	btc := uint32(0)
	for _, m := range e.v.Markets() {
		if m.Symbol == "BTCUSDT" {
			btc = uint32(m.Listing.Instrument)
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		e.advance(100 * time.Millisecond)
		time.Sleep(5 * time.Millisecond)
		fr.mu.Lock()
		gaps, resyncs := fr.books[btc].stats.Gaps, fr.books[btc].stats.Resyncs
		state := fr.books[btc].state
		fr.mu.Unlock()
		if gaps >= 1 && resyncs >= 1 && state == event.BookLive {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no gap detected and resynced: gaps %d resyncs %d state %v", gaps, resyncs, state)
		}
	}
	fr.waitBooks(t, e.engineBooks(), true)
}

func TestFaultReject(t *testing.T) {
	e := newEnv(t, envConfig{faults: []sim.Fault{oneShot(sim.FaultReject)}})
	e.clock.Add(int64(time.Millisecond))
	bid, _ := e.touch("BTCUSDT")
	p := kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
		{"quantity", "0.001"}, {"price", px(bid - 3)}}
	st, body := e.signed(http.MethodPost, "/api/v3/order", key1, secret1, p)
	wantError(t, st, body, 400, -2010, "Account has insufficient balance for requested action.")
	if r := e.restOrder(key1, secret1, p); r.Status != "NEW" {
		t.Fatalf("order after the one-shot reject: %+v", r)
	}
}

// TestFaultDelayAck: the order.place response is held back; the execution report goes first.
func TestFaultDelayAck(t *testing.T) {
	const delay = 200 * time.Millisecond
	f := oneShot(sim.FaultDelayAck)
	f.Delay = delay
	e := newEnv(t, envConfig{faults: []sim.Fault{f}})
	e.clock.Add(int64(time.Millisecond))
	c := e.userStream(key1, secret1)
	bid, _ := e.touch("BTCUSDT")
	sent := time.Now()
	e.wsCall(c, "1", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
		{"timeInForce", "GTC"}, {"quantity", "0.001"}, {"price", px(bid - 3)}}, key1, secret1)
	first := c.read(5 * time.Second)
	if !isEvent(first) {
		t.Fatalf("first message is not the execution report: %s", first)
	}
	resp := c.read(5 * time.Second)
	if !isResponse(resp) {
		t.Fatalf("second message is not the response: %s", resp)
	}
	if el := time.Since(sent); el < delay {
		t.Fatalf("response after %v, want at least the %v delay", el, delay)
	}
	// The next order is acknowledged at once: response first.
	e.wsCall(c, "2", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
		{"timeInForce", "GTC"}, {"quantity", "0.001"}, {"price", px(bid - 4)}}, key1, secret1)
	if b := c.read(5 * time.Second); !isResponse(b) {
		t.Fatalf("without the fault the response comes first: %s", b)
	}
}

// TestFaultPartialFill: an aggressive order trades half its quantity and expires; the client
// sees its own quantity and time in force throughout.
func TestFaultPartialFill(t *testing.T) {
	f := oneShot(sim.FaultPartialFill)
	f.FillPerMille = 500
	e := newEnv(t, envConfig{faults: []sim.Fault{f}})
	e.clock.Add(int64(time.Millisecond))
	c := e.userStream(key1, secret1)
	_, ask := e.touch("BTCUSDT")
	place := func(id string) orderResp {
		e.wsCall(c, id, "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
			{"timeInForce", "GTC"}, {"quantity", "0.004"}, {"price", px(ask + 5)}}, key1, secret1)
		var r wsResp
		decodeJSON(t, c.readUntil(5*time.Second, isResponse), &r)
		var o orderResp
		decodeJSON(t, r.Result, &o)
		return o
	}
	o := place("1")
	if o.Status != "EXPIRED" || o.OrigQty != "0.00400000" || o.ExecutedQty != "0.00200000" || o.TimeInForce != "GTC" {
		t.Fatalf("partially filled order: %+v", o)
	}
	r := nextReport(t, c)
	if r.X != "NEW" || r.Q != "0.00400000" || r.F != "GTC" {
		t.Fatalf("NEW report %+v", r)
	}
	r = nextReport(t, c)
	wantReport(t, r, "TRADE", "PARTIALLY_FILLED", "0.00200000", "0.00200000")
	r = nextReport(t, c)
	wantReport(t, r, "EXPIRED", "EXPIRED", "0.00000000", "0.00200000")
	st, body := e.signed(http.MethodGet, "/api/v3/order", key1, secret1, kv{{"symbol", "BTCUSDT"},
		{"orderId", strconv.FormatInt(o.OrderID, 10)}})
	var q orderResp
	decodeJSON(t, body, &q)
	if st != 200 || q.Status != "EXPIRED" || q.OrigQty != "0.00400000" || q.ExecutedQty != "0.00200000" {
		t.Fatalf("query: %s", body)
	}
	if o := place("2"); o.Status != "FILLED" || o.ExecutedQty != "0.00400000" {
		t.Fatalf("order after the one-shot fault: %+v", o)
	}
}

// TestFaultLoseCancelAck: the order is canceled but the cancel is never acknowledged (WebSocket
// API: no response, no report) or answered "status unknown" (REST); a query shows it canceled.
func TestFaultLoseCancelAck(t *testing.T) {
	t.Run("api=ws", func(t *testing.T) {
		e := newEnv(t, envConfig{faults: []sim.Fault{oneShot(sim.FaultLoseCancelAck)}})
		e.clock.Add(int64(time.Millisecond))
		c := e.userStream(key1, secret1)
		bid, _ := e.touch("BTCUSDT")
		e.wsCall(c, "1", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
			{"timeInForce", "GTC"}, {"quantity", "0.001"}, {"price", px(bid - 3)}, {"newClientOrderId", "lost"}}, key1, secret1)
		c.readUntil(5*time.Second, isResponse)
		nextReport(t, c)
		e.wsCall(c, "2", "order.cancel", kv{{"symbol", "BTCUSDT"}, {"origClientOrderId", "lost"}}, key1, secret1)
		if b, err := c.tryRead(300 * time.Millisecond); !isTimeout(err) {
			t.Fatalf("the lost cancel was acknowledged: %s %v", b, err)
		}
		e.wsCall(c, "3", "order.status", kv{{"symbol", "BTCUSDT"}, {"origClientOrderId", "lost"}}, key1, secret1)
		var r wsResp
		decodeJSON(t, c.read(5*time.Second), &r)
		var q orderResp
		decodeJSON(t, r.Result, &q)
		if string(r.ID) != "3" || q.Status != "CANCELED" {
			t.Fatalf("order.status after the lost cancel: %s", r.Result)
		}
	})
	t.Run("api=rest", func(t *testing.T) {
		e := newEnv(t, envConfig{faults: []sim.Fault{oneShot(sim.FaultLoseCancelAck)}})
		e.clock.Add(int64(time.Millisecond))
		bid, _ := e.touch("BTCUSDT")
		o := e.restOrder(key1, secret1, kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
			{"timeInForce", "GTC"}, {"quantity", "0.001"}, {"price", px(bid - 3)}})
		id := strconv.FormatInt(o.OrderID, 10)
		st, body := e.signed(http.MethodDelete, "/api/v3/order", key1, secret1, kv{{"symbol", "BTCUSDT"}, {"orderId", id}})
		wantError(t, st, body, 503, -1007, "")
		st, body = e.signed(http.MethodGet, "/api/v3/order", key1, secret1, kv{{"symbol", "BTCUSDT"}, {"orderId", id}})
		var q orderResp
		decodeJSON(t, body, &q)
		if st != 200 || q.Status != "CANCELED" {
			t.Fatalf("query after the lost cancel: HTTP %d %s", st, body)
		}
	})
}

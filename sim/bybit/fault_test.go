package bybit

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"ems/feed"
	feedbybit "ems/feed/bybit"
	"ems/feed/transport"
	"ems/sim"
)

func withFaults(fs ...sim.Fault) venueOpt {
	return func(vc *sim.VenueConfig) { vc.Faults = append(vc.Faults, fs...) }
}

// TestFaultDisconnect: the disconnect fault closes a WebSocket with a close frame (1001).
func TestFaultDisconnect(t *testing.T) {
	e := newEnv(t, withFaults(sim.Fault{Kind: sim.FaultDisconnect, EveryN: 4}))
	w := e.dial(e.s.PublicURL("spot"))
	w.send(`{"op":"subscribe","args":["orderbook.50.BTCUSDT"]}`)
	var closeErr *transport.CloseError
	for i := 0; i < 20 && closeErr == nil; i++ {
		e.step()
		for {
			_, err := w.read(100 * time.Millisecond)
			if errDeadline(err) {
				break
			}
			if err != nil {
				if !errors.As(err, &closeErr) {
					t.Fatalf("read: %v", err)
				}
				break
			}
		}
	}
	if closeErr == nil || closeErr.Code != ws.StatusGoingAway {
		t.Fatalf("no close frame 1001 (got %v)", closeErr)
	}
}

// TestFaultStale: while the stale fault holds, no book message is pushed and u stands still;
// afterwards one delta catches the book up with the next u, so the decoder stays in sync.
func TestFaultStale(t *testing.T) {
	e := newEnv(t, withFaults(sim.Fault{Kind: sim.FaultStale, At: 450 * time.Millisecond, Duration: time.Second}))
	spot := e.mkt(catSpot, "BTCUSDT")
	const topic = "orderbook.50.BTCUSDT"
	fc := e.newFeedClient(catSpot, topic)
	for range 4 { // t0+100 .. t0+400 ms: live
		e.step()
	}
	fc.pump(map[string]uint64{topic: e.streamU(spot, 50)})
	u := e.streamU(spot, 50)
	for range 10 { // t0+500 .. t0+1400 ms: stale
		e.step()
		if got := e.streamU(spot, 50); got != u {
			t.Fatalf("u moved to %d while stale (from %d)", got, u)
		}
	}
	if !fc.w.quiet(200 * time.Millisecond) {
		t.Fatal("a message was pushed while stale")
	}
	e.step() // t0+1500 ms: live again
	if got := e.streamU(spot, 50); got != u+1 {
		t.Fatalf("u after stale %d, want %d", got, u+1)
	}
	fc.pump(map[string]uint64{topic: u + 1})
	e.checkBook(fc, spot, topic, 50)
}

// TestFaultGap: the gap fault skips one u; the decoder detects it and asks for a
// resubscription, and the fresh snapshot makes the book live and exact again.
func TestFaultGap(t *testing.T) {
	e := newEnv(t, withFaults(sim.Fault{Kind: sim.FaultGap, At: 300 * time.Millisecond, Symbol: "BTC-USDT"}))
	spot := e.mkt(catSpot, "BTCUSDT")
	const topic = "orderbook.50.BTCUSDT"
	fc := e.newFeedClient(catSpot, topic)
	for range 5 {
		e.step()
	}
	fc.pump(map[string]uint64{topic: e.streamU(spot, 50)})
	r := fc.replica(topic)
	if r.Stats.Gaps != 1 {
		t.Fatalf("gaps %d, want 1 (stats %+v)", r.Stats.Gaps, r.Stats)
	}
	reqs := fc.dec.Requests(nil)
	if len(reqs) != 1 || reqs[0].Kind != feed.RequestResubscribe {
		t.Fatalf("requests %v", reqs)
	}
	rt := string(feedbybit.AppendReplicaTopic(nil, reqs[0].Replica))
	fc.w.send(string(feedbybit.AppendUnsubscribe(nil, "", rt)))
	fc.w.send(string(feedbybit.AppendSubscribe(nil, "", rt)))
	fc.awaitSnapshot(topic)
	for range 3 {
		e.step()
	}
	fc.pump(map[string]uint64{topic: e.streamU(spot, 50)})
	if r.Stats.Resyncs != 1 {
		t.Fatalf("resyncs %d, want 1", r.Stats.Resyncs)
	}
	r.Stats.Gaps, r.Stats.Dropped = 0, 0 // checkBook wants a clean record from here on
	e.checkBook(fc, spot, topic, 50)
}

// TestFaultBadChecksum: Bybit's books carry no checksum, so the bad-checksum fault has nothing
// to corrupt: the stream stays exact.
func TestFaultBadChecksum(t *testing.T) {
	e := newEnv(t, withFaults(sim.Fault{Kind: sim.FaultBadChecksum, EveryN: 1}))
	spot := e.mkt(catSpot, "BTCUSDT")
	const topic = "orderbook.50.BTCUSDT"
	fc := e.newFeedClient(catSpot, topic)
	for range 5 {
		e.step()
	}
	fc.pump(map[string]uint64{topic: e.streamU(spot, 50)})
	e.checkBook(fc, spot, topic, 50)
}

// TestFaultReject: the reject fault refuses an order with the category's generic error.
func TestFaultReject(t *testing.T) {
	e := newEnv(t, withFaults(sim.Fault{Kind: sim.FaultReject, EveryN: 2}))
	for _, tc := range []struct {
		cat  category
		code int
	}{{catSpot, codeSpotRejected}, {catLinear, codeServer}} {
		k := e.mkt(tc.cat, "BTCUSDT")
		bid, _ := e.best(k)
		body := orderBody(k, "Buy", "Limit", qt(k, 1000*k.l.Lot), px(k, bid-5*k.l.Tick), "", "")
		ackID(t, e.create(body))
		wantErr(t, e.create(body), tc.code)
	}
}

// TestFaultDelayAck: the delay-ack fault holds the answer back by the fault's delay; the order
// is live (and reported on the order stream) before its answer arrives.
func TestFaultDelayAck(t *testing.T) {
	const delay = 300 * time.Millisecond
	e := newEnv(t, withFaults(sim.Fault{Kind: sim.FaultDelayAck, EveryN: 1, Delay: delay}))
	k := e.mkt(catLinear, "BTCUSDT")
	bid, _ := e.best(k)
	start := time.Now()
	ackID(t, e.create(orderBody(k, "Buy", "Limit", "0.001", px(k, bid-5*k.l.Tick), "", "")))
	if d := time.Since(start); d < delay {
		t.Fatalf("REST answer after %v, want at least %v", d, delay)
	}
	pw := e.private("order")
	tw := e.dial(e.s.TradeURL())
	tw.send(`{"op":"auth","args":` + e.authMsg(key1, secret1)[len(`{"req_id":"a1","op":"auth","args":`):])
	tw.next()
	start = time.Now()
	tw.send(e.tradeReq("d1", "order.create", orderBody(k, "Buy", "Limit", "0.001", px(k, bid-6*k.l.Tick), "", "")))
	m := tw.next()
	if d := time.Since(start); d < delay || m["retCode"] != float64(0) {
		t.Fatalf("WS answer %v after %v, want success after at least %v", m, d, delay)
	}
	orderUpdate(pw, field(m["data"].(map[string]any), "orderId"), "New")
}

// TestFaultPartialFill: an aggressive order hit by the partial-fill fault fills half its
// quantity; the venue cancels the rest (PartiallyFilledCanceled on spot, Cancelled on linear),
// and the order keeps its requested qty and time in force on the wire.
func TestFaultPartialFill(t *testing.T) {
	e := newEnv(t, withFaults(sim.Fault{Kind: sim.FaultPartialFill, EveryN: 1, FillPerMille: 500}))
	w := e.private("order")
	for _, tc := range []struct {
		cat    category
		qty    int64
		status string
	}{{catSpot, 4000, "PartiallyFilledCanceled"}, {catLinear, 4, "Cancelled"}} {
		k := e.mkt(tc.cat, "BTCUSDT")
		_, ask := e.best(k)
		q := tc.qty * k.l.Lot
		id := ackID(t, e.create(orderBody(k, "Buy", "Limit", qt(k, q), px(k, ask+20*k.l.Tick), "GTC", "")))
		d := orderUpdate(w, id, tc.status)
		if field(d, "cumExecQty") != qt(k, q/2) || field(d, "qty") != qt(k, q) || field(d, "timeInForce") != "GTC" ||
			field(d, "leavesQty") != qt(k, 0) {
			t.Fatalf("%s: cut order %v", tc.cat, d)
		}
	}
}

// TestFaultLoseCancelAck: the order is cancelled but the answer never comes: REST drops the
// connection, the trade WebSocket stays silent (its next answer is to the next request).
func TestFaultLoseCancelAck(t *testing.T) {
	e := newEnv(t, withFaults(sim.Fault{Kind: sim.FaultLoseCancelAck, EveryN: 1}))
	k := e.mkt(catSpot, "BTCUSDT")
	w := e.private("order")
	bid, _ := e.best(k)
	body := orderBody(k, "Buy", "Limit", "0.001", px(k, bid-5*k.l.Tick), "", "")
	id := ackID(t, e.create(body))
	cancel := `{"category":"spot","symbol":"BTCUSDT","orderId":"` + id + `"}`
	if r, err := e.call(http.MethodPost, "/v5/order/cancel", "", cancel, key1, secret1); err == nil {
		t.Fatalf("REST cancel answered: %s", r.Body)
	}
	orderUpdate(w, id, "Cancelled")

	id = ackID(t, e.create(body))
	tw := e.dial(e.s.TradeURL())
	tw.send(`{"op":"auth","args":` + e.authMsg(key1, secret1)[len(`{"req_id":"a1","op":"auth","args":`):])
	tw.next()
	tw.send(e.tradeReq("c1", "order.cancel", `{"category":"spot","symbol":"BTCUSDT","orderId":"`+id+`"}`))
	orderUpdate(w, id, "Cancelled")
	tw.send(`{"op":"ping"}`)
	if m := tw.next(); field(m, "op") != "pong" {
		t.Fatalf("an answer before the pong: %v", m)
	}
}

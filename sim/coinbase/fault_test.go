package coinbase

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/feed"
	feedcb "ems/feed/coinbase"
	"ems/feed/transport"
	"ems/sim"
)

func withFaults(faults ...sim.Fault) func(*sim.VenueConfig) {
	return func(vc *sim.VenueConfig) { vc.Faults = faults }
}

// decodeInto returns a message handler feeding d, failing on a decode error unless tolerate.
func decodeInto(t *testing.T, d *feedcb.Decoder, tolerate bool) func(raw []byte) {
	out := feed.NewBatch(1024)
	return func(raw []byte) {
		out.Reset()
		if err := d.Decode(raw, 0, out); err != nil && !tolerate {
			t.Fatalf("decode: %v: %.200s", err, raw)
		}
	}
}

// TestFaultDisconnect: the injected disconnect closes the socket with a close frame (1001).
func TestFaultDisconnect(t *testing.T) {
	f := newFixture(t, withFaults(sim.Fault{Kind: sim.FaultDisconnect, EveryN: 5}), Options{})
	w := f.dial()
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT")
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		f.step(1)
		for err == nil {
			if _, err = w.read(50 * time.Millisecond); errors.Is(err, errDeadline) {
				err = nil
				break
			}
		}
	}
	var ce *transport.CloseError
	if !errors.As(err, &ce) || ce.Code != ws.StatusGoingAway {
		t.Fatalf("read error %v, want a close frame 1001", err)
	}
	if f.s.connCount() != 0 {
		waitFor(t, func() bool { return f.s.connCount() == 0 })
	}
}

// TestFaultStale: while the stale window is open nothing is pushed; when it closes the held
// updates arrive in order and the decoder's book is the engine's, with no gap.
func TestFaultStale(t *testing.T) {
	f := newFixture(t, withFaults(sim.Fault{Kind: sim.FaultStale, At: 2 * time.Second, Duration: 3 * time.Second}), Options{})
	w := f.dial()
	d := f.decoder()
	decode := decodeInto(t, d, false)
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT")
	f.step(19) // t0+1.9 s
	w.barrier(decode)
	f.step(6) // t0+2.5 s: inside the window
	if !w.quiet(200 * time.Millisecond) {
		t.Fatal("a message was pushed inside the stale window")
	}
	f.step(26) // t0+5.1 s: the window has closed
	w.barrier(decode)
	r := replica(t, d, "BTC-USDT")
	if r.State() != event.BookLive || r.Stats.Gaps != 0 || d.Anomalies().Total() != 0 {
		t.Fatalf("state %v stats %+v anomalies %d", r.State(), r.Stats, d.Anomalies().Total())
	}
	f.sameBook(r, "BTC-USDT")
}

// TestFaultGap: the gap fault skips a sequence_num on BTC-USDT pushes; the decoder sees the
// break, invalidates the connection's books and asks for a reconnect.
func TestFaultGap(t *testing.T) {
	f := newFixture(t, withFaults(sim.Fault{Kind: sim.FaultGap, Symbol: "BTC-USDT", EveryN: 7}), Options{})
	w := f.dial()
	d := f.decoder()
	var last int64 = -1
	jumps := 0
	decode := decodeInto(t, d, true)
	check := func(raw []byte) {
		decode(raw)
		v := fastjson.MustParseBytes(raw)
		if v.Get("sequence_num") == nil {
			return
		}
		n := v.GetInt64("sequence_num")
		if last >= 0 && n == last+2 {
			jumps++
		} else if last >= 0 && n != last+1 {
			t.Fatalf("sequence_num %d after %d", n, last)
		}
		last = n
	}
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT", "ETH-USDT")
	w.settle(check)
	f.step(30)
	w.barrier(check)
	if jumps == 0 {
		t.Fatal("no sequence_num was skipped")
	}
	if r := replica(t, d, "BTC-USDT"); r.Stats.Gaps == 0 || r.State() != event.BookInvalid {
		t.Fatalf("BTC-USDT state %v stats %+v", r.State(), r.Stats)
	}
	reqs := d.Requests(nil)
	if len(reqs) == 0 || reqs[0].Kind != feed.RequestReconnect {
		t.Fatalf("requests %v, want a reconnect", reqs)
	}
}

// TestFaultBadChecksum: Coinbase messages carry no checksum, so the fault has nothing to
// corrupt: the stream stays intact.
func TestFaultBadChecksum(t *testing.T) {
	f := newFixture(t, withFaults(sim.Fault{Kind: sim.FaultBadChecksum, EveryN: 1}), Options{})
	w := f.dial()
	d := f.decoder()
	decode := decodeInto(t, d, false)
	w.subscribe(feedcb.ChannelLevel2, nil, "ETH-USDT")
	w.settle(decode)
	f.step(20)
	w.barrier(decode)
	f.sameBook(replica(t, d, "ETH-USDT"), "ETH-USDT")
}

// TestFaultReject: every second order is refused with the venue's generic failure.
func TestFaultReject(t *testing.T) {
	f := newFixture(t, withFaults(sim.Fault{Kind: sim.FaultReject, EveryN: 2}), Options{})
	bids, _ := f.depth("BTC-USDT")
	price := f.px("BTC-USDT", bids[10].Price)
	for i, want := range []bool{true, false, true} {
		v := f.json(http.StatusOK, "POST", ordersPath, limitGTC("rej-"+string(rune('a'+i)), "BTC-USDT", "BUY", "0.01", price, false))
		if v.GetBool("success") != want {
			t.Fatalf("order %d: %s", i, v)
		}
		if !want && (str(v, "error_response", "error") != "UNKNOWN_FAILURE_REASON" || str(v, "order_id") != "") {
			t.Fatalf("order %d: %s", i, v)
		}
	}
}

// TestFaultDelayAck: the create answer is held back for the fault's delay, while the order is
// already live (the user channel reports it).
func TestFaultDelayAck(t *testing.T) {
	const delay = 300 * time.Millisecond
	f := newFixture(t, withFaults(sim.Fault{Kind: sim.FaultDelayAck, EveryN: 1, Delay: delay}), Options{})
	w := f.dial()
	w.subscribe(chUser, f.keys[0])
	w.settle(nil)
	bids, _ := f.depth("BTC-USDT")
	start := time.Now()
	v := f.json(http.StatusOK, "POST", ordersPath, limitGTC("slow", "BTC-USDT", "BUY", "0.01", f.px("BTC-USDT", bids[5].Price), false))
	if took := time.Since(start); took < delay {
		t.Fatalf("answered after %v, want at least %v", took, delay)
	}
	w.userOrders(str(v, "order_id"), "OPEN")
}

// TestFaultPartialFill: an aggressive order fills only FillPerMille of its size and the rest is
// cancelled; a passive order is not touched.
func TestFaultPartialFill(t *testing.T) {
	f := newFixture(t, withFaults(sim.Fault{Kind: sim.FaultPartialFill, EveryN: 1, FillPerMille: 250}), Options{})
	const sym = "BTC-USDT"
	_, asks := f.depth(sym)
	v := f.json(http.StatusOK, "POST", ordersPath, limitGTC("pf-1", sym, "BUY", f.qty(sym, 4*asks[0].Qty), f.px(sym, asks[len(asks)-1].Price), false))
	o := f.json(http.StatusOK, "GET", ordersPath+"/historical/"+str(v, "order_id"), "").Get("order")
	if str(o, "status") != "CANCELLED" || str(o, "filled_size") != f.qty(sym, asks[0].Qty) ||
		str(o, "completion_percentage") != "25" || str(o, "order_configuration", "limit_limit_gtc", "base_size") != f.qty(sym, 4*asks[0].Qty) {
		t.Fatalf("aggressive order %s", o)
	}
	bids, _ := f.depth(sym)
	v = f.json(http.StatusOK, "POST", ordersPath, limitGTC("pf-2", sym, "BUY", "0.04", f.px(sym, bids[3].Price), false))
	o = f.json(http.StatusOK, "GET", ordersPath+"/historical/"+str(v, "order_id"), "").Get("order")
	if str(o, "status") != "OPEN" || str(o, "filled_size") != "0" {
		t.Fatalf("passive order %s", o)
	}
}

// TestFaultLoseCancelAck: the cancel happens, but its answer never comes (the connection is
// closed without a response) and the user channel does not report it; the history does.
func TestFaultLoseCancelAck(t *testing.T) {
	f := newFixture(t, withFaults(sim.Fault{Kind: sim.FaultLoseCancelAck, EveryN: 1}), Options{})
	const sym = "BTC-USDT"
	w := f.dial()
	w.subscribe(chUser, f.keys[0])
	w.settle(nil)
	bids, _ := f.depth(sym)
	price := f.px(sym, bids[5].Price)
	id := str(f.json(http.StatusOK, "POST", ordersPath, limitGTC("lc-1", sym, "BUY", "0.01", price, false)), "order_id")
	w.userOrders(id, "OPEN")
	status, body, err := f.call(f.keys[0], "POST", ordersPath+"/batch_cancel", `{"order_ids":["`+id+`"]}`)
	if err == nil {
		t.Fatalf("cancel answered: %d %s", status, body)
	}
	if o := f.json(http.StatusOK, "GET", ordersPath+"/historical/"+id, "").Get("order"); str(o, "status") != "CANCELLED" {
		t.Fatalf("history %s", o)
	}
	next := str(f.json(http.StatusOK, "POST", ordersPath, limitGTC("lc-2", sym, "BUY", "0.01", price, false)), "order_id")
	for {
		v := w.until(chUser, nil)
		o := v.Get("events", "0", "orders", "0")
		if str(o, "order_id") == id {
			t.Fatalf("the lost cancel was reported: %s", o)
		}
		if str(o, "order_id") == next {
			break
		}
	}
}

// TestSlowConsumer: a client that stops reading while its queue overflows is disconnected with
// a close frame (1008) instead of growing the server's memory.
func TestSlowConsumer(t *testing.T) {
	f := newFixture(t, busy, Options{QueueLimit: 8})
	w := f.dial()
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT", "ETH-USDT")
	w.settle(nil)
	for i := 0; i < 2000 && !f.s.anyClosing(); i++ {
		f.step(1) // the client reads nothing meanwhile
	}
	var err error
	for err == nil {
		_, err = w.read(ioTimeout)
	}
	var ce *transport.CloseError
	if !errors.As(err, &ce) || ce.Code != ws.StatusPolicyViolation {
		t.Fatalf("read error %v, want a close frame 1008", err)
	}
}

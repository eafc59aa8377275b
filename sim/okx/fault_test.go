package okx

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"ems/core/event"
	gw "ems/gateway/okx"
	"ems/sim"
)

// withFaults returns a venue modifier installing faults.
func withFaults(faults ...sim.Fault) func(*sim.VenueConfig) {
	return func(vc *sim.VenueConfig) { vc.Faults = faults }
}

// TestFaultDisconnect: the disconnect fault closes a WebSocket with OKX's close frame 4006.
func TestFaultDisconnect(t *testing.T) {
	f := newFixture(t, DefaultOptions(), withFaults(sim.Fault{Kind: sim.FaultDisconnect, EveryN: 3}))
	c := f.dial(f.srv.PublicURL())
	c.write(`{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}`)
	c.until(`"action":"snapshot"`) // push 1
	f.stepSettled(5, 100*time.Millisecond)
	if code := c.closeCode(); code != closeAbnormal {
		t.Fatalf("close code %d, want %d", code, closeAbnormal)
	}
}

// TestFaultStale: while the stale fault fires nothing is published; afterwards one update brings
// the subscriber's book to the Engine's, with no gap.
func TestFaultStale(t *testing.T) {
	f := newFixture(t, DefaultOptions(), withFaults(sim.Fault{Kind: sim.FaultStale, Symbol: "BTC-USDT",
		At: 1 * time.Second, Duration: time.Second}))
	h := startFeed(t, f, "BTC-USDT")
	h.waitLive("BTC-USDT")
	f.stepSettled(9, 100*time.Millisecond) // up to 0.9 s
	h.waitEqual(f, "BTC-USDT")
	m, _ := f.srv.market("BTC-USDT")
	st := &m.pub.stats
	before := st.updates.Load()
	applied := h.view("BTC-USDT").stats.Applied
	f.stepSettled(10, 100*time.Millisecond) // 1.0 .. 1.9 s: stale
	if during, held := st.updates.Load(), st.held.Load(); during != before || held < 5 {
		t.Fatalf("stale window: %d updates published (before %d), %d held", during, before, held)
	}
	if v := h.view("BTC-USDT"); v.stats.Applied != applied {
		t.Fatalf("the subscriber received %d updates during the stale window", v.stats.Applied-applied)
	}
	f.stepSettled(3, 100*time.Millisecond)
	v := h.waitEqual(f, "BTC-USDT")
	if v.stats.Gaps != 0 || v.stats.ChecksumFailures != 0 || v.stats.Applied != applied+3 {
		t.Errorf("after the stale window: %+v (applied before %d)", v.stats, applied)
	}
}

// TestFaultGap: the gap fault loses one update; the decoder sees prevSeqId skip, resubscribes and
// is live and equal to the Engine again.
func TestFaultGap(t *testing.T) {
	f := newFixture(t, DefaultOptions(), withFaults(sim.Fault{Kind: sim.FaultGap, Symbol: "BTC-USDT", At: time.Second}))
	h := startFeed(t, f, "BTC-USDT")
	h.waitLive("BTC-USDT")
	f.stepSettled(15, 100*time.Millisecond)
	eventually(t, "resync", func() bool { return h.view("BTC-USDT").stats.Resyncs == 1 })
	f.stepSettled(3, 100*time.Millisecond)
	v := h.waitEqual(f, "BTC-USDT")
	if v.stats.Gaps != 1 || v.stats.Resyncs != 1 || v.stats.ChecksumFailures != 0 {
		t.Errorf("stats %+v, want one gap and one resync", v.stats)
	}
	if st := f.srv.Stats(); st.Lost != 1 || st.Snapshots != 2 {
		t.Errorf("server stats %+v, want 1 lost update and 2 snapshots", st)
	}
	if n := h.sessionStats().Resubscribes; n != 1 {
		t.Errorf("%d resubscribes, want 1", n)
	}
}

// TestFaultBadChecksum: the bad-checksum fault corrupts one update's checksum; the decoder
// detects it and resyncs.
func TestFaultBadChecksum(t *testing.T) {
	for _, checksum := range []bool{true, false} {
		t.Run(fmt.Sprintf("checksum=%v", checksum), func(t *testing.T) {
			opts := DefaultOptions()
			opts.Checksum = checksum
			f := newFixture(t, opts, withFaults(sim.Fault{Kind: sim.FaultBadChecksum, Symbol: "BTC-USDT", At: time.Second}))
			h := startFeed(t, f, "BTC-USDT")
			h.waitLive("BTC-USDT")
			f.stepSettled(15, 100*time.Millisecond)
			eventually(t, "resync", func() bool { return h.view("BTC-USDT").stats.Resyncs == 1 })
			v := h.waitEqual(f, "BTC-USDT")
			if v.stats.ChecksumFailures != 1 || v.stats.Gaps != 0 {
				t.Errorf("stats %+v, want one checksum failure", v.stats)
			}
		})
	}
}

// TestFaultReject: the reject fault refuses an order with OKX's system error.
func TestFaultReject(t *testing.T) {
	f := newFixture(t, DefaultOptions(), withFaults(sim.Fault{Kind: sim.FaultReject, EveryN: 2}))
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	body := orderJSON("instId", "BTC-USDT", "tdMode", "cash", "side", "buy", "ordType", "limit",
		"px", f.pxText("BTC-USDT", bid.Price-100), "sz", "0.001")
	_, resp := f.rest("POST", "/api/v5/trade/order", body, &f.key)
	want(t, "first", data(t, resp, 0), "sCode", "0")
	_, resp = f.rest("POST", "/api/v5/trade/order", body, &f.key)
	want(t, "second", resp, "code", "1")
	want(t, "second", data(t, resp, 0), "sCode", "50026", "sMsg", "System error. Try again later", "ordId", "")
}

// TestFaultDelayAck: the delay-ack fault holds the answer back; the orders-channel push it
// caused arrives first.
func TestFaultDelayAck(t *testing.T) {
	const delay = 150 * time.Millisecond
	f := newFixture(t, DefaultOptions(), withFaults(sim.Fault{Kind: sim.FaultDelayAck, EveryN: 1, Delay: delay}))
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	start := time.Now()
	c.write(`{"id":"d1","op":"order","args":[` + orderJSON("instId", "BTC-USDT", "tdMode", "cash", "side", "buy",
		"ordType", "limit", "px", f.pxText("BTC-USDT", bid.Price-100), "sz", "0.001", "clOrdId", "d1") + `]}`)
	first := decode(t, c.next())
	if arg, _ := first["arg"].(map[string]any); arg["channel"] != "orders" {
		t.Fatalf("first message %v, want the orders push before the delayed answer", first)
	}
	ans := decode(t, c.next())
	want(t, "answer", ans, "id", "d1", "code", "0")
	if el := time.Since(start); el < delay {
		t.Errorf("answer after %v, want at least %v", el, delay)
	}
	start = time.Now()
	_, resp := f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash", "side", "buy",
		"ordType", "limit", "px", f.pxText("BTC-USDT", bid.Price-100), "sz", "0.001"), &f.key)
	want(t, "REST answer", data(t, resp, 0), "sCode", "0")
	if el := time.Since(start); el < delay {
		t.Errorf("REST answer after %v, want at least %v", el, delay)
	}
}

// TestFaultPartialFill: an aggressive order under the partial-fill fault fills only part
// (FillPerMille) and the venue cancels the rest (cancelSource 0); it is never reported filled.
func TestFaultPartialFill(t *testing.T) {
	f := newFixture(t, DefaultOptions(), withFaults(sim.Fault{Kind: sim.FaultPartialFill, EveryN: 1, FillPerMille: 250}))
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	ask := f.depth("BTC-USDT", event.SideSell, 1)[0]
	_, resp := f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash", "side", "buy",
		"ordType", "limit", "px", f.pxText("BTC-USDT", ask.Price), "sz", "0.04", "clOrdId", "pf"), &f.key)
	want(t, "answer", data(t, resp, 0), "sCode", "0")
	want(t, "live", c.orderPush("pf"), "state", "live", "sz", "0.04")
	want(t, "fill", c.orderPush("pf"), "state", "partially_filled", "fillSz", "0.01", "accFillSz", "0.01")
	want(t, "end", c.orderPush("pf"), "state", "canceled", "cancelSource", "0", "accFillSz", "0.01", "sz", "0.04")
	_, resp = f.rest("GET", "/api/v5/trade/orders-pending", "", &f.key)
	if d, _ := resp["data"].([]any); len(d) != 0 {
		t.Errorf("pending: %v", resp)
	}
	// A passive order is not affected.
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	_, resp = f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash", "side", "buy",
		"ordType", "limit", "px", f.pxText("BTC-USDT", bid.Price-100), "sz", "0.04", "clOrdId", "pas"), &f.key)
	want(t, "passive answer", data(t, resp, 0), "sCode", "0")
	want(t, "passive", c.orderPush("pas"), "state", "live", "sz", "0.04")
}

// TestFaultLoseCancelAck: the order is canceled (push) but the cancel's answer never comes: on
// the WebSocket the next answer is to the following request; over REST the connection drops.
func TestFaultLoseCancelAck(t *testing.T) {
	f := newFixture(t, DefaultOptions(), withFaults(sim.Fault{Kind: sim.FaultLoseCancelAck, EveryN: 1}))
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	place := func(id string) {
		_, resp := f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash", "side", "buy",
			"ordType", "limit", "px", f.pxText("BTC-USDT", bid.Price-100), "sz", "0.001", "clOrdId", id), &f.key)
		want(t, "place", data(t, resp, 0), "sCode", "0")
		want(t, "live", c.orderPush(id), "state", "live")
	}
	place("l1")
	c.write(`{"id":"c","op":"cancel-order","args":[{"instId":"BTC-USDT","clOrdId":"l1"}]}`)
	want(t, "canceled", c.orderPush("l1"), "state", "canceled", "cancelSource", "1")
	c.write("ping")
	if m := c.next(); m != "pong" {
		t.Fatalf("after the lost answer got %s, want pong", m)
	}
	place("l2")
	status, raw := f.cancelNoAnswer(`{"instId":"BTC-USDT","clOrdId":"l2"}`)
	if status != 0 {
		t.Fatalf("REST cancel answered HTTP %d %s, want the connection dropped", status, raw)
	}
	want(t, "REST canceled", c.orderPush("l2"), "state", "canceled")
}

// cancelNoAnswer posts a signed cancel and returns status 0 when the connection dropped.
func (f *fixture) cancelNoAnswer(body string) (int, string) {
	k := f.key
	req, err := http.NewRequest("POST", f.base+"/api/v5/trade/cancel-order", strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	ts := string(gw.AppendTimestamp(nil, f.clk.time()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("OK-ACCESS-KEY", k.Key)
	req.Header.Set("OK-ACCESS-PASSPHRASE", k.Passphrase)
	req.Header.Set("OK-ACCESS-TIMESTAMP", ts)
	req.Header.Set("OK-ACCESS-SIGN", string(gw.NewSigner([]byte(k.Secret)).AppendRESTSignature(nil, ts, "POST", "/api/v5/trade/cancel-order", []byte(body))))
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	return resp.StatusCode, ""
}

// TestLatency: the venue's latency is added before WebSocket answers and REST answers.
func TestLatency(t *testing.T) {
	const lat = 60 * time.Millisecond
	f := newFixture(t, DefaultOptions(), func(vc *sim.VenueConfig) { vc.Latency = lat })
	c := f.dial(f.srv.PublicURL())
	start := time.Now()
	c.write("ping")
	if m := c.next(); m != "pong" {
		t.Fatalf("got %s", m)
	}
	if el := time.Since(start); el < lat {
		t.Errorf("pong after %v, want at least %v", el, lat)
	}
	start = time.Now()
	f.rest("GET", "/api/v5/market/books?instId=BTC-USDT", "", nil)
	if el := time.Since(start); el < lat {
		t.Errorf("REST answer after %v, want at least %v", el, lat)
	}
}

//go:build !race

package binance

import (
	"strconv"
	"testing"
	"time"

	"ems/core/event"
)

// tradeReports returns n TRADE reports of order txx1 with distinct trade ids.
func tradeReports(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(report("TRADE", "PARTIALLY_FILLED", "txx1", "", "0.01000", "0.00400", "0.00400", "68000.00",
			"0.27200000", `"USDT"`, strconv.Itoa(1000+i), true))
	}
	return out
}

// TestAllocs: encoding, signing, parsing and rate limiting allocate nothing in steady state.
func TestAllocs(t *testing.T) {
	ms := NewMarkets(testMaster(t))
	mk := btcMarket(t, ms)
	enc := testEncoder(t)
	p := testParser(t, ms)
	lim := NewLimiter(Limits{})
	o := order(42, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 6800012, 1500)
	c := event.Cancel{Order: 42}
	rp := event.Replace{Order: 42, Parent: 3, Price: 6800100, Qty: 2000, NewOrder: 43}
	replaceFail := []byte(replaceCancelFailed)
	dst := make([]byte, 0, 1024)
	out := make([]event.Event, 0, 4)
	trades := tradeReports(256) // more than the parser's trade window (64): none is a duplicate
	k := 0
	newMsg := []byte(report("NEW", "NEW", "txx1", "", "0.01000", "0.00000", "0.00000", "0.00", "0", "null", "-1", false))
	resp := []byte(`{"id":7,"status":400,"error":{"code":-1013,"msg":"Filter failure: LOT_SIZE"},"rateLimits":[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":1},{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":1}]}`)
	now := int64(0)
	cases := []struct {
		name string
		fn   func()
	}{
		{"AppendPlace", func() {
			var err error
			if dst, err = enc.AppendPlace(dst[:0], 1, &o, mk, 1735689600000); err != nil {
				t.Fatal(err)
			}
		}},
		{"AppendCancel", func() { dst = enc.AppendCancel(dst[:0], 2, &c, mk, 1735689600000) }},
		{"AppendReplace", func() {
			var err error
			if dst, err = enc.AppendReplace(dst[:0], 3, &rp, &o, mk, 1735689600000); err != nil {
				t.Fatal(err)
			}
		}},
		{"Parse cancel-replace failure", func() {
			if _, kind, err := p.Parse(replaceFail, 1, out[:0]); err != nil || kind != MsgResponse ||
				p.Response().CancelCode != CodeCancelReject {
				t.Fatal(kind, err)
			}
		}},
		{"Parse NEW", func() {
			if got, _, err := p.Parse(newMsg, 1, out[:0]); err != nil || len(got) != 1 {
				t.Fatal(got, err)
			}
		}},
		{"Parse TRADE", func() {
			got, _, err := p.Parse(trades[k%len(trades)], 1, out[:0])
			k++
			if err != nil || len(got) != 1 {
				t.Fatal(got, err)
			}
		}},
		{"Parse response", func() {
			if _, kind, err := p.Parse(resp, 1, out[:0]); err != nil || kind != MsgResponse {
				t.Fatal(kind, err)
			}
		}},
		{"RejectReason", func() {
			if RejectReason(p.Response().Code, p.Response().Msg) != event.RejectQtyFilter {
				t.Fatal("reason")
			}
		}},
		{"Limiter", func() {
			now += int64(time.Second)
			lim.Take(now, 1, true)
			lim.Observe(now, p.Response().Limits[0])
		}},
	}
	for _, c := range cases {
		c.fn() // warm up: first interning, buffer growth
		if n := testing.AllocsPerRun(200, c.fn); n != 0 {
			t.Errorf("%s: %v allocations per call, want 0", c.name, n)
		}
	}
}

package match

import (
	"math"
	"slices"
	"strings"
	"testing"

	"ems/core/event"
)

// TestSubmitRejects covers every rule Submit enforces, and the order in which they are checked.
// The book holds bids 99.95 × 0.200 and 50.00 × 0.200 and an ask 100.05 × 0.200 of account 9, which has an open
// order with client id "dup".
func TestSubmitRejects(t *testing.T) {
	withNotional := testRules
	withNotional.MinNotional = 1000 // 10.00 quote: 100.00 × 0.100
	cases := []struct {
		name   string
		rules  Rules
		empty  bool // no resting orders
		req    Request
		reason event.RejectReason
		status Status
	}{
		{"invalid side", testRules, false, Request{Side: 0, Price: 10000, Qty: 100}, event.RejectInvalidRequest, StatusRejected},
		{"invalid type", testRules, false, Request{Side: buy, Type: 7, Price: 10000, Qty: 100}, event.RejectInvalidRequest, StatusRejected},
		{"invalid tif", testRules, false, Request{Side: buy, TIF: 9, Price: 10000, Qty: 100}, event.RejectInvalidRequest, StatusRejected},
		{"post-only ioc", testRules, false, Request{Side: buy, TIF: event.TIFIOC, PostOnly: true, Price: 10000, Qty: 100}, event.RejectInvalidRequest, StatusRejected},
		{"post-only market", testRules, false, Request{Side: buy, Type: event.OrderMarket, PostOnly: true, Qty: 100}, event.RejectInvalidRequest, StatusRejected},
		{"zero qty", testRules, false, limit(1, buy, 10000, 0), event.RejectQtyFilter, StatusRejected},
		{"negative qty", testRules, false, limit(1, buy, 10000, -10), event.RejectQtyFilter, StatusRejected},
		{"zero qty before off tick", testRules, false, limit(1, buy, 10001, 0), event.RejectQtyFilter, StatusRejected},
		{"zero price", testRules, false, limit(1, buy, 0, 100), event.RejectPriceFilter, StatusRejected},
		{"negative price", testRules, false, limit(1, buy, -5, 100), event.RejectPriceFilter, StatusRejected},
		{"off tick", testRules, false, limit(1, buy, 10001, 100), event.RejectPriceFilter, StatusRejected},
		{"off tick before off lot", testRules, false, limit(1, buy, 10001, 105), event.RejectPriceFilter, StatusRejected},
		{"off lot", testRules, false, limit(1, buy, 10000, 105), event.RejectQtyFilter, StatusRejected},
		{"below min qty", testRules, false, limit(1, buy, 10000, 10), event.RejectQtyFilter, StatusRejected},
		{"off lot before min notional", withNotional, false, limit(1, buy, 10000, 15), event.RejectQtyFilter, StatusRejected},
		{"below min notional", withNotional, false, limit(1, buy, 10000, 90), event.RejectMinNotional, StatusRejected},
		{"at min notional", withNotional, false, limit(1, buy, 10000, 100), 0, StatusNew},
		{"market below min notional at best ask", withNotional, false, market(1, buy, 90), event.RejectMinNotional, StatusRejected},
		{"market at min notional at best ask", withNotional, false, market(1, buy, 100), 0, StatusFilled},
		{"market price ignored", testRules, false, Request{Side: sell, Type: event.OrderMarket, Price: 3, Qty: 100}, 0, StatusFilled},
		{"market on empty side", testRules, true, market(1, buy, 100), event.RejectInvalidRequest, StatusRejected},
		{"notional overflow", testRules, false, limit(1, buy, math.MaxInt64-math.MaxInt64%5, 2000), event.RejectInvalidRequest, StatusRejected},
		{"duplicate client id", testRules, false, Request{Account: 9, ClientID: "dup", Side: buy, Price: 9000, Qty: 100}, event.RejectDuplicate, StatusRejected},
		{"client id of another account", testRules, false, Request{Account: 8, ClientID: "dup", Side: buy, Price: 9000, Qty: 100}, 0, StatusNew},
		{"post-only would cross", testRules, false, Request{Side: buy, PostOnly: true, Price: 10005, Qty: 100}, event.RejectPostOnly, StatusRejected},
		{"post-only rests", testRules, false, Request{Side: buy, PostOnly: true, Price: 10000, Qty: 100}, 0, StatusNew},
		{"post-only sell would cross", testRules, false, Request{Side: sell, PostOnly: true, Price: 9995, Qty: 100}, event.RejectPostOnly, StatusRejected},
		{"post-only on empty side", testRules, true, Request{Side: buy, PostOnly: true, Price: 99995, Qty: 100}, 0, StatusNew},
		{"fok short", testRules, false, Request{Side: buy, TIF: event.TIFFOK, Price: 10005, Qty: 210}, event.RejectFOK, StatusExpired},
		{"fok price out of reach", testRules, false, Request{Side: buy, TIF: event.TIFFOK, Price: 10000, Qty: 20}, event.RejectFOK, StatusExpired},
		{"fok exact", testRules, false, Request{Side: buy, TIF: event.TIFFOK, Price: 10005, Qty: 200}, 0, StatusFilled},
		{"market fok short", testRules, false, Request{Side: sell, Type: event.OrderMarket, TIF: event.TIFFOK, Qty: 410}, event.RejectFOK, StatusExpired},
		{"market fok on empty side", testRules, true, Request{Side: sell, Type: event.OrderMarket, TIF: event.TIFFOK, Qty: 110}, event.RejectInvalidRequest, StatusRejected},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, rec := newTestEngine(t, c.rules)
			if !c.empty {
				mustSubmit(t, e, limit(9, buy, 9995, 200))
				mustSubmit(t, e, limit(9, sell, 10005, 200))
				mustSubmit(t, e, Request{Account: 9, ClientID: "dup", Side: buy, Price: 5000, Qty: 200})
			}
			before := depthString(e)
			rec.take()
			o, err := e.Submit(c.req, 7)
			if got := reasonOf(err); got != c.reason || (err == nil) != (c.reason == 0) {
				t.Fatalf("Submit: %v (reason %v), want %v", err, got, c.reason)
			}
			wantID := OrderID(4)
			if c.empty {
				wantID = 1
			}
			if o.ID != wantID || o.Status != c.status || o.Created != 7 || o.Updated != 7 {
				t.Fatalf("order %+v, want id %d status %v", o, wantID, c.status)
			}
			if err != nil {
				if o.Reason != c.reason || !strings.HasPrefix(err.Error(), "match: ") {
					t.Fatalf("order reason %v, error %q", o.Reason, err)
				}
				// Exactly one event, and the book is untouched.
				if lines := rec.take(); len(lines) != 1 || !strings.HasPrefix(lines[0], "order 4 ") && !strings.HasPrefix(lines[0], "order 1 ") {
					t.Fatalf("events %q", lines)
				}
				if after := depthString(e); after != before {
					t.Fatalf("book changed: %s → %s", before, after)
				}
			}
			if got, ok := e.Order(o.ID); !ok || got != o {
				t.Fatalf("Order(%d) = %+v, %v; want %+v", o.ID, got, ok, o)
			}
			checkInvariants(t, e)
		})
	}
}

// TestPriceTimePriority: better prices fill first, and within a price the oldest order first.
func TestPriceTimePriority(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, sell, 10010, 20)) // 1
	mustSubmit(t, e, limit(2, sell, 10010, 30)) // 2
	mustSubmit(t, e, limit(3, sell, 10005, 40)) // 3: better price, later
	mustSubmit(t, e, limit(4, sell, 10010, 50)) // 4
	rec.take()
	taker := mustSubmit(t, e, limit(5, buy, 10010, 80))
	var makers []OrderID
	for _, f := range rec.fills {
		makers = append(makers, f.Maker.ID)
	}
	if !slices.Equal(makers, []OrderID{3, 1, 2}) {
		t.Fatalf("makers %v, want [3 1 2]", makers)
	}
	if taker.Status != StatusFilled || taker.Notional != 10005*40/1000+10010*20/1000+10010*20/1000 {
		t.Fatalf("taker %+v", taker)
	}
	// Order 2 partially filled: 20 of 30, still first in the queue ahead of 4.
	if o, _ := e.Order(2); o.Status != StatusPartiallyFilled || o.Filled != 20 || o.Leaves() != 10 {
		t.Fatalf("order 2 %+v", o)
	}
	if got := depthString(e); got != "bids | asks 10010x60" {
		t.Fatalf("book %s", got)
	}
	rec.take()
	mustSubmit(t, e, limit(5, buy, 10010, 30))
	if len(rec.fills) != 2 || rec.fills[0].Maker.ID != 2 || rec.fills[0].Qty != 10 || rec.fills[1].Maker.ID != 4 || rec.fills[1].Qty != 20 {
		t.Fatalf("fills %+v", rec.fills)
	}
	checkInvariants(t, e)
}

// TestSweepEvents pins the exact event sequence of a limit order sweeping two levels and resting.
func TestSweepEvents(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, sell, 10005, 30))  // 1
	mustSubmit(t, e, limit(1, sell, 10005, 40))  // 2
	mustSubmit(t, e, limit(2, sell, 10010, 50))  // 3
	mustSubmit(t, e, limit(2, sell, 10015, 100)) // 4
	rec.take()
	o := mustSubmit(t, e, limit(3, buy, 10010, 150))
	want := []string{
		"order 5 new new 0/150",
		"trade #1 10005x30 maker=1 taker=5 fees=0/0",
		"order 1 filled trade 30/30",
		"order 5 partially_filled trade 30/150",
		"trade #2 10005x40 maker=2 taker=5 fees=0/0",
		"order 2 filled trade 40/40",
		"order 5 partially_filled trade 70/150",
		"level sell 10005 0",
		"trade #3 10010x50 maker=3 taker=5 fees=0/0",
		"order 3 filled trade 50/50",
		"order 5 partially_filled trade 120/150",
		"level sell 10010 0",
		"level buy 10010 30",
	}
	if got := rec.take(); !slices.Equal(got, want) {
		t.Fatalf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if o.Status != StatusPartiallyFilled || o.Filled != 120 {
		t.Fatalf("order %+v", o)
	}
	if got := depthString(e); got != "bids 10010x30 | asks 10015x100" {
		t.Fatalf("book %s", got)
	}
	if p, ok := e.LastTrade(); !ok || p != 10010 {
		t.Fatalf("LastTrade %d %v", p, ok)
	}
	checkInvariants(t, e)
}

// TestMarketSweep: a market order walks the levels up to its qty whatever the price; the
// remainder expires and never rests.
func TestMarketSweep(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	if _, ok := e.LastTrade(); ok {
		t.Fatal("LastTrade on a fresh engine")
	}
	mustSubmit(t, e, limit(1, buy, 10000, 30)) // 1
	mustSubmit(t, e, limit(1, buy, 9000, 40))  // 2
	mustSubmit(t, e, limit(1, buy, 5, 50))     // 3
	rec.take()
	o := mustSubmit(t, e, market(2, sell, 100))
	if o.Status != StatusFilled || o.Notional != (10000*30+9000*40+5*30)/1000 {
		t.Fatalf("market %+v", o)
	}
	if got := depthString(e); got != "bids 5x20 | asks" {
		t.Fatalf("book %s", got)
	}
	rec.take()
	o = mustSubmit(t, e, Request{Account: 2, Side: sell, Type: event.OrderMarket, TIF: event.TIFGTC, Qty: 50})
	want := []string{
		"order 5 new new 0/50",
		"trade #4 5x20 maker=3 taker=5 fees=0/0",
		"order 3 filled trade 50/50",
		"order 5 partially_filled trade 20/50",
		"level buy 5 0",
		"order 5 expired expired 20/50",
	}
	if got := rec.take(); !slices.Equal(got, want) {
		t.Fatalf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if o.Status != StatusExpired || o.Filled != 20 || o.Leaves() != 0 {
		t.Fatalf("market %+v", o)
	}
	if got := depthString(e); got != "bids | asks" {
		t.Fatalf("book %s", got)
	}
	checkInvariants(t, e)
}

// TestIOC: the remainder of an IOC limit expires after trading what crosses.
func TestIOC(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, sell, 10005, 30))
	mustSubmit(t, e, limit(1, sell, 10010, 30))
	rec.take()
	o := mustSubmit(t, e, Request{Account: 2, Side: buy, TIF: event.TIFIOC, Price: 10005, Qty: 100})
	if o.Status != StatusExpired || o.Filled != 30 {
		t.Fatalf("ioc %+v", o)
	}
	want := []string{
		"order 3 new new 0/100",
		"trade #1 10005x30 maker=1 taker=3 fees=0/0",
		"order 1 filled trade 30/30",
		"order 3 partially_filled trade 30/100",
		"level sell 10005 0",
		"order 3 expired expired 30/100",
	}
	if got := rec.take(); !slices.Equal(got, want) {
		t.Fatalf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// An IOC that does not cross at all expires at once.
	o = mustSubmit(t, e, Request{Account: 2, Side: buy, TIF: event.TIFIOC, Price: 10000, Qty: 100})
	if got := rec.take(); o.Status != StatusExpired || !slices.Equal(got, []string{"order 4 new new 0/100", "order 4 expired expired 0/100"}) {
		t.Fatalf("ioc %+v events %q", o, got)
	}
	if got := depthString(e); got != "bids | asks 10010x30" {
		t.Fatalf("book %s", got)
	}
	checkInvariants(t, e)
}

// TestFOK: a FOK that can fill fills completely across levels; one that cannot is killed before
// touching the book, with one event.
func TestFOK(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, sell, 10005, 30))
	mustSubmit(t, e, limit(1, sell, 10010, 30))
	mustSubmit(t, e, limit(1, sell, 10015, 30))
	rec.take()
	o, err := e.Submit(Request{Account: 2, ClientID: "k", Side: buy, TIF: event.TIFFOK, Price: 10010, Qty: 70}, 3)
	if reasonOf(err) != event.RejectFOK || o.Status != StatusExpired || o.Exec != ExecExpired || o.Reason != event.RejectFOK {
		t.Fatalf("fok %+v, %v", o, err)
	}
	if got := rec.take(); !slices.Equal(got, []string{"order 4 expired expired 0/70"}) {
		t.Fatalf("events %q", got)
	}
	// A killed FOK is indexed by its client id (it was not rejected).
	if got, ok := e.OrderByClient(2, "k"); !ok || got != o {
		t.Fatalf("OrderByClient %+v %v", got, ok)
	}
	o = mustSubmit(t, e, Request{Account: 2, Side: buy, TIF: event.TIFFOK, Price: 10015, Qty: 70})
	if o.Status != StatusFilled || len(rec.fills) != 3 {
		t.Fatalf("fok %+v fills %d", o, len(rec.fills))
	}
	if got := depthString(e); got != "bids | asks 10015x20" {
		t.Fatalf("book %s", got)
	}
	checkInvariants(t, e)
}

// TestPartialFills: a maker filled in several steps keeps its place and reports each step.
func TestPartialFills(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, buy, 10000, 100))
	mustSubmit(t, e, limit(1, buy, 10000, 100))
	rec.take()
	for i, want := range []int64{30, 60, 90} {
		mustSubmit(t, e, limit(2, sell, 9995, 30))
		m, _ := e.Order(1)
		if m.Filled != want || m.Status != StatusPartiallyFilled || m.Exec != ExecTrade {
			t.Fatalf("step %d: maker %+v", i, m)
		}
	}
	mustSubmit(t, e, limit(2, sell, 9995, 30))
	if m, _ := e.Order(1); m.Status != StatusFilled || m.Leaves() != 0 {
		t.Fatalf("maker %+v", m)
	}
	if m, _ := e.Order(2); m.Filled != 20 {
		t.Fatalf("second maker %+v", m)
	}
	if got := depthString(e); got != "bids 10000x80 | asks" {
		t.Fatalf("book %s", got)
	}
	checkInvariants(t, e)
}

// TestSelfTrade: an account's orders match each other.
func TestSelfTrade(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, buy, 10000, 100))
	rec.take()
	o := mustSubmit(t, e, limit(1, sell, 10000, 100))
	if o.Status != StatusFilled || len(rec.fills) != 1 || rec.fills[0].Maker.Account != 1 {
		t.Fatalf("self trade %+v %+v", o, rec.fills)
	}
}

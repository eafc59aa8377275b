package match

import (
	"slices"
	"strings"
	"testing"

	"ems/core/event"
)

// makerOrder submits a buy 20 at 10010 against asks 1 and 2 at 10010 and returns the first maker.
func firstMaker(t *testing.T, e *Engine, rec *recorder) OrderID {
	t.Helper()
	rec.take()
	mustSubmit(t, e, limit(9, buy, 10010, 20))
	if len(rec.fills) == 0 {
		t.Fatal("no fill")
	}
	return rec.fills[0].Maker.ID
}

// TestReplacePriority: same price and qty down keeps time priority; qty up, or a new price (even
// when it comes back), loses it.
func TestReplacePriority(t *testing.T) {
	cases := []struct {
		name       string
		price, qty int64
		first      OrderID // first maker hit after order 1 is replaced
		events     []string
	}{
		{"qty down keeps priority", 10010, 60, 1, []string{"order 1 new replaced 0/60", "level sell 10010 100"}},
		{"same qty keeps priority", 10010, 100, 1, []string{"order 1 new replaced 0/100"}},
		{"qty up loses priority", 10010, 120, 2, []string{"order 1 new replaced 0/120", "level sell 10010 160"}},
		{"price change loses priority", 10015, 100, 2, []string{"order 1 new replaced 0/100", "level sell 10010 40", "level sell 10015 100"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, rec := newTestEngine(t, testRules)
			mustSubmit(t, e, limit(1, sell, 10010, 100)) // 1
			mustSubmit(t, e, limit(2, sell, 10010, 40))  // 2
			rec.take()
			o, err := e.Replace(1, 1, c.price, c.qty, 5)
			if err != nil || o.Price != c.price || o.Qty != c.qty || o.Exec != ExecReplaced || o.Updated != 5 || o.Created != 1 {
				t.Fatalf("Replace: %+v %v", o, err)
			}
			if got := rec.take(); !slices.Equal(got, c.events) {
				t.Fatalf("events %q, want %q", got, c.events)
			}
			checkInvariants(t, e)
			if got := firstMaker(t, e, rec); got != c.first {
				t.Fatalf("first maker %d, want %d", got, c.first)
			}
		})
	}
	// A price moved away and back comes back at the back of the queue.
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, sell, 10010, 100))
	mustSubmit(t, e, limit(2, sell, 10010, 40))
	for _, p := range []int64{10020, 10010} {
		if _, err := e.Replace(1, 1, p, 100, 2); err != nil {
			t.Fatal(err)
		}
	}
	if got := firstMaker(t, e, rec); got != 2 {
		t.Fatalf("first maker %d after moving back", got)
	}
}

// TestReplaceCross: a replace to a crossing price trades as a taker at the makers' prices and
// rests the remainder.
func TestReplaceCross(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, buy, 10000, 100))  // 1
	mustSubmit(t, e, limit(2, sell, 10010, 30))  // 2
	mustSubmit(t, e, limit(2, sell, 10020, 30))  // 3
	mustSubmit(t, e, limit(1, buy, 10000, 30))   // 4, partly filled below
	mustSubmit(t, e, limit(3, sell, 10000, 110)) // 5: fills 1 (100) and 10 of 4
	rec.take()
	o, err := e.Replace(1, 4, 10010, 60, 8)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"order 4 partially_filled replaced 10/60",
		"level buy 10000 0",
		"trade #3 10010x30 maker=2 taker=4 fees=0/0",
		"order 2 filled trade 30/30",
		"order 4 partially_filled trade 40/60",
		"level sell 10010 0",
		"level buy 10010 20",
	}
	if got := rec.take(); !slices.Equal(got, want) {
		t.Fatalf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if o.Filled != 40 || o.Status != StatusPartiallyFilled || o.Notional != 10000*10/1000+10010*30/1000 {
		t.Fatalf("replaced %+v", o)
	}
	// Replace into a full fill retires the order.
	o, err = e.Replace(1, 4, 10020, 70, 9)
	if err != nil || o.Status != StatusFilled || o.Filled != 70 {
		t.Fatalf("replace to fill: %+v %v", o, err)
	}
	if _, err := e.Cancel(1, 4, 10); reasonOf(err) != event.RejectUnknownOrder {
		t.Fatalf("cancel after fill: %v", err)
	}
	if got, _ := e.Order(4); got != o {
		t.Fatalf("Order(4) %+v, want %+v", got, o)
	}
	if got := depthString(e); got != "bids | asks" {
		t.Fatalf("book %s", got)
	}
	checkInvariants(t, e)
}

// TestReplaceRefused: a refused replace leaves the order as it was and reports nothing.
func TestReplaceRefused(t *testing.T) {
	notional := testRules
	notional.MinNotional = 1000
	cases := []struct {
		name       string
		rules      Rules
		account    uint32
		id         OrderID
		price, qty int64
		reason     event.RejectReason
	}{
		{"unknown id", testRules, 1, 99, 10000, 100, event.RejectUnknownOrder},
		{"other account", testRules, 2, 1, 10000, 100, event.RejectUnknownOrder},
		{"terminal", testRules, 3, 3, 10000, 100, event.RejectUnknownOrder},
		{"zero qty", testRules, 1, 1, 10000, 0, event.RejectQtyFilter},
		{"off tick", testRules, 1, 1, 10001, 100, event.RejectPriceFilter},
		{"zero price", testRules, 1, 1, 0, 100, event.RejectPriceFilter},
		{"off lot", testRules, 1, 1, 10000, 105, event.RejectQtyFilter},
		{"below min qty", testRules, 1, 1, 10000, 10, event.RejectQtyFilter},
		{"below min notional", notional, 1, 1, 10000, 90, event.RejectMinNotional},
		{"post-only would cross", testRules, 1, 1, 10050, 100, event.RejectPostOnly},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, rec := newTestEngine(t, c.rules)
			before := mustSubmit(t, e, Request{Account: 1, PostOnly: true, Side: buy, Price: 10000, Qty: 200}) // 1
			mustSubmit(t, e, limit(2, sell, 10050, 200))                                                       // 2
			mustSubmit(t, e, Request{Account: 3, Side: buy, TIF: event.TIFIOC, Price: 10000, Qty: 200})        // 3, expired
			book := depthString(e)
			rec.take()
			o, err := e.Replace(c.account, c.id, c.price, c.qty, 9)
			if reasonOf(err) != c.reason {
				t.Fatalf("Replace: %v, want %v", err, c.reason)
			}
			if c.reason != event.RejectUnknownOrder && o != before {
				t.Fatalf("returned %+v, want %+v", o, before)
			}
			if got, _ := e.Order(1); got != before {
				t.Fatalf("order changed: %+v", got)
			}
			if got := rec.take(); len(got) != 0 || depthString(e) != book {
				t.Fatalf("events %q, book %s", got, depthString(e))
			}
		})
	}
}

// TestReplaceToFilledCancels: a new qty at or below the filled qty cancels the order.
func TestReplaceToFilledCancels(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, buy, 10000, 100)) // 1
	mustSubmit(t, e, limit(2, sell, 10000, 40)) // 2
	rec.take()
	o, err := e.Replace(1, 1, 10000, 40, 3)
	if err != nil || o.Status != StatusCanceled || o.Filled != 40 || o.Exec != ExecCanceled {
		t.Fatalf("Replace: %+v %v", o, err)
	}
	if got := rec.take(); !slices.Equal(got, []string{"order 1 canceled canceled 40/100", "level buy 10000 0"}) {
		t.Fatalf("events %q", got)
	}
	checkInvariants(t, e)
}

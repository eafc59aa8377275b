//go:build !race

package match

import (
	"testing"

	"ems/core/book"
	"ems/core/event"
)

// TestZeroAllocs: in steady state (pools, maps and the history ring grown) submitting, matching,
// replacing and canceling allocate nothing.
func TestZeroAllocs(t *testing.T) {
	l := &countListener{}
	e, err := New("BTC-USDT", testRules, l)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetHistory(1024); err != nil {
		t.Fatal(err)
	}
	for i := range 50 { // a book to work against
		mustSubmit(t, e, limit(1, buy, 9000-int64(i)*5, 100))
		mustSubmit(t, e, limit(1, sell, 11000+int64(i)*5, 100))
	}
	var failed bool
	round := func() {
		o, err := e.Submit(Request{Account: 2, ClientID: "bid", Side: buy, Price: 9500, Qty: 100}, 1)
		if err != nil {
			failed = true
			return
		}
		if _, err := e.Replace(2, o.ID, 9505, 60, 2); err != nil { // loses priority
			failed = true
		}
		if _, err := e.Replace(2, o.ID, 9505, 40, 2); err != nil { // keeps it
			failed = true
		}
		if _, err := e.CancelClient(2, "bid", 3); err != nil {
			failed = true
		}
		if _, err := e.Submit(limit(3, sell, 10500, 100), 4); err != nil {
			failed = true
			return
		}
		tk, err := e.Submit(Request{Account: 4, Side: buy, Type: event.OrderMarket, Qty: 150}, 5)
		if err != nil || tk.Filled != 150 {
			failed = true
		}
		// Replenish what the market order took.
		if _, err := e.Submit(limit(1, sell, 11000, 50), 6); err != nil {
			failed = true
		}
		if _, err := e.Submit(Request{Account: 5, Side: sell, TIF: event.TIFIOC, Price: 9000, Qty: 40}, 7); err != nil {
			failed = true
		}
		if _, err := e.Submit(limit(1, buy, 9000, 40), 8); err != nil {
			failed = true
		}
	}
	for range 5000 {
		round()
	}
	if allocs := testing.AllocsPerRun(1000, round); allocs != 0 {
		t.Fatalf("%v allocations per round, want 0", allocs)
	}
	if failed {
		t.Fatal("an operation failed")
	}
	checkInvariants(t, e)
	dst := make([]Order, 0, 256)
	if allocs := testing.AllocsPerRun(100, func() { dst = e.Open(1, dst[:0]) }); allocs != 0 || len(dst) < 100 {
		t.Fatalf("Open: %v allocations", allocs)
	}
	levels := make([]book.Level, 0, 20)
	if allocs := testing.AllocsPerRun(100, func() { levels = e.Depth(sell, 20, levels[:0]) }); allocs != 0 || len(levels) != 20 {
		t.Fatalf("Depth: %v allocations", allocs)
	}
}

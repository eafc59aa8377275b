//go:build !race

package book

import "testing"

// TestSteadyStateAllocatesNothing covers every hot-path operation, including the ladder's window
// slides and overflow traffic within the preallocated capacity.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	const base = 6712345
	b, _ := New(1, 1024)
	load := func() {
		b.BeginSnapshot()
		for i := int64(0); i < 900; i++ {
			b.Set(Bid, base-i-i/10, 100+i)
			b.Set(Ask, base+1+i+i/10, 100+i)
		}
	}
	load()
	other, _ := New(10, 0)
	other.Set(Bid, base-5, 7)
	other.Set(Ask, base+15, 7)
	c, _ := NewConsolidated([]*Book{b, other})
	c.SetUsable(0, true)
	c.SetUsable(1, true)
	levels := make([]Level, 0, 64)
	cons := make([]ConsLevel, 0, 64)
	var sink int64
	visit := func(px, qty int64) bool { sink += px ^ qty; return true }

	cases := []struct {
		name string
		fn   func()
	}{
		{"update/insert/delete", func() {
			b.Set(Bid, base-3, 5)     // update
			b.Set(Bid, base-3, 0)     // delete
			b.Set(Bid, base-3, 103)   // re-add
			b.Set(Ask, base+7, 0)     // delete
			b.Set(Ask, base+7, 107)   // re-add
			b.Set(Ask, base-50000, 0) // unknown: no-op
		}},
		{"delete best and restore", func() {
			b.Set(Bid, base, 0)
			b.Set(Bid, base-1, 0)
			b.Set(Bid, base, 100)
			b.Set(Bid, base-1, 101)
		}},
		{"best, crossed, len, qty", func() {
			px, qty, _ := b.BestBid()
			ax, aq, _ := b.BestAsk()
			sink += px + qty + ax + aq + int64(b.Len(Bid)) + b.Qty(Ask, base+9)
			if b.Crossed() {
				sink++
			}
		}},
		{"levels and walk", func() {
			levels = b.Levels(Bid, 10, levels[:0])
			levels = b.Levels(Ask, 25, levels[:0])
			b.Walk(Ask, 10, visit)
			b.Walk(Bid, 10, func(px, qty int64) bool { sink += px; return true })
		}},
		{"depth for and cum qty", func() {
			s := b.DepthFor(Ask, 5000)
			sink += s.Qty + b.CumQty(Bid, base-40)
		}},
		{"far levels and window slides", func() {
			b.Set(Bid, base-20000, 9) // overflow insert
			b.Set(Bid, base+9000, 9)  // new best above the window: slide up
			b.Set(Bid, base+9000, 0)  // best deleted: slide back down
			b.Set(Bid, base-20000, 0) // overflow delete
		}},
		{"truncate and refill", func() {
			b.Truncate(Ask, 10)
			for i := int64(10); i < 900; i++ {
				b.Set(Ask, base+1+i+i/10, 100+i)
			}
		}},
		{"snapshot reload", load},
		{"consolidated", func() {
			cons = c.Levels(Bid, 10, cons[:0])
			cons = c.Levels(Ask, 10, cons[:0])
			px, _, v, _ := c.BestBid()
			sink += px + int64(v)
		}},
	}
	for _, tc := range cases {
		if n := testing.AllocsPerRun(200, tc.fn); n != 0 {
			t.Errorf("%s: %v allocs per run, want 0", tc.name, n)
		}
	}
	if b.Len(Bid) != 900 || b.Len(Ask) != 900 {
		t.Fatalf("book drifted: %d bids, %d asks", b.Len(Bid), b.Len(Ask))
	}
	_ = sink
}

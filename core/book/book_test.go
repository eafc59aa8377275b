package book

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"ems/core/event"
)

func TestSideMatchesEvent(t *testing.T) {
	if Bid != Side(event.SideBuy) || Ask != Side(event.SideSell) {
		t.Fatalf("Bid=%d Ask=%d, want %d and %d", Bid, Ask, event.SideBuy, event.SideSell)
	}
	for s, want := range map[Side]string{Bid: "bid", Ask: "ask", 7: "side(7)"} {
		if got := s.String(); got != want {
			t.Errorf("Side(%d).String() = %q, want %q", s, got, want)
		}
	}
}

func TestNewRejectsBadTick(t *testing.T) {
	for _, tick := range []int64{0, -1, MaxPrice + 1} {
		if _, err := New(tick, 0); !errors.Is(err, ErrTick) {
			t.Errorf("New(%d): err = %v, want ErrTick", tick, err)
		}
	}
	for _, tick := range []int64{1, 1000, MaxPrice} {
		b, err := New(tick, 0)
		if err != nil || b.Tick() != tick {
			t.Errorf("New(%d) = %v, %v", tick, b, err)
		}
	}
}

// op is one step of a table-driven book script.
type op struct {
	kind     byte // 's' Set, 't' Truncate, 'c' Clear, 'b' BeginSnapshot
	side     Side
	px, qty  int64 // Set: price and quantity; Truncate: qty is n
	wantPrev int64 // Set: previous quantity; Truncate: levels dropped
	wantErr  error
}

func set(s Side, px, qty, prev int64) op {
	return op{kind: 's', side: s, px: px, qty: qty, wantPrev: prev}
}
func bad(s Side, px, qty int64, err error) op {
	return op{kind: 's', side: s, px: px, qty: qty, wantErr: err}
}
func trunc(s Side, n, dropped int64) op { return op{kind: 't', side: s, qty: n, wantPrev: dropped} }

func TestBookScripts(t *testing.T) {
	const far = 10 * window // beyond any window placement
	tests := []struct {
		name     string
		tick     int64
		ops      []op
		bids     []Level
		asks     []Level
		crossed  bool
		wantBest bool
	}{
		{name: "empty", tick: 1},
		{
			name: "add update delete",
			tick: 1,
			ops: []op{
				set(Bid, 100, 5, 0), set(Bid, 100, 7, 5), set(Bid, 99, 3, 0),
				set(Ask, 101, 2, 0), set(Ask, 102, 4, 0), set(Ask, 101, 0, 2),
			},
			bids: []Level{{100, 7}, {99, 3}},
			asks: []Level{{102, 4}},
		},
		{
			name: "delete unknown level is a no-op",
			tick: 1,
			ops:  []op{set(Bid, 100, 5, 0), set(Bid, 98, 0, 0), set(Ask, 500, 0, 0), set(Bid, 100+far, 0, 0), set(Bid, 1, 0, 0)},
			bids: []Level{{100, 5}},
		},
		{
			name: "errors leave the book unchanged",
			tick: 1000,
			ops: []op{
				set(Bid, 5000, 1, 0),
				bad(Bid, 5001, 1, ErrOffTick), bad(Bid, 5999, 0, ErrOffTick),
				bad(Bid, 0, 1, ErrPrice), bad(Ask, -1000, 1, ErrPrice), bad(Ask, MaxPrice+1000, 1, ErrPrice),
				bad(Bid, 5000, -1, ErrQty), bad(3, 5000, 1, ErrSide), bad(0, 6000, 0, ErrSide),
			},
			bids: []Level{{5000, 1}},
		},
		{
			name: "delete best finds the next best",
			tick: 10,
			ops: []op{
				set(Bid, 1000, 1, 0), set(Bid, 990, 2, 0), set(Bid, 500, 3, 0), set(Bid, 1000, 0, 1),
				set(Bid, 990, 0, 2),
				set(Ask, 1010, 1, 0), set(Ask, 1020, 2, 0), set(Ask, 1010, 0, 1),
			},
			bids: []Level{{500, 3}},
			asks: []Level{{1020, 2}},
		},
		{
			name:    "crossed at equal prices",
			tick:    1,
			ops:     []op{set(Bid, 100, 1, 0), set(Ask, 100, 1, 0)},
			bids:    []Level{{100, 1}},
			asks:    []Level{{100, 1}},
			crossed: true,
		},
		{
			name:    "crossed through",
			tick:    1,
			ops:     []op{set(Bid, 101, 1, 0), set(Ask, 100, 1, 0)},
			bids:    []Level{{101, 1}},
			asks:    []Level{{100, 1}},
			crossed: true,
		},
		{
			name: "one side only is not crossed",
			tick: 1,
			ops:  []op{set(Bid, 101, 1, 0)},
			bids: []Level{{101, 1}},
		},
		{
			name: "truncate keeps the best n",
			tick: 1,
			ops: []op{
				set(Bid, 100, 1, 0), set(Bid, 99, 2, 0), set(Bid, 97, 3, 0), set(Bid, 90, 4, 0),
				set(Ask, 101, 1, 0), set(Ask, 105, 2, 0), set(Ask, 101+far, 3, 0),
				trunc(Bid, 2, 2), trunc(Bid, 2, 0), trunc(Ask, 2, 1), trunc(Ask, 5, 0),
			},
			bids: []Level{{100, 1}, {99, 2}},
			asks: []Level{{101, 1}, {105, 2}},
		},
		{
			name: "truncate to zero empties the side",
			tick: 1,
			ops:  []op{set(Bid, 100_000, 1, 0), set(Bid, 100_000-far, 1, 0), trunc(Bid, 0, 2), set(Bid, 7, 1, 0)},
			bids: []Level{{7, 1}},
		},
		{
			name: "kraken depth 3: a new level pushes the worst out",
			tick: 1,
			ops: []op{
				set(Ask, 10, 1, 0), set(Ask, 11, 1, 0), set(Ask, 12, 1, 0), trunc(Ask, 3, 0),
				set(Ask, 9, 2, 0), trunc(Ask, 3, 1),
				set(Ask, 12, 0, 0), // the dropped level is gone: deleting it again is a no-op
			},
			asks: []Level{{9, 2}, {10, 1}, {11, 1}},
		},
		{
			name: "clear then reuse",
			tick: 1,
			ops:  []op{set(Bid, 100, 1, 0), set(Ask, 200, 1, 0), {kind: 'c'}, set(Bid, 100, 3, 0)},
			bids: []Level{{100, 3}},
		},
		{
			name: "snapshot replaces, never merges",
			tick: 1,
			ops: []op{
				set(Bid, 100, 1, 0), set(Bid, 95, 1, 0), set(Ask, 105, 1, 0),
				{kind: 'b'},
				set(Bid, 99, 4, 0), set(Ask, 101, 5, 0),
			},
			bids: []Level{{99, 4}},
			asks: []Level{{101, 5}},
		},
		{
			name: "far levels live in the overflow, in order",
			tick: 1,
			ops: []op{
				set(Bid, 1_000_000, 1, 0), set(Bid, 1_000_000-far, 2, 0), set(Bid, 1_000_000-2*far, 3, 0),
				set(Bid, 1_000_000-far, 5, 2),
				set(Ask, 1_000_001, 1, 0), set(Ask, 1_000_001+2*far, 3, 0), set(Ask, 1_000_001+far, 2, 0),
			},
			bids: []Level{{1_000_000, 1}, {1_000_000 - far, 5}, {1_000_000 - 2*far, 3}},
			asks: []Level{{1_000_001, 1}, {1_000_001 + far, 2}, {1_000_001 + 2*far, 3}},
		},
		{
			name: "jump up slides the window and keeps old levels",
			tick: 1,
			ops: []op{
				set(Bid, 50_000, 1, 0), set(Bid, 49_990, 2, 0), set(Bid, 50_000+window/2, 3, 0),
				set(Bid, 50_000+far, 4, 0), set(Bid, 50_000+far, 0, 4), // the window slides back down
				set(Bid, 50_000+window/2, 0, 3), set(Bid, 49_990, 6, 2),
			},
			bids: []Level{{50_000, 1}, {49_990, 6}},
		},
		{
			name: "jump down on asks slides the window and keeps old levels",
			tick: 5,
			ops: []op{
				set(Ask, 500_000, 1, 0), set(Ask, 500_050, 2, 0),
				set(Ask, 500_000-5*far, 4, 0), set(Ask, 500_000-5*far, 0, 4),
				set(Ask, 500_000, 0, 1),
			},
			asks: []Level{{500_050, 2}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := New(tc.tick, 4)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range tc.ops {
				switch o.kind {
				case 's':
					prev, err := b.Set(o.side, o.px, o.qty)
					if !errors.Is(err, o.wantErr) || prev != o.wantPrev {
						t.Fatalf("op %d Set(%v, %d, %d) = %d, %v; want %d, %v", i, o.side, o.px, o.qty, prev, err, o.wantPrev, o.wantErr)
					}
				case 't':
					if got := b.Truncate(o.side, int(o.qty)); got != int(o.wantPrev) {
						t.Fatalf("op %d Truncate(%v, %d) = %d, want %d", i, o.side, o.qty, got, o.wantPrev)
					}
				case 'c':
					b.Clear()
				case 'b':
					b.BeginSnapshot()
				}
			}
			checkBook(t, b, tc.bids, tc.asks)
			if got := b.Crossed(); got != tc.crossed {
				t.Errorf("Crossed() = %v, want %v", got, tc.crossed)
			}
		})
	}
}

// checkBook compares every observable of b with the expected sides (best first).
func checkBook(t *testing.T, b *Book, bids, asks []Level) {
	t.Helper()
	for _, sd := range []struct {
		side Side
		want []Level
	}{{Bid, bids}, {Ask, asks}} {
		got := b.Levels(sd.side, -1, nil)
		if !slices.Equal(got, sd.want) {
			t.Errorf("%v levels = %v, want %v", sd.side, got, sd.want)
		}
		if n := b.Len(sd.side); n != len(sd.want) {
			t.Errorf("%v Len = %d, want %d", sd.side, n, len(sd.want))
		}
		px, qty, ok := b.Best(sd.side)
		if ok != (len(sd.want) > 0) || ok && (Level{px, qty}) != sd.want[0] {
			t.Errorf("%v Best = %d, %d, %v; want %v", sd.side, px, qty, ok, sd.want)
		}
		for _, l := range sd.want {
			if q := b.Qty(sd.side, l.Price); q != l.Qty {
				t.Errorf("%v Qty(%d) = %d, want %d", sd.side, l.Price, q, l.Qty)
			}
		}
		var walked []Level
		b.Walk(sd.side, -1, func(px, qty int64) bool { walked = append(walked, Level{px, qty}); return true })
		if !slices.Equal(walked, sd.want) {
			t.Errorf("%v Walk = %v, want %v", sd.side, walked, sd.want)
		}
	}
	if px, qty, ok := b.BestBid(); ok != (len(bids) > 0) || ok && (Level{px, qty}) != bids[0] {
		t.Errorf("BestBid = %d, %d, %v", px, qty, ok)
	}
	if px, qty, ok := b.BestAsk(); ok != (len(asks) > 0) || ok && (Level{px, qty}) != asks[0] {
		t.Errorf("BestAsk = %d, %d, %v", px, qty, ok)
	}
	if e := b.Empty(); e != (len(bids) == 0 && len(asks) == 0) {
		t.Errorf("Empty() = %v", e)
	}
}

func TestLevelsAndWalkLimits(t *testing.T) {
	b, _ := New(1, 0)
	for i := int64(0); i < 5; i++ {
		b.Set(Bid, 100-i, i+1)
		b.Set(Ask, 101+i*far(), i+1) // asks spread beyond the window: exercises the overflow
	}
	dst := []Level{{1, 1}}
	dst = b.Levels(Bid, 3, dst)
	if want := []Level{{1, 1}, {100, 1}, {99, 2}, {98, 3}}; !slices.Equal(dst, want) {
		t.Errorf("Levels(Bid, 3) appended %v, want %v", dst, want)
	}
	if got := b.Levels(Ask, 0, nil); len(got) != 0 {
		t.Errorf("Levels(Ask, 0) = %v", got)
	}
	if got := b.Levels(Ask, 4, nil); len(got) != 4 || got[3] != (Level{101 + 3*far(), 4}) {
		t.Errorf("Levels(Ask, 4) = %v", got)
	}
	if got := b.Levels(9, -1, nil); got != nil {
		t.Errorf("Levels(bad side) = %v", got)
	}
	var seen []int64
	b.Walk(Ask, -1, func(px, _ int64) bool { seen = append(seen, px); return len(seen) < 2 })
	if len(seen) != 2 {
		t.Errorf("Walk stopped after %d levels, want 2", len(seen))
	}
	seen = seen[:0]
	b.Walk(Bid, 4, func(px, _ int64) bool { seen = append(seen, px); return true })
	if len(seen) != 4 {
		t.Errorf("Walk(n=4) visited %d levels", len(seen))
	}
}

func far() int64 { return 3 * window }

func TestApply(t *testing.T) {
	b, _ := New(10, 0)
	if err := b.Apply(Bid, []Level{{100, 1}, {90, 2}, {100, 3}}); err != nil {
		t.Fatal(err)
	}
	err := b.Apply(Ask, []Level{{110, 1}, {115, 1}, {120, 1}})
	if !errors.Is(err, ErrOffTick) {
		t.Fatalf("Apply with an off-tick price: %v", err)
	}
	checkBook(t, b, []Level{{100, 3}, {90, 2}}, []Level{{110, 1}})
}

func TestDepthForAndCumQty(t *testing.T) {
	b, _ := New(1, 0)
	b.Apply(Ask, []Level{{100, 2}, {101, 3}, {105 + far(), 10}})
	b.Apply(Bid, []Level{{99, 4}, {98, 1}})
	tests := []struct {
		side Side
		qty  int64
		want Sweep
	}{
		{Ask, 1, Sweep{Qty: 1, Levels: 1, Worst: 100, Notional: Notional{Lo: 100}}},
		{Ask, 4, Sweep{Qty: 4, Levels: 2, Worst: 101, Notional: Notional{Lo: 200 + 202}}},
		{Ask, 100, Sweep{Qty: 15, Levels: 3, Worst: 105 + far(), Notional: Notional{Lo: uint64(200 + 303 + 10*(105+far()))}}},
		{Bid, 5, Sweep{Qty: 5, Levels: 2, Worst: 98, Notional: Notional{Lo: 396 + 98}}},
		{Bid, 0, Sweep{}},
		{3, 5, Sweep{}},
	}
	for _, tc := range tests {
		if got := b.DepthFor(tc.side, tc.qty); got != tc.want {
			t.Errorf("DepthFor(%v, %d) = %+v, want %+v", tc.side, tc.qty, got, tc.want)
		}
	}
	cum := []struct {
		side  Side
		limit int64
		want  int64
	}{{Ask, 99, 0}, {Ask, 100, 2}, {Ask, 104, 5}, {Ask, MaxPrice, 15}, {Bid, 99, 4}, {Bid, 1, 5}, {Bid, 100, 0}}
	for _, tc := range cum {
		if got := b.CumQty(tc.side, tc.limit); got != tc.want {
			t.Errorf("CumQty(%v, %d) = %d, want %d", tc.side, tc.limit, got, tc.want)
		}
	}
	// 128-bit notional: 2^62 × 2^62 overflows 64 bits.
	big, _ := New(1, 0)
	big.Set(Ask, MaxPrice, MaxPrice)
	if s := big.DepthFor(Ask, MaxPrice); s.Notional != (Notional{Hi: 1 << 60}) {
		t.Errorf("notional 2^124 = %+v", s.Notional)
	}
}

func ExampleBook() {
	// BTC-USDT at price scale 2 (tick 0.01 = 1 unit) and quantity scale 5.
	b, _ := New(1, 0)
	b.BeginSnapshot()
	b.Apply(Bid, []Level{{6712345, 150000}, {6712344, 20000}, {6712340, 5000}})
	b.Apply(Ask, []Level{{6712346, 30000}, {6712350, 100000}})

	b.Set(Bid, 6712345, 0)     // the best bid is taken
	b.Set(Ask, 6712347, 25000) // a new ask level
	if _, err := b.Set(Bid, -5, 1); err != nil {
		fmt.Println(err)
	}

	px, qty, _ := b.BestBid()
	fmt.Println("best bid", px, qty)
	fmt.Println("asks", b.Levels(Ask, 2, nil))
	fmt.Println("crossed", b.Crossed())
	// Output:
	// book: price out of range (0, MaxPrice]
	// best bid 6712344 20000
	// asks [{6712346 30000} {6712347 25000}]
	// crossed false
}

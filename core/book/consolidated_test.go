package book

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func mustBook(t testing.TB, tick int64, bids, asks []Level) *Book {
	t.Helper()
	b, err := New(tick, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Apply(Bid, bids); err != nil {
		t.Fatal(err)
	}
	if err := b.Apply(Ask, asks); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConsolidated(t *testing.T) {
	// Three venues, price scale 2: venue 0 tick 0.01, venue 1 tick 0.10, venue 2 tick 0.01.
	v0 := mustBook(t, 1, []Level{{1010000, 1}, {1009999, 2}, {1009990, 3}}, []Level{{1010002, 1}, {1010003, 2}})
	v1 := mustBook(t, 10, []Level{{1010000, 5}, {1009990, 5}, {1009990 - 10*window, 7}}, []Level{{1010010, 4}})
	v2 := mustBook(t, 1, []Level{{1010001, 9}}, []Level{{1010001, 9}})
	c, err := NewConsolidated([]*Book{v0, v1, nil, v2})
	if err != nil {
		t.Fatal(err)
	}
	if c.Venues() != 4 || c.Book(1) != v1 || c.Book(2) != nil {
		t.Fatal("venue slots")
	}
	if _, _, _, ok := c.BestBid(); ok {
		t.Fatal("venues start unusable")
	}
	for v := range 4 {
		c.SetUsable(v, true)
	}
	c.SetUsable(3, false)
	c.SetUsable(99, true) // ignored
	c.SetUsable(-1, true) // ignored
	if c.Usable(2) || c.Usable(3) || !c.Usable(0) || c.Usable(99) {
		t.Fatal("Usable: nil book or unusable venue reported usable")
	}

	type best struct {
		px, qty int64
		venue   int
		ok      bool
	}
	tests := []struct {
		name       string
		usable     []int
		bid, ask   best
		bids, asks []ConsLevel
		n          int
	}{
		{
			name:   "venues 0 and 1",
			usable: []int{0, 1},
			bid:    best{1010000, 1, 0, true}, // tie at 1010000: the lowest venue wins
			ask:    best{1010002, 1, 0, true},
			n:      -1,
			bids: []ConsLevel{
				{1010000, 6, 6, 0b11}, {1009999, 2, 8, 0b01}, {1009990, 8, 16, 0b11}, {1009990 - 10*window, 7, 23, 0b10},
			},
			asks: []ConsLevel{{1010002, 1, 1, 0b1}, {1010003, 2, 3, 0b1}, {1010010, 4, 7, 0b10}},
		},
		{
			name:   "venue 3 joins (crossed across venues is reported as is)",
			usable: []int{0, 1, 3},
			bid:    best{1010001, 9, 3, true},
			ask:    best{1010001, 9, 3, true},
			n:      2,
			bids:   []ConsLevel{{1010001, 9, 9, 0b1000}, {1010000, 6, 15, 0b11}},
			asks:   []ConsLevel{{1010001, 9, 9, 0b1000}, {1010002, 1, 10, 0b1}},
		},
		{
			name:   "only venue 1",
			usable: []int{1},
			bid:    best{1010000, 5, 1, true},
			ask:    best{1010010, 4, 1, true},
			n:      1,
			bids:   []ConsLevel{{1010000, 5, 5, 0b10}},
			asks:   []ConsLevel{{1010010, 4, 4, 0b10}},
		},
		{
			name: "none usable",
			bid:  best{0, 0, -1, false},
			ask:  best{0, 0, -1, false},
			n:    -1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for v := range 4 {
				c.SetUsable(v, slices.Contains(tc.usable, v))
			}
			if px, qty, v, ok := c.BestBid(); (best{px, qty, v, ok}) != tc.bid {
				t.Errorf("BestBid = %v, want %v", best{px, qty, v, ok}, tc.bid)
			}
			if px, qty, v, ok := c.BestAsk(); (best{px, qty, v, ok}) != tc.ask {
				t.Errorf("BestAsk = %v, want %v", best{px, qty, v, ok}, tc.ask)
			}
			if got := c.Levels(Bid, tc.n, nil); !slices.Equal(got, tc.bids) {
				t.Errorf("bids %v, want %v", got, tc.bids)
			}
			if got := c.Levels(Ask, tc.n, nil); !slices.Equal(got, tc.asks) {
				t.Errorf("asks %v, want %v", got, tc.asks)
			}
		})
	}
	if got := c.Levels(Side(0), -1, nil); got != nil {
		t.Errorf("bad side: %v", got)
	}
	if _, _, v, ok := c.Best(Side(5)); ok || v != -1 {
		t.Errorf("Best(bad side) ok")
	}
	if _, err := NewConsolidated(make([]*Book, MaxVenues+1)); !errors.Is(err, ErrVenues) {
		t.Errorf("too many venues: %v", err)
	}
}

// TestConsolidatedRandom checks the merge against a brute-force merge of each book's Levels.
func TestConsolidatedRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	ticks := []int64{1, 5, 10, 1, 2}
	books := make([]*Book, len(ticks))
	for v, tick := range ticks {
		books[v], _ = New(tick, 0)
	}
	c, _ := NewConsolidated(books)
	rounds := 300
	if raceEnabled {
		rounds = 100
	}
	var got []ConsLevel
	for round := 0; round < rounds; round++ {
		for range 200 {
			v := r.IntN(len(books))
			side := Side(1 + r.IntN(2))
			d := int64(r.IntN(300))
			if r.IntN(50) == 0 {
				d = int64(r.IntN(20 * window))
			}
			px := (1_000_000 - d) * 10
			if side == Ask {
				px = (1_000_000 + d) * 10
			}
			px -= px % books[v].Tick()
			qty := int64(0)
			if r.IntN(3) != 0 {
				qty = 1 + r.Int64N(100)
			}
			if _, err := books[v].Set(side, px, qty); err != nil {
				t.Fatal(err)
			}
		}
		var mask uint64
		for v := range books {
			ok := r.IntN(4) != 0
			c.SetUsable(v, ok)
			if ok {
				mask |= 1 << v
			}
		}
		for _, side := range []Side{Bid, Ask} {
			n := []int{-1, 1, 10, 100}[r.IntN(4)]
			want := bruteMerge(books, mask, side, n)
			if got = c.Levels(side, n, got[:0]); !slices.Equal(got, want) {
				t.Fatalf("round %d %v n=%d:\n got %v\nwant %v", round, side, n, got, want)
			}
			px, _, v, ok := c.Best(side)
			if ok != (len(want) > 0) || ok && (px != want[0].Price || want[0].Venues&(1<<v) == 0 || v != trailing(want[0].Venues)) {
				t.Fatalf("round %d: Best(%v) = %d venue %d, want %v", round, side, px, v, want)
			}
		}
	}
}

func bruteMerge(books []*Book, mask uint64, side Side, n int) []ConsLevel {
	byPx := map[int64]*ConsLevel{}
	var out []ConsLevel
	for v, b := range books {
		if mask&(1<<v) == 0 {
			continue
		}
		for _, l := range b.Levels(side, -1, nil) {
			if byPx[l.Price] == nil {
				byPx[l.Price] = &ConsLevel{Price: l.Price}
			}
			byPx[l.Price].Qty += l.Qty
			byPx[l.Price].Venues |= 1 << v
		}
	}
	for _, l := range byPx {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b ConsLevel) int {
		if better(side, a.Price, b.Price) {
			return -1
		}
		return 1
	})
	if n >= 0 && n < len(out) {
		out = out[:n]
	}
	var cum int64
	for i := range out {
		cum += out[i].Qty
		out[i].Cum = cum
	}
	return out
}

func ExampleConsolidated() {
	binance, _ := New(1, 0) // price scale 2, tick 0.01
	kraken, _ := New(10, 0) // same scale, tick 0.10
	binance.Apply(Ask, []Level{{6712346, 3}, {6712350, 10}})
	kraken.Apply(Ask, []Level{{6712350, 4}, {6712360, 8}})

	c, _ := NewConsolidated([]*Book{binance, kraken})
	c.SetUsable(0, true)
	c.SetUsable(1, true)

	px, qty, venue, _ := c.BestAsk()
	fmt.Println("best ask", px, qty, "venue", venue)
	for _, l := range c.Levels(Ask, 3, nil) {
		fmt.Printf("%d qty=%d cum=%d venues=%02b\n", l.Price, l.Qty, l.Cum, l.Venues)
	}
	// Output:
	// best ask 6712346 3 venue 0
	// 6712346 qty=3 cum=3 venues=01
	// 6712350 qty=14 cum=17 venues=11
	// 6712360 qty=8 cum=25 venues=10
}

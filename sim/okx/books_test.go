package okx

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"ems/core/book"
	"ems/sim/match"
)

// TestDiff: applying each update diff computes to the previously published view, then keeping
// the best depth levels (what a subscriber does), always gives the mirror's best depth levels,
// including levels that move in and out of the visible depth.
func TestDiff(t *testing.T) {
	const depth = 10
	mirror, err := book.New(1, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := &publisher{mirror: mirror, depth: depth}
	client := map[book.Side]map[int64]int64{book.Bid: {}, book.Ask: {}}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 2000; round++ {
		for k := rng.IntN(8); k >= 0; k-- {
			side := book.Bid
			px := int64(990 - rng.IntN(30))
			if rng.IntN(2) == 0 {
				side, px = book.Ask, int64(1010+rng.IntN(30))
			}
			qty := int64(0)
			if rng.IntN(3) > 0 {
				qty = int64(1 + rng.IntN(5))
			}
			if _, err := mirror.Set(side, px, qty); err != nil {
				t.Fatal(err)
			}
		}
		p.diff()
		for s, side := range []book.Side{book.Bid, book.Ask} {
			ch := p.changes[s]
			for i := 1; i < len(ch); i++ { // in the side's order, best first
				if (side == book.Bid) != (ch[i-1].Price > ch[i].Price) {
					t.Fatalf("round %d: %v changes out of order: %v", round, side, ch)
				}
			}
			for _, l := range ch {
				if l.Qty == 0 {
					delete(client[side], l.Price)
				} else {
					client[side][l.Price] = l.Qty
				}
			}
			got := bestOf(client[side], side, depth)
			want := mirror.Levels(side, depth, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: %v view %v, mirror %v", round, side, got, want)
			}
			for price := range client[side] { // truncation, as the decoder does
				if !slices.ContainsFunc(got, func(l book.Level) bool { return l.Price == price }) {
					delete(client[side], price)
				}
			}
		}
	}
}

// bestOf returns the best n levels of m.
func bestOf(m map[int64]int64, side book.Side, n int) []book.Level {
	var ls []book.Level
	for p, q := range m {
		ls = append(ls, book.Level{Price: p, Qty: q})
	}
	slices.SortFunc(ls, func(a, b book.Level) int {
		if side == book.Bid {
			return int(b.Price - a.Price)
		}
		return int(a.Price - b.Price)
	})
	if len(ls) > n {
		ls = ls[:n]
	}
	if ls == nil {
		ls = []book.Level{}
	}
	return ls
}

func TestAppendBigDec(t *testing.T) {
	tests := []struct {
		v     int64
		scale int
		want  string
	}{
		{0, 5, "0"}, {123, 0, "123"}, {12300, 2, "123"}, {12345, 2, "123.45"}, {5, 3, "0.005"},
		{-10000249968, 12, "-0.010000249968"}, {1000, 3, "1"}, {-7, 1, "-0.7"}, {10, 1, "1"},
		{120, 3, "0.12"},
	}
	for _, tt := range tests {
		if got := string(appendBigDec([]byte("x"), big.NewInt(tt.v), tt.scale)); got != "x"+tt.want {
			t.Errorf("appendBigDec(%d, %d) = %q, want x%s", tt.v, tt.scale, got, tt.want)
		}
	}
	huge, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	if got := string(appendBigDec(nil, huge, 20)); got != "1234567890.1234567890123456789" {
		t.Errorf("huge: %s", got)
	}
}

func TestOrdID(t *testing.T) {
	for _, tt := range []struct {
		index int
		id    match.OrderID
	}{{0, 1}, {3, 77}, {99, 1 << 40}} {
		s := uintText(wireOrdID(tt.index, tt.id))
		if len(s) != 18 {
			t.Errorf("ordId %s is not 18 digits", s)
		}
		idx, id, ok := parseOrdID(s)
		if !ok || idx != tt.index || id != tt.id {
			t.Errorf("parseOrdID(%s) = %d %d %v, want %d %d", s, idx, id, ok, tt.index, tt.id)
		}
	}
	for _, s := range []string{"", "x", "1", "600000000000000000", "-5", "99999999999999999999999"} {
		if _, _, ok := parseOrdID(s); ok {
			t.Errorf("parseOrdID(%q) accepted", s)
		}
	}
}

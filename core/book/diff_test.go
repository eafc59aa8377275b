package book

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// impl is what the differential test drives: Book and the sortedBook baseline.
type impl interface {
	Set(side Side, price, qty int64) (int64, error)
	Clear()
	Qty(side Side, price int64) int64
	Best(side Side) (int64, int64, bool)
	Len(side Side) int
	Crossed() bool
	Truncate(side Side, n int) int
	Levels(side Side, n int, dst []Level) []Level
}

// refBook is the reference: a map per side and nothing clever.
type refBook struct {
	tick  int64
	sides [3]map[int64]int64 // indexed by Side
}

func newRefBook(tick int64) *refBook {
	return &refBook{tick: tick, sides: [3]map[int64]int64{nil, {}, {}}}
}

func (r *refBook) Set(side Side, price, qty int64) (int64, error) {
	switch {
	case qty < 0:
		return 0, ErrQty
	case price <= 0 || price > MaxPrice:
		return 0, ErrPrice
	case price%r.tick != 0:
		return 0, ErrOffTick
	case side != Bid && side != Ask:
		return 0, ErrSide
	}
	m := r.sides[side]
	prev := m[price]
	if qty == 0 {
		delete(m, price)
	} else {
		m[price] = qty
	}
	return prev, nil
}

func (r *refBook) Clear() { r.sides[Bid], r.sides[Ask] = map[int64]int64{}, map[int64]int64{} }

func (r *refBook) Qty(side Side, price int64) int64 {
	if side != Bid && side != Ask {
		return 0
	}
	return r.sides[side][price]
}

func better(side Side, a, b int64) bool {
	if side == Bid {
		return a > b
	}
	return a < b
}

func (r *refBook) Best(side Side) (int64, int64, bool) {
	var px int64
	ok := false
	for p := range r.sides[side] {
		if !ok || better(side, p, px) {
			px, ok = p, true
		}
	}
	return px, r.sides[side][px], ok
}

func (r *refBook) Len(side Side) int { return len(r.sides[side]) }

func (r *refBook) Crossed() bool {
	b, _, okb := r.Best(Bid)
	a, _, oka := r.Best(Ask)
	return okb && oka && b >= a
}

func (r *refBook) sorted(side Side) []Level {
	lv := make([]Level, 0, len(r.sides[side]))
	for p, q := range r.sides[side] {
		lv = append(lv, Level{p, q})
	}
	slices.SortFunc(lv, func(a, b Level) int {
		if better(side, a.Price, b.Price) {
			return -1
		}
		return 1
	})
	return lv
}

func (r *refBook) Truncate(side Side, n int) int {
	lv := r.sorted(side)
	n = max(n, 0)
	for _, l := range lv[min(n, len(lv)):] {
		delete(r.sides[side], l.Price)
	}
	return max(len(lv)-n, 0)
}

func (r *refBook) Levels(side Side, n int, dst []Level) []Level {
	lv := r.sorted(side)
	if n >= 0 && n < len(lv) {
		lv = lv[:n]
	}
	return append(dst, lv...)
}

// checkLadder verifies the ladder's invariants.
func checkLadder(l *ladder) error {
	if l.base&63 != 0 {
		return fmt.Errorf("base %d not aligned", l.base)
	}
	n := 0
	maxKey, found := int64(0), false
	for wi, w := range l.bits {
		n += bits.OnesCount64(w)
		for ; w != 0; w &= w - 1 {
			slot := int64(wi*64 + 63 - bits.TrailingZeros64(w))
			// the key of slot in [base, base+window)
			k := l.base + (slot-l.base)&windowMask
			if l.qty[slot] <= 0 {
				return fmt.Errorf("key %d: qty %d", k, l.qty[slot])
			}
			if !found || k > maxKey {
				maxKey, found = k, true
			}
		}
	}
	if n != l.n {
		return fmt.Errorf("n = %d, bits hold %d", l.n, n)
	}
	if l.n == 0 && l.ovf.len() > 0 {
		return fmt.Errorf("empty window, %d overflow levels", l.ovf.len())
	}
	if found && maxKey != l.best {
		return fmt.Errorf("best %d, window max %d", l.best, maxKey)
	}
	for i, e := range l.ovf.lv {
		if e.key >= l.base || e.qty <= 0 || i > 0 && e.key <= l.ovf.lv[i-1].key {
			return fmt.Errorf("overflow[%d] = %+v (base %d)", i, e, l.base)
		}
	}
	return nil
}

func TestDifferential(t *testing.T) {
	ops := 200_000
	if raceEnabled {
		ops = 100_000
	}
	for _, tick := range []int64{1, 7, 1000} {
		t.Run(fmt.Sprintf("tick=%d", tick), func(t *testing.T) {
			runDifferential(t, tick, ops, uint64(tick))
		})
	}
}

func runDifferential(t *testing.T, tick int64, nops int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 0x600d))
	book, _ := New(tick, 64) // small capacity: the overflow grows past it
	impls := []impl{book, newSortedBook(tick, 64)}
	names := []string{"ladder", "sorted"}
	ref := newRefBook(tick)
	mid := int64(10_000_000)
	stats := map[string]int{}

	distance := func() int64 {
		switch x := r.IntN(100); {
		case x < 70:
			return int64(r.IntN(12)) - 2 // the touch, sometimes through it (crossed books)
		case x < 95:
			return int64(r.IntN(100))
		case x < 99:
			return int64(r.IntN(3000))
		default:
			return int64(r.IntN(30000)) // beyond the window
		}
	}
	setOp := func(side Side, px, qty int64) {
		wantPrev, wantErr := ref.Set(side, px, qty)
		for i, im := range impls {
			prev, err := im.Set(side, px, qty)
			if prev != wantPrev || !errors.Is(err, wantErr) {
				t.Fatalf("%s: Set(%v, %d, %d) = %d, %v; want %d, %v", names[i], side, px, qty, prev, err, wantPrev, wantErr)
			}
			if q, want := im.Qty(side, px), ref.Qty(side, px); q != want {
				t.Fatalf("%s: Qty(%v, %d) = %d, want %d", names[i], side, px, q, want)
			}
		}
		if wantErr != nil {
			stats["error"]++
		} else if qty == 0 {
			stats["delete"]++
		}
	}
	var got, want []Level
	for i := 0; i < nops; i++ {
		switch x := r.IntN(10000); {
		case x < 10: // a big price jump: the window must slide, old levels stay (deep)
			d := int64(5000 + r.IntN(200_000))
			if r.IntN(2) == 0 && mid-d > 300_000 {
				d = -d
			}
			mid += d
			stats["jump"]++
		case x < 110:
			side := Side(1 + r.IntN(2))
			n := r.IntN(1500)
			w := ref.Truncate(side, n)
			for j, im := range impls {
				if d := im.Truncate(side, n); d != w {
					t.Fatalf("%s: Truncate(%v, %d) = %d, want %d", names[j], side, n, d, w)
				}
			}
			stats["truncate"]++
		case x < 120: // a resync: clear, then load a snapshot
			ref.Clear()
			for _, im := range impls {
				im.Clear()
			}
			for j := r.IntN(1200); j > 0; j-- {
				side := Side(1 + r.IntN(2))
				d := distance() + 2
				px := (mid - d) * tick
				if side == Ask {
					px = (mid + 1 + d) * tick
				}
				setOp(side, px, 1+r.Int64N(1e6))
			}
			stats["snapshot"]++
		case x < 150: // an aggressive order takes the best levels: the touch retreats
			side := Side(1 + r.IntN(2))
			for k := 1 + r.IntN(200); k > 0; k-- {
				px, _, ok := ref.Best(side)
				if !ok {
					break
				}
				setOp(side, px, 0)
			}
			stats["sweep"]++
		case x < 200: // invalid input
			px := []int64{-tick, 0, mid*tick + 1, MaxPrice + tick}[r.IntN(4)]
			setOp(Side(r.IntN(4)), px, int64(r.IntN(3))-1)
		default:
			side := Side(1 + r.IntN(2))
			d := distance()
			px := (mid - d) * tick
			if side == Ask {
				px = (mid + 1 + d) * tick
			}
			qty := int64(0)
			if r.IntN(4) != 0 {
				qty = 1 + r.Int64N(1e6)
			}
			setOp(side, px, qty)
		}
		for j, im := range impls {
			for _, side := range []Side{Bid, Ask} {
				wp, wq, wok := ref.Best(side)
				if p, q, ok := im.Best(side); p != wp || q != wq || ok != wok {
					t.Fatalf("op %d %s: Best(%v) = %d, %d, %v; want %d, %d, %v", i, names[j], side, p, q, ok, wp, wq, wok)
				}
				if n, wn := im.Len(side), ref.Len(side); n != wn {
					t.Fatalf("op %d %s: Len(%v) = %d, want %d", i, names[j], side, n, wn)
				}
			}
			if c, wc := im.Crossed(), ref.Crossed(); c != wc {
				t.Fatalf("op %d %s: Crossed = %v, want %v", i, names[j], c, wc)
			}
		}
		if i < 2000 || i%64 == 0 {
			stats["max deep"] = max(stats["max deep"], book.sides[0].ovf.len(), book.sides[1].ovf.len())
			for _, l := range []*ladder{&book.sides[0], &book.sides[1]} {
				if err := checkLadder(l); err != nil {
					t.Fatalf("op %d: ladder invariant: %v", i, err)
				}
			}
		}
		if i%512 == 0 || i == nops-1 {
			for _, side := range []Side{Bid, Ask} {
				n := []int{-1, 0, 1, 10, 400}[r.IntN(5)]
				want = ref.Levels(side, n, want[:0])
				for j, im := range impls {
					if got = im.Levels(side, n, got[:0]); !slices.Equal(got, want) {
						t.Fatalf("op %d %s: Levels(%v, %d) differ:\n got %v\nwant %v", i, names[j], side, n, got, want)
					}
				}
				got = got[:0]
				book.Walk(side, n, func(px, qty int64) bool { got = append(got, Level{px, qty}); return true })
				if !slices.Equal(got, want) {
					t.Fatalf("op %d: Walk(%v, %d) differs", i, side, n)
				}
				// cursor-based helpers against the full reference side
				all := ref.Levels(side, -1, nil)
				limit := (mid + int64(r.IntN(200)) - 100) * tick
				var cum, sweep, lvls, worst int64
				take := 1 + r.Int64N(5e7)
				for _, l := range all {
					if !better(side, limit, l.Price) {
						cum += l.Qty
					}
					if sweep < take {
						sweep += min(l.Qty, take-sweep)
						lvls++
						worst = l.Price
					}
				}
				if c := book.CumQty(side, limit); c != cum {
					t.Fatalf("op %d: CumQty(%v, %d) = %d, want %d", i, side, limit, c, cum)
				}
				if s := book.DepthFor(side, take); s.Qty != sweep || int64(s.Levels) != lvls || s.Worst != worst {
					t.Fatalf("op %d: DepthFor(%v, %d) = %+v, want qty %d levels %d worst %d", i, side, take, s, sweep, lvls, worst)
				}
			}
		}
	}
	stats["deep bids"] = book.sides[0].ovf.len()
	stats["deep asks"] = book.sides[1].ovf.len()
	t.Logf("%d ops: %v", nops, stats)
}

package book

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The benchmark book: BTC-USDT-like, price scale 2 (tick 0.01 = 1 unit), best bid 67123.45, a
// 3-tick spread, 900 levels per side one tick apart with some gaps, as in a 1000-level snapshot.
const (
	benchBestBid = 6712345
	benchBestAsk = benchBestBid + 3
	benchLevels  = 900
	benchOps     = 1 << 16 // generated once, replayed in a loop
)

type benchUpdate struct {
	px, qty int64
	side    Side
}

// benchWorkload returns a snapshot and a seeded stream of level updates concentrated at the touch:
// 70% within 10 ticks of it (sometimes improving it by one tick), 25% within 100, 5% deep; a
// present level is deleted with probability 1/4 (about 20% of updates are deletes) and deleted
// levels come back later, so each side stays near 900 levels.
func benchWorkload(seed uint64) (bids, asks []Level, ops []benchUpdate) {
	r := rand.New(rand.NewPCG(seed, 42))
	present := [3]map[int64]bool{nil, {}, {}}
	for _, side := range []Side{Bid, Ask} {
		d := int64(0)
		for range benchLevels {
			px := benchBestBid - d
			if side == Ask {
				px = benchBestAsk + d
			}
			lv := Level{Price: px, Qty: 1 + r.Int64N(500_000)}
			present[side][px] = true
			if side == Bid {
				bids = append(bids, lv)
			} else {
				asks = append(asks, lv)
			}
			d++
			if r.IntN(10) == 0 {
				d += 1 + int64(r.IntN(3)) // a gap
			}
		}
	}
	ops = make([]benchUpdate, benchOps)
	for i := range ops {
		side := Side(1 + r.IntN(2))
		var d int64
		switch x := r.IntN(100); {
		case x < 70:
			d = int64(r.IntN(12)) - 1
		case x < 95:
			d = int64(r.IntN(100))
		default:
			d = 100 + int64(r.IntN(900))
		}
		px := benchBestBid - d
		if side == Ask {
			px = benchBestAsk + d
		}
		qty := 1 + r.Int64N(500_000)
		if present[side][px] && r.IntN(4) == 0 {
			qty = 0
		}
		present[side][px] = qty != 0
		ops[i] = benchUpdate{px: px, qty: qty, side: side}
	}
	return bids, asks, ops
}

func TestBenchWorkloadShape(t *testing.T) {
	bids, asks, ops := benchWorkload(1)
	if bids[0].Price != benchBestBid || asks[0].Price != benchBestAsk || len(bids) != benchLevels {
		t.Fatalf("snapshot: %v %v", bids[0], asks[0])
	}
	b, _ := New(1, 0)
	b.Apply(Bid, bids)
	b.Apply(Ask, asks)
	dels := 0
	for _, u := range ops {
		if _, err := b.Set(u.side, u.px, u.qty); err != nil {
			t.Fatal(err)
		}
		if u.qty == 0 {
			dels++
		}
		if b.Crossed() {
			t.Fatal("workload crosses the book")
		}
	}
	frac := float64(dels) / float64(len(ops))
	if frac < 0.15 || frac > 0.25 || b.Len(Bid) < 750 || b.Len(Ask) < 750 || b.Len(Bid) > 1000 {
		t.Fatalf("deletes %.2f, final sizes %d/%d", frac, b.Len(Bid), b.Len(Ask))
	}
	t.Logf("deletes %.3f, final sizes %d/%d", frac, b.Len(Bid), b.Len(Ask))
}

func benchBooks(b *testing.B) (*Book, *sortedBook, []benchUpdate) {
	bids, asks, ops := benchWorkload(1)
	lb, _ := New(1, 1024)
	sb := newSortedBook(1, 1024)
	for _, side := range []struct {
		s  Side
		lv []Level
	}{{Bid, bids}, {Ask, asks}} {
		for _, l := range side.lv {
			if _, err := lb.Set(side.s, l.Price, l.Qty); err != nil {
				b.Fatal(err)
			}
			if _, err := sb.Set(side.s, l.Price, l.Qty); err != nil {
				b.Fatal(err)
			}
		}
	}
	return lb, sb, ops
}

// BenchmarkUpdate reports ns per level update (one Set) on the touch-heavy workload.
func BenchmarkUpdate(b *testing.B) {
	b.Run("impl=ladder", func(b *testing.B) {
		bk, _, ops := benchBooks(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			u := &ops[i&(benchOps-1)]
			if _, err := bk.Set(u.side, u.px, u.qty); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if bk.Len(Bid) < 500 || bk.Crossed() {
			b.Fatalf("book drifted: %d bids", bk.Len(Bid))
		}
	})
	b.Run("impl=sorted", func(b *testing.B) {
		_, bk, ops := benchBooks(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			u := &ops[i&(benchOps-1)]
			if _, err := bk.Set(u.side, u.px, u.qty); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if bk.Len(Bid) < 500 || bk.Crossed() {
			b.Fatalf("book drifted: %d bids", bk.Len(Bid))
		}
	})
}

// BenchmarkTop10 reads the 10 best levels of one side into a reused buffer (sides alternate).
func BenchmarkTop10(b *testing.B) {
	lb, sb, _ := benchBooks(b)
	buf := make([]Level, 0, 16)
	b.Run("impl=ladder", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			buf = lb.Levels(Side(1+i&1), 10, buf[:0])
			if len(buf) != 10 {
				b.Fatal(len(buf))
			}
		}
	})
	b.Run("impl=ladder-walk", func(b *testing.B) {
		b.ReportAllocs()
		var sum int64
		for i := 0; i < b.N; i++ {
			n := 0
			lb.Walk(Side(1+i&1), 10, func(_, qty int64) bool { sum += qty; n++; return true })
			if n != 10 {
				b.Fatal(n)
			}
		}
	})
	b.Run("impl=sorted", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			buf = sb.Levels(Side(1+i&1), 10, buf[:0])
			if len(buf) != 10 {
				b.Fatal(len(buf))
			}
		}
	})
}

// BenchmarkBest reads the best bid and the best ask.
func BenchmarkBest(b *testing.B) {
	lb, sb, _ := benchBooks(b)
	b.Run("impl=ladder", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			bp, _, ok1 := lb.BestBid()
			ap, _, ok2 := lb.BestAsk()
			if !ok1 || !ok2 || bp >= ap {
				b.Fatal("best")
			}
		}
	})
	b.Run("impl=sorted", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			bp, _, ok1 := sb.Best(Bid)
			ap, _, ok2 := sb.Best(Ask)
			if !ok1 || !ok2 || bp >= ap {
				b.Fatal("best")
			}
		}
	})
}

// BenchmarkSnapshot loads a 900+900-level snapshot into a used book (BeginSnapshot + 1800 Sets).
func BenchmarkSnapshot(b *testing.B) {
	bids, asks, _ := benchWorkload(1)
	b.Run("impl=ladder", func(b *testing.B) {
		bk, _ := New(1, 1024)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			bk.BeginSnapshot()
			bk.Apply(Bid, bids)
			bk.Apply(Ask, asks)
			if bk.Len(Ask) != benchLevels {
				b.Fatal(bk.Len(Ask))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(2*benchLevels), "ns/level")
	})
	b.Run("impl=sorted", func(b *testing.B) {
		bk := newSortedBook(1, 1024)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			bk.Clear()
			for _, l := range bids {
				bk.Set(Bid, l.Price, l.Qty)
			}
			for _, l := range asks {
				bk.Set(Ask, l.Price, l.Qty)
			}
			if bk.Len(Ask) != benchLevels {
				b.Fatal(bk.Len(Ask))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(2*benchLevels), "ns/level")
	})
}

// BenchmarkConsolidatedTop10 merges the 10 best bid levels of several venues' books.
func BenchmarkConsolidatedTop10(b *testing.B) {
	for _, venues := range []int{1, 3, 6} {
		b.Run(fmt.Sprintf("venues=%d", venues), func(b *testing.B) {
			books := make([]*Book, venues)
			for v := range books {
				books[v], _, _ = benchBooks(b)
				// shift each venue by a few ticks so that levels interleave
				books[v].Set(Bid, benchBestBid+int64(v), 1)
			}
			c, _ := NewConsolidated(books)
			for v := range books {
				c.SetUsable(v, true)
			}
			buf := make([]ConsLevel, 0, 16)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				buf = c.Levels(Bid, 10, buf[:0])
				if len(buf) != 10 {
					b.Fatal(len(buf))
				}
			}
		})
	}
}

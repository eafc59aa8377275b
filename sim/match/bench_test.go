package match

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"ems/core/event"
)

// reportRate adds the orders/s metric: ordersPerOp order operations per benchmark iteration.
func reportRate(b *testing.B, ordersPerOp int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N*ordersPerOp)/s, "orders/s")
	}
}

// seedBook rests levels price levels of qty 100 per side around 67000.00 (tick 0.50), 2 orders
// per level.
func seedBook(b *testing.B, e *Engine, levels int) {
	for i := range levels {
		for range 2 {
			if _, err := e.Submit(limit(1, buy, 6_699_950-int64(i)*50, 50), 0); err != nil {
				b.Fatal(err)
			}
			if _, err := e.Submit(limit(1, sell, 6_700_050+int64(i)*50, 50), 0); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchRules are diffRules without MinNotional.
var benchRules = func() Rules { r := diffRules; r.MinNotional = 0; return r }()

func benchEngine(b *testing.B, levels int) *Engine {
	e, err := New("BTC-USDT", benchRules, &countListener{})
	if err != nil {
		b.Fatal(err)
	}
	seedBook(b, e, levels)
	return e
}

// BenchmarkSubmitCancel rests a limit order at a depth inside the book and cancels it: two
// order operations per iteration.
func BenchmarkSubmitCancel(b *testing.B) {
	for _, levels := range []int{10, 200} {
		b.Run(fmt.Sprintf("levels=%d", levels), func(b *testing.B) {
			e := benchEngine(b, levels)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				depth := int64(i % levels)
				o, err := e.Submit(limit(2, buy, 6_699_950-depth*50, 20), int64(i))
				if err != nil || o.Status != StatusNew {
					b.Fatalf("Submit: %+v %v", o, err)
				}
				if _, err := e.Cancel(2, o.ID, int64(i)); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b, 2)
		})
	}
}

// BenchmarkMatch rests a maker at the touch and takes it with an IOC: two orders and one fill
// per iteration.
func BenchmarkMatch(b *testing.B) {
	e := benchEngine(b, 200)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := e.Submit(limit(2, sell, 6_700_000, 20), int64(i)); err != nil {
			b.Fatal(err)
		}
		o, err := e.Submit(Request{Account: 3, Side: buy, TIF: event.TIFIOC, Price: 6_700_000, Qty: 20}, int64(i))
		if err != nil || o.Status != StatusFilled {
			b.Fatalf("taker %+v %v", o, err)
		}
	}
	reportRate(b, 2)
}

// BenchmarkSweep sends a market order through sweep levels (2 makers each) and rebuilds them:
// 2×sweep+1 orders per iteration.
func BenchmarkSweep(b *testing.B) {
	for _, sweep := range []int{1, 10} {
		b.Run(fmt.Sprintf("levels=%d", sweep), func(b *testing.B) {
			e := benchEngine(b, 200)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				o, err := e.Submit(market(3, buy, int64(sweep)*100), int64(i))
				if err != nil || o.Status != StatusFilled {
					b.Fatalf("market %+v %v", o, err)
				}
				for l := range sweep {
					for range 2 {
						if _, err := e.Submit(limit(1, sell, 6_700_050+int64(l)*50, 50), int64(i)); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			reportRate(b, 2*sweep+1)
		})
	}
}

// mixedDriver is a flow-like stream: limits around the touch (some crossing), IOCs, cancels and
// replaces of recent orders. The same seed gives the same stream to every implementation.
type mixedDriver struct {
	rng *rand.Rand
	ids []OrderID // orders that may still rest (some have filled since)
}

type engineAPI interface {
	submit(r Request, ts int64) (Order, bool)
	cancel(account uint32, id OrderID, ts int64) bool
	replace(account uint32, id OrderID, price, qty, ts int64) bool
}

type engineImpl struct{ e *Engine }

func (x engineImpl) submit(r Request, ts int64) (Order, bool) {
	o, err := x.e.Submit(r, ts)
	return o, err == nil
}
func (x engineImpl) cancel(a uint32, id OrderID, ts int64) bool {
	_, err := x.e.Cancel(a, id, ts)
	return err == nil
}
func (x engineImpl) replace(a uint32, id OrderID, p, q, ts int64) bool {
	_, err := x.e.Replace(a, id, p, q, ts)
	return err == nil
}

type refImpl struct{ m *refModel }

func (x refImpl) submit(r Request, ts int64) (Order, bool) {
	o, reason := x.m.submit(r, ts)
	return o, reason == 0
}
func (x refImpl) cancel(a uint32, id OrderID, ts int64) bool {
	_, reason := x.m.cancel(a, id, ts)
	return reason == 0
}
func (x refImpl) replace(a uint32, id OrderID, p, q, ts int64) bool {
	_, reason := x.m.replace(a, id, p, q, ts)
	return reason == 0
}

// step runs one operation and reports whether a submit was refused (which the stream never
// provokes).
func (d *mixedDriver) step(x engineAPI, ts int64) bool {
	n := d.rng.IntN(100)
	side := event.Side(1 + d.rng.IntN(2))
	off := int64(d.rng.IntN(60)-3) * 50
	price := 6_700_000 - off
	if side == event.SideSell {
		price = 6_700_000 + off
	}
	switch {
	case n < 55 || len(d.ids) == 0:
		r := limit(1, side, price, int64(2*(2+d.rng.IntN(50))))
		if n%10 == 0 {
			r.TIF = event.TIFIOC
		}
		o, ok := x.submit(r, ts)
		if !ok {
			return false
		}
		if o.Status.Open() {
			d.ids = append(d.ids, o.ID)
		}
	case n < 85 || len(d.ids) > 400: // bounded book: cancel when many may rest
		i := d.rng.IntN(len(d.ids))
		x.cancel(1, d.ids[i], ts) // may already be gone: refused, as on a venue
		d.ids[i] = d.ids[len(d.ids)-1]
		d.ids = d.ids[:len(d.ids)-1]
	default:
		x.replace(1, d.ids[d.rng.IntN(len(d.ids))], price, int64(2*(2+d.rng.IntN(50))), ts)
	}
	return true
}

// BenchmarkMixed runs the flow-like stream against the engine and, as the baseline, against
// the brute-force reference model (sorted by scanning): one order operation per iteration.
func BenchmarkMixed(b *testing.B) {
	impls := []struct {
		name string
		mk   func() engineAPI
	}{
		{"engine", func() engineAPI {
			e, _ := New("BTC-USDT", benchRules, &countListener{})
			return engineImpl{e}
		}},
		{"reference", func() engineAPI {
			m := newRefModel(benchRules)
			m.quiet = true
			return refImpl{m}
		}},
	}
	for _, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			x := impl.mk()
			d := &mixedDriver{rng: rand.New(rand.NewPCG(7, 7)), ids: make([]OrderID, 0, 1024)}
			for i := range 20_000 { // reach a steady book
				d.step(x, int64(i))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if !d.step(x, int64(i)) {
					b.Fatal("submit refused")
				}
			}
			reportRate(b, 1)
		})
	}
}

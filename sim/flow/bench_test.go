package flow

import (
	"fmt"
	"testing"

	"ems/core/event"
	"ems/sim/match"
)

// counter is a Listener that counts book updates and trades.
type counter struct{ levels, trades int }

func (c *counter) OnLevel(event.Side, int64, int64) { c.levels++ }
func (c *counter) OnTrade(*match.Fill)              { c.trades++ }
func (c *counter) OnOrder(*match.Order)             {}

// BenchmarkStep measures one Step of 100 ms of simulated time: the book updates it produces
// (updates/step, and per simulated second) and what it costs.
func BenchmarkStep(b *testing.B) {
	for _, levels := range []int{200, 1000} {
		for _, vol := range []int{5, 20} {
			b.Run(fmt.Sprintf("levels=%d/vol=%d", levels, vol), func(b *testing.B) {
				cfg := testConfig(1)
				cfg.Levels, cfg.VolatilityBps = levels, vol
				c := &counter{}
				e, err := match.New("BTCUSDT", btcRules, c)
				if err != nil {
					b.Fatal(err)
				}
				f, err := New(cfg, e)
				if err != nil {
					b.Fatal(err)
				}
				if err := f.Seed(t0); err != nil {
					b.Fatal(err)
				}
				now := t0
				for range 100 { // warm up: pools and maps at their working size
					now += 100_000_000
					if err := f.Step(now); err != nil {
						b.Fatal(err)
					}
				}
				c.levels, c.trades = 0, 0
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					now += 100_000_000
					if err := f.Step(now); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				if bid, _, _ := e.Best(event.SideBuy); bid <= 0 {
					b.Fatal("empty book")
				}
				b.ReportMetric(float64(c.levels)/float64(b.N), "updates/step")
				b.ReportMetric(float64(c.levels)*10/float64(b.N), "updates/simsec")
				b.ReportMetric(float64(c.trades)*10/float64(b.N), "trades/simsec")
			})
		}
	}
}

// BenchmarkEngineBaseline is the floor under BenchmarkStep: a bare Engine Submit and Cancel of a
// resting order (two book updates), the operations a flow's book updates are made of.
func BenchmarkEngineBaseline(b *testing.B) {
	c := &counter{}
	e, err := match.New("BTCUSDT", btcRules, c)
	if err != nil {
		b.Fatal(err)
	}
	for i := range int64(200) {
		e.Submit(match.Request{Account: 1, Side: event.SideBuy, Price: 6_000_000 - i, Qty: 1000}, 1)
		e.Submit(match.Request{Account: 1, Side: event.SideSell, Price: 6_000_100 + i, Qty: 1000}, 1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		o, err := e.Submit(match.Request{Account: 2, Side: event.SideBuy, Price: 6_000_000 - int64(i%190),
			Qty: 500}, 2)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Cancel(2, o.ID, 3); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(c.levels)/float64(b.N), "updates/op")
}

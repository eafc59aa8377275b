package coinbase

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	feedcb "ems/feed/coinbase"
	"ems/sim"
)

// busy makes both markets requote and trade often, so a step pushes hundreds of level updates.
func busy(vc *sim.VenueConfig) {
	for i := range vc.Markets {
		vc.Markets[i].RequotesPerSecond = 5000
		vc.Markets[i].TakersPerSecond = 200
	}
}

// BenchmarkMarketData measures the level2 updates the server pushes: each iteration steps the
// venue by 100 ms of simulated time (one batch per market) and every client reads what was
// pushed over loopback. clients=0 is the baseline: the venue's own stepping with no subscriber.
// updates/s counts the level updates one client received per second of wall time; bytes/op is
// that client's wire bytes per step.
func BenchmarkMarketData(b *testing.B) {
	for _, clients := range []int{0, 1, 4} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			f := newFixture(b, busy, Options{QueueLimit: 1 << 20})
			ws := make([]*wsClient, clients)
			var updates, wire atomic.Int64
			for i := range ws {
				ws[i] = f.dial()
				ws[i].subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT", "ETH-USDT")
				ws[i].settle(nil)
			}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var readErr atomic.Value
			for i, w := range ws {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						p, _, err := w.c.ReadMessage()
						if err != nil {
							select {
							case <-stop:
							default:
								readErr.Store(err)
							}
							return
						}
						if i == 0 {
							updates.Add(int64(bytes.Count(p, []byte(`"price_level"`))))
							wire.Add(int64(len(p)))
						}
					}
				}()
			}
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				if err := f.v.Step(f.clk.ns.Add(stepNanos)); err != nil {
					b.Fatal(err)
				}
			}
			if clients > 0 {
				// Everything pushed is read once the counts stop moving.
				for prev := int64(-1); prev != wire.Load(); {
					prev = wire.Load()
					time.Sleep(50 * time.Millisecond)
				}
			}
			elapsed := time.Since(start)
			close(stop)
			for _, w := range ws {
				w.c.Close()
			}
			wg.Wait()
			if err, ok := readErr.Load().(error); ok {
				b.Fatal(err)
			}
			if clients > 0 {
				if updates.Load() == 0 {
					b.Fatal("no updates received")
				}
				b.SetBytes(wire.Load() / int64(b.N))
				b.ReportMetric(float64(updates.Load())/elapsed.Seconds(), "updates/s")
				b.ReportMetric(float64(updates.Load())/float64(b.N), "updates/op")
			}
		})
	}
}

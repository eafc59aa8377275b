package bybit

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"ems/feed/transport"
)

// BenchmarkPublish measures the market data the server pushes: each op is one 100 ms step of
// the venue's flows on both markets (spot and linear BTCUSDT, 120 levels a side, 200 requotes
// and 20 takers a second each), turned into orderbook.1/.50/.200 deltas and publicTrade
// messages for every subscribed client, which reads and discards them on loopback. The
// baseline, server=off, steps the same venue with no server attached. levels/s counts book
// level updates delivered to clients (one level to two clients counts twice).
func BenchmarkPublish(b *testing.B) {
	b.Run("server=off", func(b *testing.B) {
		e := newEnv(b)
		e.s.Close() // detach: the venue steps alone
		b.ReportAllocs()
		for b.Loop() {
			e.clk.add(100 * time.Millisecond)
			if err := e.v.Step(e.clk.now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, clients := range []int{0, 1, 4} {
		b.Run("clients="+strconv.Itoa(clients), func(b *testing.B) {
			e := newEnv(b)
			var wg sync.WaitGroup
			for i := 0; i < clients; i++ {
				for _, cat := range []string{"spot", "linear"} {
					c, err := transport.Dial(context.Background(), e.s.PublicURL(cat), transport.Config{MaxFrameSize: 4 << 20})
					if err != nil {
						b.Fatal(err)
					}
					if err := c.WriteText([]byte(`{"op":"subscribe","args":["orderbook.1.BTCUSDT","orderbook.50.BTCUSDT","orderbook.200.BTCUSDT","publicTrade.BTCUSDT"]}`)); err != nil {
						b.Fatal(err)
					}
					wg.Add(1)
					go func() { // owns c: reads until the server closes it
						defer wg.Done()
						defer c.Close()
						for {
							if _, _, err := c.ReadMessage(); err != nil {
								return
							}
						}
					}()
				}
			}
			waitSubscribed(b, e, 2*clients)
			e.s.mu.Lock()
			e.s.pushed = pushStats{}
			e.s.mu.Unlock()
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				e.clk.add(100 * time.Millisecond)
				if err := e.v.Step(e.clk.now()); err != nil {
					b.Fatal(err)
				}
			}
			elapsed := time.Since(start)
			e.s.mu.Lock()
			st := e.s.pushed
			e.s.mu.Unlock()
			e.s.Close()
			wg.Wait()
			b.SetBytes(int64(st.bytes) / int64(b.N))
			b.ReportMetric(float64(st.levels)/elapsed.Seconds(), "levels/s")
			b.ReportMetric(float64(st.messages)/elapsed.Seconds(), "msgs/s")
		})
	}
}

// waitSubscribed waits until n connections are subscribed to the spot or linear orderbook.50.
func waitSubscribed(b *testing.B, e *env, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		e.s.mu.Lock()
		got := 0
		for _, k := range e.s.mkts {
			got += len(k.streams[depthIndex(50)].subs)
		}
		e.s.mu.Unlock()
		if got >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	b.Fatalf("subscriptions did not arrive")
}

package binance

import (
	"bytes"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ems/core/event"
	"ems/sim"
)

// BenchmarkDepthPush measures market-data throughput: per iteration benchLevels level changes of
// BTCUSDT enter the hub as the venue would deliver them and one depthUpdate carrying them is
// pushed to every connection subscribed to btcusdt@depth@100ms; the time includes the clients
// receiving every message over loopback. levels/s counts level updates delivered (per
// connection). path=encode is the baseline: building the same depthUpdate, no network.
func BenchmarkDepthPush(b *testing.B) {
	b.Run("path=encode", func(b *testing.B) {
		e := newEnv(b, envConfig{opts: Options{FastInterval: time.Hour, SlowInterval: time.Hour}})
		m := e.s.hub.mk[0]
		var seq uint64 = 1
		var agg diffAgg
		agg.idx = map[levelKey]int{}
		var buf []byte
		b.ReportAllocs()
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			for j := 0; j < benchLevels; j++ {
				ev := benchEvent(m.mk.m, seq, i, j)
				agg.add(&ev)
				seq++
			}
			agg.sortLevels()
			buf = appendDepthUpdate(buf[:0], m.mk, &agg, 1)
			agg.reset()
			if len(buf) < benchLevels*20 {
				b.Fatal(len(buf))
			}
			b.SetBytes(int64(len(buf)))
		}
		b.ReportMetric(float64(b.N*benchLevels)/time.Since(start).Seconds(), "levels/s")
	})
	for _, conns := range []int{1, 4} {
		b.Run("path=loopback/conns="+strconv.Itoa(conns), func(b *testing.B) {
			benchPush(b, conns)
		})
	}
}

// benchEvent is level change j of iteration i: distinct prices within an iteration.
func benchEvent(m *sim.Market, seq uint64, i, j int) sim.MarketEvent {
	side := event.SideBuy
	price := int64(6_000_000 - (i*benchLevels+j)%4000)
	if j%2 == 1 {
		side, price = event.SideSell, int64(7_000_000+(i*benchLevels+j)%4000)
	}
	return sim.MarketEvent{Market: m, Kind: sim.MarketLevel, Seq: seq, Side: side, Price: price,
		Qty: int64(1000 + j), TS: epoch}
}

func benchPush(b *testing.B, conns int) {
	e := newEnv(b, envConfig{opts: Options{FastInterval: time.Hour, SlowInterval: time.Hour, MaxQueue: 1 << 20}})
	h := e.s.hub
	var got []atomic.Int64
	got = make([]atomic.Int64, conns)
	var bytesIn atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < conns; i++ {
		c := dialWS(b, e.s.StreamURL()+"/ws/btcusdt@depth@100ms")
		wg.Add(1)
		go func(i int, c *wsClient) {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				_ = c.c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
				p, _, err := c.c.ReadMessage()
				if err != nil {
					if isTimeout(err) {
						continue
					}
					return
				}
				if !bytes.HasPrefix(p, []byte(`{"e":"depthUpdate"`)) {
					continue
				}
				bytesIn.Add(int64(len(p)))
				got[i].Add(1)
			}
		}(i, c)
	}
	// Wait until every connection is subscribed (the hub lists it).
	for {
		h.mu.Lock()
		n := len(h.mk[0].subs[kindDiffFast])
		h.mu.Unlock()
		if n == conns {
			break
		}
		time.Sleep(time.Millisecond)
	}
	m := h.mk[0]
	h.mu.Lock()
	seq := m.seq + 1
	h.mu.Unlock()
	waitAll := func(n int64) {
		deadline := time.Now().Add(30 * time.Second)
		for i := range got {
			for got[i].Load() < n {
				if time.Now().After(deadline) {
					b.Fatalf("connection %d received %d of %d messages", i, got[i].Load(), n)
				}
				time.Sleep(50 * time.Microsecond)
			}
		}
	}
	b.ReportAllocs()
	start := time.Now()
	n := 0
	for i := 0; b.Loop(); i++ {
		for j := 0; j < benchLevels; j++ {
			h.onMarket(benchEvent(m.mk.m, seq, i, j))
			seq++
		}
		h.flush(true)
		n++
		if n%256 == 0 {
			waitAll(int64(n - 512))
		}
	}
	waitAll(int64(n))
	el := time.Since(start)
	close(stop)
	wg.Wait()
	b.SetBytes(bytesIn.Load() / int64(max(n, 1)))
	b.ReportMetric(float64(n*benchLevels*conns)/el.Seconds(), "levels/s")
}

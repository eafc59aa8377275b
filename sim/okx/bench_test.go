package okx

import (
	"encoding/json"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/sim"
)

// benchPublisher returns BTC-USDT's publisher of a server that is not started (the benchmark
// drives process itself), loaded with the venue's book, with one subscriber whose queue a
// goroutine drains.
func benchPublisher(b *testing.B) (*publisher, func()) {
	b.Helper()
	master, err := instrument.Default()
	if err != nil {
		b.Fatal(err)
	}
	var vc sim.VenueConfig
	for _, c := range sim.DefaultConfig().Venues {
		if c.Name == "okx" {
			vc = c
		}
	}
	v, err := sim.NewVenue(vc, master, 7)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(v, DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	m, _ := srv.market("BTC-USDT")
	p := m.pub
	v.Do(func(st *sim.State) {
		e := st.Engine(m.sm)
		if err := p.load(e.Depth(event.SideBuy, -1, nil), e.Depth(event.SideSell, -1, nil), st.Seq(m.sm)); err != nil {
			b.Fatal(err)
		}
	})
	a, z := net.Pipe()
	c := srv.newConn(a, nil, nil)
	p.bookSubs = append(p.bookSubs, c)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-c.out:
			case <-stop:
				return
			}
		}
	}()
	return p, func() { close(stop); wg.Wait(); a.Close(); z.Close() }
}

// benchBatch queues a venue batch of n level changes near the touch (quantities alternate, so
// every batch changes the visible book) as the venue's callback would.
func benchBatch(p *publisher, n int, seq *uint64, round int) {
	bids, asks := p.view[0], p.view[1]
	for k := 0; k < n; k++ {
		side, ls := event.SideBuy, bids
		if k%2 == 1 {
			side, ls = event.SideSell, asks
		}
		l := ls[(k/2)%min(len(ls), 50)]
		qty := l.Qty + int64(1+round%2)
		*seq++
		p.onEvent(sim.MarketEvent{Market: p.mk.sm, Kind: sim.MarketLevel, Seq: *seq, Side: side,
			Price: l.Price, Qty: qty, TS: int64(round) * 1e6, Final: k == n-1})
	}
}

// BenchmarkPublish measures one market's books publication without the network: a venue batch
// of level changes applied to the mirror, the visible 400 levels diffed, the checksum computed,
// the update encoded and queued to a subscriber. Baseline: encoding/json marshalling the same
// message (levels formatted beforehand, no diff, no checksum).
func BenchmarkPublish(b *testing.B) {
	for _, levels := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("impl=sim/levels=%d", levels), func(b *testing.B) {
			p, done := benchPublisher(b)
			defer done()
			seq := uint64(p.seq)
			benchBatch(p, levels, &seq, 0)
			p.process()
			b.SetBytes(int64(len(p.buf)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				benchBatch(p, levels, &seq, i+1)
				p.process()
				if p.seq != int64(seq) {
					b.Fatalf("published seqId %d, want %d", p.seq, seq)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
		})
		b.Run(fmt.Sprintf("impl=encoding-json/levels=%d", levels), func(b *testing.B) {
			type msg struct {
				Arg    struct{ Channel, InstID string } `json:"arg"`
				Action string                           `json:"action"`
				Data   []struct {
					Asks      [][4]string `json:"asks"`
					Bids      [][4]string `json:"bids"`
					TS        string      `json:"ts"`
					Checksum  int32       `json:"checksum"`
					PrevSeqID int64       `json:"prevSeqId"`
					SeqID     int64       `json:"seqId"`
				} `json:"data"`
			}
			var m msg
			m.Arg.Channel, m.Arg.InstID, m.Action = "books", "BTC-USDT", "update"
			m.Data = make([]struct {
				Asks      [][4]string `json:"asks"`
				Bids      [][4]string `json:"bids"`
				TS        string      `json:"ts"`
				Checksum  int32       `json:"checksum"`
				PrevSeqID int64       `json:"prevSeqId"`
				SeqID     int64       `json:"seqId"`
			}, 1)
			for k := 0; k < levels; k++ {
				px := string(fixed.AppendTrim(nil, 680000+int64(k), 1))
				l := [4]string{px, "0.25", "0", "1"}
				if k%2 == 0 {
					m.Data[0].Bids = append(m.Data[0].Bids, l)
				} else {
					m.Data[0].Asks = append(m.Data[0].Asks, l)
				}
			}
			out, _ := json.Marshal(&m)
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Data[0].SeqID = int64(i)
				out, err := json.Marshal(&m)
				if err != nil || len(out) < 100 {
					b.Fatal("marshal", err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
		})
	}
}

// BenchmarkVenueBooks measures the venue end to end on loopback: each iteration steps the
// background flow (both instruments), waits until the server has published the step, and the
// subscribers (each subscribed to both books) read every update. Reports book updates published
// per second and messages delivered per second.
func BenchmarkVenueBooks(b *testing.B) {
	for _, clients := range []int{1, 4} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			f := newFixture(b, DefaultOptions(), nil)
			var received atomic.Int64
			var bytes atomic.Int64
			var wg sync.WaitGroup
			conns := make([]*wsClient, clients)
			for i := range conns {
				c := dialWS(b, f.srv.PublicURL())
				c.write(`{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"books","instId":"ETH-USDT"}]}`)
				for j := 0; j < 4; j++ { // 2 acks, 2 snapshots
					c.next()
				}
				conns[i] = c
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						_ = c.conn.SetReadDeadline(time.Now().Add(time.Minute))
						m, err := c.read()
						if err != nil {
							return
						}
						received.Add(1)
						bytes.Add(int64(len(m)))
					}
				}()
			}
			start := f.srv.Stats().BookUpdates
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f.clk.add(100 * time.Millisecond)
				if err := f.v.Step(f.clk.now()); err != nil {
					b.Fatal(err)
				}
				for !f.srv.Idle() {
					time.Sleep(20 * time.Microsecond)
				}
			}
			published := int64(f.srv.Stats().BookUpdates - start)
			deadline := time.Now().Add(10 * time.Second)
			for received.Load() < published*int64(clients) && time.Now().Before(deadline) {
				time.Sleep(100 * time.Microsecond)
			}
			b.StopTimer()
			if got := received.Load(); got != published*int64(clients) {
				b.Fatalf("received %d messages, want %d", got, published*int64(clients))
			}
			sec := b.Elapsed().Seconds()
			b.SetBytes(bytes.Load() / int64(max(b.N, 1)))
			b.ReportMetric(float64(published)/sec, "updates/s")
			b.ReportMetric(float64(received.Load())/sec, "deliveries/s")
			for _, c := range conns {
				c.conn.Close()
			}
			wg.Wait()
		})
	}
}

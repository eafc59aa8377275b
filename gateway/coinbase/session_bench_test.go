package coinbase_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway/coinbase"
)

// BenchmarkPlaceCancel: one order placed and cancelled through a Session against the simulator
// on loopback (place: POST orders answered with the OrderAck; cancel: batch_cancel, then the
// CancelAck from the user channel). The baseline places and cancels the same order with
// net/http (without waiting for the user channel). Allocations include the simulator's, which
// runs in the same process.
func BenchmarkPlaceCancel(b *testing.B) {
	f := newFixture(b, nil)
	bid, _ := f.best(event.SideBuy)
	price := bid - 100_000
	b.Run("op=place-cancel/impl=session", func(b *testing.B) {
		acks := make(chan event.Event, 16)
		cfg := f.config("bench", f.keys[0])
		cfg.Limits = coinbase.Limits{Requests: 1 << 30, Orders: 1 << 30}
		s, err := coinbase.NewSession(cfg, func(evs []event.Event) {
			for _, e := range evs {
				if e.Kind == event.KindCancelAck || e.Kind == event.KindReject {
					acks <- e
				}
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		ctx, stop := context.WithTimeout(context.Background(), ioTimeout)
		defer stop()
		if err := s.Start(ctx); err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		id := event.OrderID(0)
		b.ReportAllocs()
		for b.Loop() {
			id++
			s.Send(order(f.btc.Instrument, id, event.SideBuy, price, 100_000, event.TIFGTC, false))
			s.Send(cancel(f.btc.Instrument, id))
			select {
			case e := <-acks:
				if e.Kind != event.KindCancelAck {
					b.Fatalf("%s: %+v", e.Kind, e.Reject())
				}
			case <-time.After(ioTimeout):
				b.Fatal("no cancel ack")
			}
		}
	})
	b.Run("op=place-cancel/impl=net-http-baseline", func(b *testing.B) {
		key, err := coinbase.ParseKey(f.keys[0].Key, f.keys[0].Secret)
		if err != nil {
			b.Fatal(err)
		}
		host := strings.TrimPrefix(f.srv.RESTURL(), "http://")
		enc, _ := coinbase.NewEncoder("base", key, host)
		client := &http.Client{Timeout: ioTimeout}
		do := func(path string, body []byte) string {
			tok, _ := key.AppendRESTToken(nil, "POST", host, path, f.clk.Load()/int64(time.Second))
			req, _ := http.NewRequest("POST", f.srv.RESTURL()+path, strings.NewReader(string(body)))
			req.Header.Set("Authorization", "Bearer "+string(tok))
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(raw), `"success":true`) {
				b.Fatalf("%d %s", resp.StatusCode, raw)
			}
			return string(raw)
		}
		p := coinbase.NewParser()
		id := event.OrderID(0)
		b.ReportAllocs()
		for b.Loop() {
			id++
			body, _ := enc.AppendOrderBody(nil, order(f.btc.Instrument, id, event.SideBuy, price, 100_000, event.TIFGTC, false).Order(), f.btc)
			r, err := p.ParseCreate(200, []byte(do("/api/v3/brokerage/orders", body)))
			if err != nil || !r.OK {
				b.Fatal("not placed", err)
			}
			do("/api/v3/brokerage/orders/batch_cancel", coinbase.AppendCancelBody(nil, r.VenueOrder))
		}
	})
}

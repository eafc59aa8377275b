package bybit_test

import (
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway/bybit"
	"ems/sim"
)

// TestLostCancelAck: the venue cancels but never answers the cancel (the lose-cancel-ack
// fault); the order stream's report still gives the CancelAck.
func TestLostCancelAck(t *testing.T) {
	e := newEnv(t, func(vc *sim.VenueConfig) {
		vc.Faults = []sim.Fault{{Kind: sim.FaultLoseCancelAck, EveryN: 1}}
	})
	s, rec := e.session("tf", key1, secret1)
	up(t, s)
	bid, _ := e.best(e.spot)
	o := order(e.spot, 1, event.SideBuy, bid-100, 100_000)
	s.Submit(&o)
	rec.wait(t, 0, "ack", isKind(event.KindOrderAck, 1))
	c := cancel(e.spot, 1)
	s.Submit(&c)
	if ca, _ := rec.wait(t, 0, "cancel ack", isKind(event.KindCancelAck, 1)); ca.CancelAck().Leaves != 100_000 {
		t.Fatalf("cancel ack %+v", *ca.CancelAck())
	}
}

// BenchmarkSessionRoundTrip: Submit of a passive order to its OrderAck, then its cancel to the
// CancelAck, through the simulator on loopback (no venue latency). The figure is dominated by
// the two loopback WebSocket round trips and the simulator; it is indicative on a shared host.
func BenchmarkSessionRoundTrip(b *testing.B) {
	e := newEnv(b)
	acks := make(chan event.Kind, 16)
	s, _ := e.session("bench", key1, secret1, func(c *bybit.Config) {
		c.Limits = bybit.Limits{SpotOrders: 1 << 30, SpotCancels: 1 << 30}
		c.Sink = func(evs []event.Event) {
			for i := range evs {
				if k := evs[i].Kind; k == event.KindOrderAck || k == event.KindCancelAck || k == event.KindReject {
					acks <- k
				}
			}
		}
	})
	up(b, s)
	bid, _ := e.best(e.spot)
	wait := func(want event.Kind) {
		select {
		case k := <-acks:
			if k != want {
				b.Fatalf("got %v, want %v", k, want)
			}
		case <-time.After(5 * time.Second):
			b.Fatal("no answer within 5 s")
		}
	}
	b.ReportAllocs()
	id := event.OrderID(0)
	for b.Loop() {
		id++
		o := order(e.spot, id, event.SideBuy, bid-1000, 100_000)
		s.Submit(&o)
		wait(event.KindOrderAck)
		c := cancel(e.spot, id)
		s.Submit(&c)
		wait(event.KindCancelAck)
	}
}

//go:build !race

package bybit

import (
	"testing"
	"time"

	"ems/core/instrument"
)

// TestAllocs: encoding, signing, parsing and the limiter allocate nothing in steady state.
func TestAllocs(t *testing.T) {
	s := newSteady(t)
	sig := NewSigner(simKey, []byte(simSecret))
	dst := make([]byte, 0, 1024)
	sum := make([]byte, 0, SignatureLen)
	lim := NewLimiter(Limits{SpotOrders: 1 << 30, Window: time.Second})
	now := int64(1e18)
	// Warm up: intern the venue order id, grow fastjson's parser.
	s.track()
	for _, m := range [][]byte{s.ackMsg, s.orderMsg, s.nextExec()} {
		if _, err := s.p.Parse(m, 1); err != nil {
			t.Fatal(err)
		}
	}
	amendAnswer := []byte(`{"reqId":"a1.5","retCode":0,"retMsg":"OK","op":"order.amend","data":{"orderId":"1800000000000000041","orderLinkId":"capx1"}}`)
	amendReport := []byte(`{"id":"1","topic":"order","creationTime":1795244508071,"data":[{"orderId":"1800000000000000041",` +
		`"orderLinkId":"capx1","symbol":"BTCUSDT","category":"spot","price":"68000","qty":"0.1","cumExecQty":"0",` +
		`"orderStatus":"New","updatedTime":"1795244508071"}]}`)
	amended := func(msg []byte) {
		s.track()
		if _, err := s.p.Parse(s.ackMsg, 1); err != nil {
			t.Fatal(err)
		}
		s.p.Track(&s.amend)
		if r, err := s.p.Parse(msg, 1); err != nil || len(r.Events) != 1 {
			t.Fatal("amend not acknowledged")
		}
	}
	cases := map[string]func(){
		"parse amend answer": func() { amended(amendAnswer) },
		"parse amend report": func() { amended(amendReport) },
		"encode create":      func() { dst, _ = s.enc.AppendRequest(dst[:0], &s.create, 1, 1709251200000) },
		"encode cancel":      func() { dst, _ = s.enc.AppendRequest(dst[:0], &s.cxl, 2, 1709251200000) },
		"encode amend":       func() { dst, _ = s.enc.AppendRequest(dst[:0], &s.amend, 3, 1709251200000) },
		"encode+sign rest": func() {
			dst, _ = s.enc.AppendBody(dst[:0], &s.create)
			sum = sig.AppendREST(sum[:0], 1709251200000, 5000, dst)
		},
		"parse answer": func() {
			s.track()
			if r, err := s.p.Parse(s.ackMsg, 1); err != nil || len(r.Events) != 1 {
				t.Fatal("ack not parsed")
			}
		},
		"parse order": func() {
			s.track()
			if r, err := s.p.Parse(s.orderMsg, 1); err != nil || len(r.Events) != 1 {
				t.Fatal("order not parsed")
			}
		},
		"parse execution": func() {
			if r, err := s.p.Parse(s.nextExec(), 1); err != nil || len(r.Events) != 1 {
				t.Fatal("execution not parsed")
			}
		},
		"limiter": func() {
			now++
			lim.allow(instrument.SegmentSpot, false, now)
		},
	}
	for name, fn := range cases {
		if n := testing.AllocsPerRun(200, fn); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
}

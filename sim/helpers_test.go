package sim

import (
	"encoding/binary"
	"sync/atomic"
	"testing"

	"github.com/cespare/xxhash/v2"

	"ems/core/instrument"
)

// t0 is a simulated start time: 2024-03-01 00:00:00 UTC.
const t0 = int64(1_709_251_200) * 1_000_000_000

// stepNanos is the simulated time between test Steps.
const stepNanos = int64(100_000_000)

// manualClock is a venue clock tests move by hand.
type manualClock struct{ ns atomic.Int64 }

func newClock(ns int64) *manualClock {
	c := &manualClock{}
	c.ns.Store(ns)
	return c
}

func (c *manualClock) now() int64 { return c.ns.Load() }

func master(t testing.TB) *instrument.Master {
	t.Helper()
	m, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// defaultVenue builds the named venue of DefaultConfig with seed and a manual clock at t0.
func defaultVenue(t testing.TB, name string, seed uint64) (*Venue, *manualClock) {
	t.Helper()
	cfg := DefaultConfig()
	for _, vc := range cfg.Venues {
		if vc.Name == name {
			c := newClock(t0)
			vc.Clock = c.now
			v, err := NewVenue(vc, master(t), seed)
			if err != nil {
				t.Fatal(err)
			}
			return v, c
		}
	}
	t.Fatalf("no venue %s in DefaultConfig", name)
	return nil, nil
}

// hasher hashes a stream of integers.
type hasher struct {
	d   *xxhash.Digest
	buf []byte
}

func newHasher() *hasher { return &hasher{d: xxhash.New()} }

func (h *hasher) put(vs ...int64) {
	h.buf = h.buf[:0]
	for _, v := range vs {
		h.buf = binary.LittleEndian.AppendUint64(h.buf, uint64(v))
	}
	h.d.Write(h.buf)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// hashMarket hashes a market event.
func (h *hasher) market(ev MarketEvent) {
	h.put(int64(ev.Market.Index), int64(ev.Kind), int64(ev.Seq), int64(ev.Side), ev.Price, ev.Qty,
		int64(ev.TradeID), ev.TS, b2i(ev.Final))
}

// hashOrder hashes an order event.
func (h *hasher) order(ev OrderEvent) {
	o := &ev.Order
	h.put(int64(ev.Market.Index), int64(o.ID), int64(o.Status), int64(o.Exec), o.Price, o.Qty, o.Filled,
		o.Fees, b2i(ev.HasFill), b2i(ev.Maker), int64(ev.Fill.TradeID), ev.Fill.Qty)
}

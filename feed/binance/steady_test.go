package binance

import (
	"testing"

	"ems/feed"
)

// nknResolver knows NKNUSDT at its 2021 tick (0.00001) and lot (0.1).
func nknResolver(sym []byte) (uint32, feed.Scales, bool) {
	if string(sym) == "NKNUSDT" {
		return 1, feed.Scales{Price: 5, Qty: 1, Tick: 1, Known: true}, true
	}
	return 0, feed.Scales{}, false
}

// steady is a decoder with a live NKNUSDT book that can be fed the recording's diffs forever: the
// 149 applied diffs chain (U == previous u + 1), and when they run out the book's position is set
// back to just before the first of them (the levels are absolute, so the book stays sane).
type steady struct {
	d        *Decoder
	out      *feed.Batch
	in       *instrument
	diffs    []line
	first    uint64
	i        int
	bytes    int
	ticker   []byte
	trade    []byte
	aggTrade []byte
}

func newSteady(t testing.TB, cfg feed.Config) *steady {
	s := &steady{d: New(cfg), out: feed.NewBatch(4096)}
	snap := readLines(t, snapshotFile)[0]
	if err := s.d.LoadSnapshot("NKNUSDT", snap.msg, snap.recv, s.out); err != nil {
		t.Fatal(err)
	}
	s.in = s.d.listed[0]
	for _, l := range readLines(t, diffFile)[1:] {
		s.diffs = append(s.diffs, l)
		s.bytes += len(l.msg)
	}
	var err error
	s.first, err = firstID(s.diffs[0].msg)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range readLines(t, allFile) {
		switch kind, _ := updateID(t, l.msg); kind {
		case "":
			s.ticker = l.msg
		case "aggTrade":
			s.aggTrade = l.msg
		}
	}
	s.trade = []byte(`{"stream":"nknusdt@trade","data":{"e":"trade","E":1633998523963,"s":"NKNUSDT","t":19862790,"p":"0.35280000","q":"58.00000000","T":1633998523963,"m":false,"M":true}}`)
	for range s.diffs { // warm up: every diff once
		s.next(t)
	}
	return s
}

// next decodes the next diff and checks it was applied.
func (s *steady) next(t testing.TB) {
	if s.i == len(s.diffs) {
		s.i = 0
	}
	if s.i == 0 {
		s.in.pos.Last = s.first - 1
	}
	l := s.diffs[s.i]
	s.i++
	s.out.Reset()
	applied := s.in.r.Stats.Applied
	if err := s.d.Decode(l.msg, l.recv, s.out); err != nil || s.in.r.Stats.Applied != applied+1 {
		t.Fatalf("diff not applied: %v", err)
	}
}

func firstID(msg []byte) (uint64, error) {
	var d Decoder
	v, err := d.parser.ParseBytes(msg)
	if err != nil {
		return 0, err
	}
	data, _ := Unwrap(v)
	h, err := header(data, 0)
	return h.First, err
}

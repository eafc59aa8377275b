package binanceusdm

import (
	"testing"

	"ems/feed"
)

// sushiResolver knows SUSHIUSDT at its 2021 tick (0.001) and lot (1).
func sushiResolver(sym []byte) (uint32, feed.Scales, bool) {
	if string(sym) == "SUSHIUSDT" {
		return 1, feed.Scales{Price: 4, Qty: 0, Tick: 10, Known: true}, true
	}
	return 0, feed.Scales{}, false
}

// steady is a decoder with a live SUSHIUSDT book fed the recording's 252 applicable diffs in a
// loop; when they run out the REST snapshot is loaded again (its lastUpdateId is the first
// applied diff's U), which restarts the pu chain.
type steady struct {
	d      *Decoder
	out    *feed.Batch
	snap   line
	diffs  []line
	i      int
	bytes  int
	ticker []byte
	trade  []byte
}

func newSteady(t testing.TB, cfg feed.Config) *steady {
	s := &steady{d: New(cfg), out: feed.NewBatch(4096), snap: readLines(t, snapshotFile)[0]}
	s.diffs = readLines(t, diffFile)[3:]
	for _, l := range s.diffs {
		s.bytes += len(l.msg)
	}
	s.ticker = readLines(t, tickerFile)[0].msg
	s.trade = readLines(t, aggFile)[0].msg
	s.reload(t)
	for range s.diffs { // warm up: every diff once
		s.next(t, nil)
	}
	s.reload(t)
	return s
}

func (s *steady) reload(t testing.TB) {
	s.out.Reset()
	if err := s.d.LoadSnapshot("SUSHIUSDT", s.snap.msg, s.snap.recv, s.out); err != nil {
		t.Fatal(err)
	}
	s.i = 0
}

// next decodes the next diff and checks it was applied; b, when set, has its timer stopped while
// the snapshot is reloaded.
func (s *steady) next(t testing.TB, b *testing.B) {
	if s.i == len(s.diffs) {
		if b != nil {
			b.StopTimer()
		}
		s.reload(t)
		if b != nil {
			b.StartTimer()
		}
	}
	l := s.diffs[s.i]
	s.i++
	s.out.Reset()
	r := s.d.Books()[0]
	applied := r.Stats.Applied
	if err := s.d.Decode(l.msg, l.recv, s.out); err != nil || r.Stats.Applied != applied+1 {
		t.Fatalf("diff not applied: %v", err)
	}
}

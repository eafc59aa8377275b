//go:build !race

package bybit

import (
	"testing"

	"ems/core/book"
)

// TestPublishEncodeAllocs: recomputing a depth stream from the mirror and encoding its delta
// into a reused buffer allocate nothing once the stream's scratch has grown. (Publishing
// itself allocates one message per stream and batch, shared by every subscriber.)
func TestPublishEncodeAllocs(t *testing.T) {
	e := newEnv(t)
	k := e.mkt(catSpot, "BTCUSDT")
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	d := newDepthStream(50, k.sym)
	mirror := k.mirror
	bid, _, _ := mirror.BestBid()
	buf := make([]byte, 0, 64<<10)
	flip := int64(1)
	run := func() {
		flip = -flip
		q := mirror.Qty(book.Bid, bid)
		mirror.Set(book.Bid, bid, q+flip*k.l.Lot)
		d.update(mirror)
		buf = d.appendBookMessage(buf[:0], k, false, d.u, k.seq, k.batchTS)
	}
	run()
	run()
	if n := testing.AllocsPerRun(200, run); n != 0 {
		t.Fatalf("%v allocations per update, want 0", n)
	}
}

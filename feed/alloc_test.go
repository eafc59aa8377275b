//go:build !race

package feed

import (
	"testing"

	"ems/core/book"
)

func TestReplicaSteadyStateAllocatesNothing(t *testing.T) {
	r, _ := NewReplica(ReplicaConfig{Symbol: "X", Scales: Scales{Price: 2, Qty: 8, Tick: 1, Known: true}})
	out := NewBatch(64)
	px, qty, zero := []byte("67123.45"), []byte("1.25000000"), []byte("0")
	n := testing.AllocsPerRun(1000, func() {
		out.Reset()
		r.Begin(out, 1, 0, 0)
		r.SetText(book.Bid, px, qty)
		r.SetText(book.Bid, px, zero)
		r.Commit()
	})
	if n != 0 {
		t.Fatalf("%v allocations per message, want 0", n)
	}
}

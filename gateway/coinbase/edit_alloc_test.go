//go:build !race

package coinbase

import (
	"testing"

	"ems/core/event"
)

// TestEditAllocs: the orders/edit body and the parse of its answers allocate nothing in steady
// state.
func TestEditAllocs(t *testing.T) {
	p := NewParser()
	r := event.Replace{Order: 42, Price: 6_800_001, Qty: 200_000}
	vid := []byte(testVenueOrder)
	dst := make([]byte, 0, 256)
	ok, fail := []byte(editAnswers["ok"]), []byte(editAnswers["post-only"])
	tests := []struct {
		name string
		fn   func()
	}{
		{"edit-body", func() { dst, _ = AppendEditBody(dst[:0], vid, &r, &btcListing) }},
		{"parse-edit-ok", func() { p.ParseEdit(200, ok) }},
		{"parse-edit-reject", func() { p.ParseEdit(200, fail) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn()
			if got := testing.AllocsPerRun(200, tc.fn); got != 0 {
				t.Fatalf("%v allocations, want 0", got)
			}
		})
	}
}

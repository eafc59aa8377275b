//go:build !race

package fixed

import "testing"

// TestZeroAllocs: every successful call allocates nothing, on the fast and
// the exact per-byte paths alike, and formatting into a slice with capacity
// allocates nothing.
func TestZeroAllocs(t *testing.T) {
	inputs := []struct {
		text  string
		scale uint8
	}{
		{"67123.45000000", 8},       // fast path
		{"0.00000637", 8},           // fast path
		{"67123.45000000", 2},       // zeros beyond the scale
		{"7.6110", 4},               // shorter than a word
		{"-0.02522168", 8},          // signed
		{"92233720368.54775807", 8}, // exact per-byte path
		{"-9223372036854775808", 0}, // exact per-byte path
	}
	dst := make([]byte, 0, 64)
	for _, in := range inputs {
		b := []byte(in.text)
		var v int64
		checks := []struct {
			name string
			fn   func()
		}{
			{"Parse", func() { v, _ = Parse(b, in.scale) }},
			{"ParseString", func() { v, _ = ParseString(in.text, in.scale) }},
			{"Append", func() { dst = Append(dst[:0], v, in.scale) }},
			{"AppendTrim", func() { dst = AppendTrim(dst[:0], v, in.scale) }},
			{"Places", func() { _ = Places(b) }},
			{"Rescale", func() { _, _ = Rescale(v, in.scale, in.scale) }},
			{"Rescale down", func() { _, _ = Rescale(6712345000000, 8, 2) }},
			{"Rescale up", func() { _, _ = Rescale(6712345, 2, 8) }},
			{"MulDiv", func() { _, _ = MulDiv(v, 3, 7) }},
			{"Notional", func() { _, _ = Notional(v, 1, in.scale, 0, in.scale) }},
			{"Notional down", func() { _, _ = Notional(6712345, 150000, 2, 5, 2) }},
		}
		for _, c := range checks {
			if n := testing.AllocsPerRun(100, c.fn); n != 0 {
				t.Errorf("%s on %q at scale %d: %v allocations, want 0", c.name, in.text, in.scale, n)
			}
		}
		// Every call above must have succeeded: errors may allocate.
		if _, err := Parse(b, in.scale); err != nil {
			t.Fatalf("Parse(%q, %d): %v", in.text, in.scale, err)
		}
		if _, err := MulDiv(v, 3, 7); err != nil {
			t.Fatal(err)
		}
		if _, err := Notional(v, 1, in.scale, 0, in.scale); err != nil {
			t.Fatal(err)
		}
	}
}

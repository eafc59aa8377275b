//go:build !race

package coinbase

import "testing"

// TestSignAllocs: signing reuses the Signer's state and scratch and appends to the caller's
// buffer, so it allocates nothing in steady state.
func TestSignAllocs(t *testing.T) {
	s := newSpecSigner(t)
	body := []byte(specBody)
	dst := make([]byte, 0, 64)
	tests := []struct {
		name string
		fn   func()
	}{
		{"rest", func() { dst = s.AppendRESTSign(dst[:0], "1692736860", "POST", "/orders", body) }},
		{"fix", func() {
			dst = s.AppendFIXRawData(dst[:0], "20230822-20:41:00.123", "A", "1",
				"b7ff0bd1a6b1e9ac2cf1e7c1c0b1a0d0", "Coinbase", "mypassphrase")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn() // warm the scratch
			if n := testing.AllocsPerRun(200, tc.fn); n != 0 {
				t.Fatalf("%v allocations per signature, want 0", n)
			}
		})
	}
}

//go:build !race

package okx

import (
	"testing"
	"time"
)

// TestSignAllocs: signing a REST request, a login and a timestamp allocates nothing once the
// buffers have grown.
func TestSignAllocs(t *testing.T) {
	s := NewSigner([]byte(secret))
	dst := make([]byte, 0, 64)
	body := []byte(postBody)
	tm := time.Date(2020, 12, 8, 9, 8, 57, 715_000_000, time.UTC)
	s.AppendRESTSignature(dst, restTS, "POST", "/api/v5/trade/order", body) // grow the prehash buffer
	n := testing.AllocsPerRun(100, func() {
		dst = s.AppendRESTSignature(dst[:0], restTS, "POST", "/api/v5/trade/order", body)
		dst = s.AppendLoginSignature(dst[:0], "1538054050")
		dst = AppendTimestamp(dst[:0], tm)
		dst = AppendLoginTimestamp(dst[:0], tm)
	})
	if n != 0 {
		t.Fatalf("%v allocations per signing round, want 0", n)
	}
}

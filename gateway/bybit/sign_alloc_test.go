//go:build !race

package bybit

import "testing"

// TestSignAllocs: signing and verifying allocate nothing once the scratch has grown.
func TestSignAllocs(t *testing.T) {
	s := NewSigner(simKey, []byte(simSecret))
	params := []byte(postBody)
	dst := make([]byte, 0, SignatureLen)
	sig := s.AppendREST(nil, 1700000000000, 5000, params)
	ts, w, exp := []byte("1700000000000"), []byte("5000"), []byte("1700000001000")
	wsSig := s.AppendWSAuth(nil, 1700000001000)
	cases := map[string]func(){
		"AppendREST":   func() { dst = s.AppendREST(dst[:0], 1700000000000, 5000, params) },
		"AppendWSAuth": func() { dst = s.AppendWSAuth(dst[:0], 1700000001000) },
		"VerifyREST": func() {
			if !s.VerifyREST(ts, w, params, sig) {
				t.Fatal("refused")
			}
		},
		"VerifyWSAuth": func() {
			if !s.VerifyWSAuth(exp, wsSig) {
				t.Fatal("refused")
			}
		},
	}
	for name, fn := range cases {
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
}

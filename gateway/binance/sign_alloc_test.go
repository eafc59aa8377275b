//go:build !race

package binance

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
)

// TestSignAllocs: signing and verifying with a reused signer allocate nothing.
func TestSignAllocs(t *testing.T) {
	h := NewHMAC([]byte(docSecret))
	v := restVectors[0]
	q := []byte(v.query)
	sig := []byte(v.want)
	ws := wsVectors[0]
	ps := params(ws.params)
	wsSig := []byte(ws.want)
	dst := make([]byte, 0, 128)
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	ed, _ := NewEd25519(priv)
	pub := priv.Public().(ed25519.PublicKey)
	edSig := ed.AppendSignature(nil, q)
	cases := []struct {
		name string
		fn   func()
	}{
		{"AppendRESTSignature", func() { dst = h.AppendRESTSignature(dst[:0], q, nil) }},
		{"VerifyREST", func() {
			if !h.VerifyREST(q, nil, sig) {
				t.Fatal("refused")
			}
		}},
		{"AppendParamsSignature", func() { dst = h.AppendParamsSignature(dst[:0], ps) }},
		{"VerifyParams", func() {
			if !h.VerifyParams(ps, wsSig) {
				t.Fatal("refused")
			}
		}},
		{"AppendPayload", func() { dst = AppendPayload(dst[:0], ps) }},
		{"Ed25519.AppendSignature", func() { dst = ed.AppendSignature(dst[:0], q) }},
		{"VerifyEd25519", func() {
			if !VerifyEd25519(pub, q, edSig) {
				t.Fatal("refused")
			}
		}},
	}
	for _, c := range cases {
		if n := testing.AllocsPerRun(100, c.fn); n != 0 {
			t.Errorf("%s: %v allocations per call, want 0", c.name, n)
		}
	}
}

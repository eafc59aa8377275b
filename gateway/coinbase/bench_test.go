package coinbase

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"testing"
)

// BenchmarkRESTSign compares the reusable Signer with the standard library used the plain way
// (a new HMAC and a Base64 string per request), the baseline.
func BenchmarkRESTSign(b *testing.B) {
	body := []byte(specBody)
	want := "pSZQ5KiNPi2BDJ57fG1+LRyHXY3mCqT5cs0JaIFn8kQ="
	b.Run("impl=signer", func(b *testing.B) {
		s := newSpecSigner(b)
		dst := make([]byte, 0, 64)
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			dst = s.AppendRESTSign(dst[:0], "1692736860", "POST", "/orders", body)
			if len(dst) != SignatureLen || dst[0] != want[0] {
				b.Fatal("bad signature")
			}
		}
	})
	b.Run("impl=stdlib-baseline", func(b *testing.B) {
		key, _ := base64.StdEncoding.DecodeString(specSecret)
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			mac := hmac.New(sha256.New, key)
			mac.Write([]byte("1692736860POST/orders" + string(body)))
			sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
			if sig != want {
				b.Fatal("bad signature")
			}
		}
	})
}

// BenchmarkToken measures making and verifying one REST token per key type.
func BenchmarkToken(b *testing.B) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(ec)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	keys := []struct{ alg, secret string }{{AlgES256, ecPEM}, {AlgEdDSA, ed25519Secret(b)}}
	for _, kc := range keys {
		k, err := ParseKey(testKeyName, kc.secret)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("op=make/alg="+kc.alg, func(b *testing.B) {
			dst := make([]byte, 0, 512)
			b.ReportAllocs()
			for b.Loop() {
				dst, err = k.AppendRESTToken(dst[:0], "POST", "api.coinbase.com", ordersPath, 1_700_000_000)
				if err != nil || len(dst) < 100 {
					b.Fatal("no token", err)
				}
			}
		})
		tok, _ := k.AppendRESTToken(nil, "POST", "api.coinbase.com", ordersPath, 1_700_000_000)
		b.Run("op=verify/alg="+kc.alg, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Verify(string(tok), k.Public()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package coinbase

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// specSecret is the venue specs' section 7.3 secret: Base64 of the bytes 0..63.
const specSecret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="

// specBody is the Exchange REST body of the section 7.3 vector.
const specBody = `{"product_id":"BTC-USD","side":"buy","type":"limit","price":"100.00","size":"0.01"}`

func newSpecSigner(t testing.TB) *Signer {
	t.Helper()
	s, err := NewSigner(specSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSpecVectors checks the venue specs' section 7.3 vectors exactly.
func TestSpecVectors(t *testing.T) {
	s := newSpecSigner(t)
	tests := []struct {
		name string
		got  func() []byte
		want string
	}{
		{"fix-logon-rawdata", func() []byte {
			return s.AppendFIXRawData(nil, "20230822-20:41:00.123", "A", "1",
				"b7ff0bd1a6b1e9ac2cf1e7c1c0b1a0d0", "Coinbase", "mypassphrase")
		}, "1Ge3KLVxRWbtGNTU8sV5b/Fa2fNN3Q449n8yc2dmjVg="},
		{"exchange-rest-sign", func() []byte {
			return s.AppendRESTSign(nil, "1692736860", "POST", "/orders", []byte(specBody))
		}, "pSZQ5KiNPi2BDJ57fG1+LRyHXY3mCqT5cs0JaIFn8kQ="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // a second call checks that the reused state starts clean
				got := tc.got()
				if string(got) != tc.want {
					t.Fatalf("got %s, want %s", got, tc.want)
				}
				if len(got) != SignatureLen {
					t.Fatalf("length %d, want SignatureLen %d", len(got), SignatureLen)
				}
			}
		})
	}
}

func TestPrehash(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"fix", AppendFIXLogonPrehash([]byte("x"), "20230822-20:41:00.123", "A", "1", "key", "Coinbase", "pass"),
			"x20230822-20:41:00.123\x01A\x011\x01key\x01Coinbase\x01pass"},
		{"fix-empty-passphrase", AppendFIXLogonPrehash(nil, "t", "A", "1", "k", "Coinbase", ""),
			"t\x01A\x011\x01k\x01Coinbase\x01"},
		{"rest", AppendRESTPrehash(nil, "1692736860", "POST", "/orders", []byte(specBody)),
			"1692736860POST/orders" + specBody},
		{"rest-get-query", AppendRESTPrehash(nil, "1", "GET", "/orders?status=open", nil),
			"1GET/orders?status=open"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if string(tc.got) != tc.want {
				t.Fatalf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

// TestSignMatchesStdlib compares the reusable Signer with a fresh crypto/hmac per message over
// prehashes of many lengths (around the SHA-256 block size and past the scratch's capacity).
func TestSignMatchesStdlib(t *testing.T) {
	s := newSpecSigner(t)
	key, _ := base64.StdEncoding.DecodeString(specSecret)
	for n := 0; n < 600; n += 7 {
		msg := []byte(strings.Repeat("a", n))
		mac := hmac.New(sha256.New, key)
		mac.Write(msg)
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if got := s.AppendSign([]byte("prefix:"), msg); string(got) != "prefix:"+want {
			t.Fatalf("n=%d: got %s, want %s", n, got, want)
		}
	}
}

func TestNewSignerErrors(t *testing.T) {
	for _, secret := range []string{"", "not base64!", "AAEC=A"} {
		if _, err := NewSigner(secret); !errors.Is(err, ErrSecret) {
			t.Errorf("NewSigner(%q) = %v, want ErrSecret", secret, err)
		}
	}
}

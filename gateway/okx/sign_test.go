package okx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"testing"
	"time"
)

// secret is the test secret of venue specs section 7.2.
const secret = "22582BD0CFF14C41EDBF1AB98506286D"

const (
	restTS   = "2020-12-08T09:08:57.715Z"
	postBody = `{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","px":"2.15","sz":"2"}`
)

// TestVectors checks the three signature vectors of venue specs section 7.2, exactly.
func TestVectors(t *testing.T) {
	tests := []struct {
		name string
		sign func(s *Signer) []byte
		want string
	}{
		{"ws-login", func(s *Signer) []byte { return s.AppendLoginSignature(nil, "1538054050") },
			"+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M="},
		{"rest-get", func(s *Signer) []byte {
			return s.AppendRESTSignature(nil, restTS, "GET", "/api/v5/account/balance?ccy=BTC", nil)
		}, "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY="},
		{"rest-post", func(s *Signer) []byte {
			return s.AppendRESTSignature(nil, restTS, "POST", "/api/v5/trade/order", []byte(postBody))
		}, "iwrdSpN7pm4G4u8+fswZUyH6mOM48+sBF6WvKpj4Dvk="},
	}
	s := NewSigner([]byte(secret))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := 0; i < 2; i++ { // the second round reuses the reset state
				if got := string(tt.sign(s)); got != tt.want {
					t.Fatalf("round %d: got %s, want %s", i, got, tt.want)
				}
			}
		})
	}
}

// TestPrehash checks the prehash texts of the vectors.
func TestPrehash(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"login", AppendLoginPrehash(nil, "1538054050"), "1538054050GET/users/self/verify"},
		{"get", AppendRESTPrehash(nil, restTS, "GET", "/api/v5/account/balance?ccy=BTC", nil),
			"2020-12-08T09:08:57.715ZGET/api/v5/account/balance?ccy=BTC"},
		{"post", AppendRESTPrehash([]byte("x"), restTS, "POST", "/api/v5/trade/order", []byte(postBody)),
			"x2020-12-08T09:08:57.715ZPOST/api/v5/trade/order" + postBody},
	}
	for _, tt := range tests {
		if string(tt.got) != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// TestAgainstStdlib compares AppendSignature with crypto/hmac computed afresh, over prehash
// lengths around the SHA-256 block size, and a secret longer than a block.
func TestAgainstStdlib(t *testing.T) {
	for _, key := range [][]byte{[]byte(secret), make([]byte, 100), nil} {
		s := NewSigner(key)
		for n := 0; n < 200; n += 7 {
			msg := make([]byte, n)
			for i := range msg {
				msg[i] = byte(i*31 + n)
			}
			m := hmac.New(sha256.New, key)
			m.Write(msg)
			want := base64.StdEncoding.EncodeToString(m.Sum(nil))
			if got := string(s.AppendSignature([]byte("p:"), msg)); got != "p:"+want {
				t.Fatalf("key %d bytes, msg %d bytes: got %s, want p:%s", len(key), n, got, want)
			}
		}
	}
}

func TestTimestamps(t *testing.T) {
	tm := time.Date(2020, 12, 8, 9, 8, 57, 715_999_999, time.UTC)
	if got := string(AppendTimestamp(nil, tm)); got != restTS {
		t.Errorf("AppendTimestamp = %q, want %q (milliseconds truncated)", got, restTS)
	}
	if got := string(AppendTimestamp(nil, tm.In(time.FixedZone("x", 3600)))); got != restTS {
		t.Errorf("AppendTimestamp of a zoned time = %q, want UTC %q", got, restTS)
	}
	p, err := ParseTimestamp(restTS)
	if err != nil || !p.Equal(tm.Truncate(time.Millisecond)) {
		t.Errorf("ParseTimestamp(%q) = %v, %v", restTS, p, err)
	}
	if _, err := ParseTimestamp("1538054050"); err == nil {
		t.Error("ParseTimestamp accepted Unix seconds")
	}
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1538054050, 999_000_000), "1538054050"},
		{time.Unix(0, 0), "0"},
		{time.Unix(-5, 0), "-5"},
	} {
		if got := string(AppendLoginTimestamp(nil, tt.t)); got != tt.want {
			t.Errorf("AppendLoginTimestamp(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
	if TimestampLen != len(restTS) || SignatureLen != 44 {
		t.Errorf("TimestampLen %d, SignatureLen %d", TimestampLen, SignatureLen)
	}
}

func TestEqual(t *testing.T) {
	a := []byte("+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=")
	if !Equal(a, []byte(string(a))) || Equal(a, a[:10]) || Equal(a, []byte("+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4N=")) {
		t.Error("Equal")
	}
}

func BenchmarkSign(b *testing.B) {
	s := NewSigner([]byte(secret))
	body := []byte(postBody)
	want := "iwrdSpN7pm4G4u8+fswZUyH6mOM48+sBF6WvKpj4Dvk="
	b.Run("impl=signer/req=post", func(b *testing.B) {
		dst := make([]byte, 0, SignatureLen)
		b.ReportAllocs()
		b.SetBytes(int64(len(restTS) + len("POST/api/v5/trade/order") + len(body)))
		for i := 0; i < b.N; i++ {
			dst = s.AppendRESTSignature(dst[:0], restTS, "POST", "/api/v5/trade/order", body)
			if len(dst) != SignatureLen {
				b.Fatal("bad signature")
			}
		}
		if string(dst) != want {
			b.Fatal("wrong signature")
		}
	})
	b.Run("impl=stdlib/req=post", func(b *testing.B) { // baseline: a fresh crypto/hmac per request
		prehash := AppendRESTPrehash(nil, restTS, "POST", "/api/v5/trade/order", body)
		b.ReportAllocs()
		b.SetBytes(int64(len(prehash)))
		var sig string
		for i := 0; i < b.N; i++ {
			m := hmac.New(sha256.New, []byte(secret))
			m.Write(prehash)
			sig = base64.StdEncoding.EncodeToString(m.Sum(nil))
			if len(sig) != SignatureLen {
				b.Fatal("bad signature")
			}
		}
		if sig != want {
			b.Fatal("wrong signature")
		}
	})
}

// ExampleSigner signs a WebSocket login and a REST request with the test secret of venue specs
// section 7.2.
func ExampleSigner() {
	s := NewSigner([]byte("22582BD0CFF14C41EDBF1AB98506286D"))
	ts := string(AppendLoginTimestamp(nil, time.Unix(1538054050, 0)))
	fmt.Println(ts, string(s.AppendLoginSignature(nil, ts)))
	rest := string(AppendTimestamp(nil, time.Date(2020, 12, 8, 9, 8, 57, 715e6, time.UTC)))
	fmt.Println(rest, string(s.AppendRESTSignature(nil, rest, "GET", "/api/v5/account/balance?ccy=BTC", nil)))
	// Output:
	// 1538054050 +LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=
	// 2020-12-08T09:08:57.715Z HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=
}

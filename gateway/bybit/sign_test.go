package bybit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
)

// The venue specs give no official Bybit signature vectors. These were computed with
//
//	printf '%s' "$payload" | openssl dgst -sha256 -hmac "$secret"
//
// over the signed texts of Bybit's v5 integration guide (GET and POST examples with the guide's
// placeholder key XXXXXXXXXX), the WebSocket auth example's expiry, and the simulator's test key.
const (
	guideKey    = "XXXXXXXXXX"
	guideSecret = "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY"
	simKey      = "sim-bybit-key"
	simSecret   = "sim-bybit-secret"

	postBody = `{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1",` +
		`"price":"15600","timeInForce":"PostOnly","orderLinkId":"spot-test-01"}`
)

var restVectors = []struct {
	name       string
	key        string
	secret     string
	ts, window int64
	params     string
	want       string
}{
	{"GET guide", guideKey, guideSecret, 1658384314791, 5000,
		"category=option&symbol=BTC-29JUL22-25000-C",
		"49c26b0f76e0bec6b926f119814d66c4bdf59de44adf2a1864b1ea0bfd9c710c"},
	{"POST body", guideKey, guideSecret, 1658385579423, 5000, postBody,
		"fbd777b6cdfaa88a5e8728d8c13fd0b4e502f18bf51581e9c090deaa6497951e"},
	{"GET without recv window", simKey, simSecret, 1672211928338, -1,
		"category=spot&symbol=BTCUSDT",
		"07b6a8739aaafccde5a566245ce0ec4a58fce6ae299de35812d3febff64f9cbc"},
}

func TestRESTVectors(t *testing.T) {
	for _, tc := range restVectors {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSigner(tc.key, []byte(tc.secret))
			got := string(s.AppendREST(nil, tc.ts, tc.window, []byte(tc.params)))
			if got != tc.want {
				t.Fatalf("AppendREST = %s, want %s", got, tc.want)
			}
			payload := AppendRESTPayload(nil, tc.ts, tc.key, tc.window, []byte(tc.params))
			if got := string(s.AppendSignature(nil, payload)); got != tc.want {
				t.Fatalf("AppendSignature(payload) = %s, want %s", got, tc.want)
			}
			window := ""
			if tc.window >= 0 {
				window = strconv.FormatInt(tc.window, 10)
			}
			ts := []byte(strconv.FormatInt(tc.ts, 10))
			if !s.VerifyREST(ts, []byte(window), []byte(tc.params), []byte(tc.want)) {
				t.Fatal("VerifyREST refuses the vector")
			}
			if !s.VerifyREST(ts, []byte(window), []byte(tc.params), []byte(strings.ToUpper(tc.want))) {
				t.Fatal("VerifyREST refuses the upper-case vector")
			}
		})
	}
}

func TestWSAuthVector(t *testing.T) {
	const want = "9f96338b434359fa6300c2d0040ffe25962cbc700dac649bfc7c59ef64431f89"
	s := NewSigner(guideKey, []byte(guideSecret))
	if got := string(s.AppendWSAuth(nil, 1662350400000)); got != want {
		t.Fatalf("AppendWSAuth = %s, want %s", got, want)
	}
	if got := string(AppendWSAuthPayload(nil, 1662350400000)); got != "GET/realtime1662350400000" {
		t.Fatalf("AppendWSAuthPayload = %q", got)
	}
	if !s.VerifyWSAuth([]byte("1662350400000"), []byte(want)) {
		t.Fatal("VerifyWSAuth refuses the vector")
	}
	if s.VerifyWSAuth([]byte("1662350400001"), []byte(want)) {
		t.Fatal("VerifyWSAuth accepts another expiry")
	}
}

// TestRoundTrip checks the signer against crypto/hmac over varied inputs, and that every
// tampering is refused.
func TestRoundTrip(t *testing.T) {
	s := NewSigner(simKey, []byte(simSecret))
	for i := range 200 {
		params := []byte(strings.Repeat("category=linear&symbol=BTCUSDT&", i%7) + strconv.Itoa(i))
		ts, window := int64(1700000000000+i), int64(i*37%10000)
		sig := s.AppendREST(nil, ts, window, params)
		ref := hmac.New(sha256.New, []byte(simSecret))
		ref.Write(AppendRESTPayload(nil, ts, simKey, window, params))
		if want := hex.EncodeToString(ref.Sum(nil)); string(sig) != want {
			t.Fatalf("case %d: %s, want %s", i, sig, want)
		}
		tsText, wText := []byte(strconv.FormatInt(ts, 10)), []byte(strconv.FormatInt(window, 10))
		if !s.VerifyREST(tsText, wText, params, sig) {
			t.Fatalf("case %d: own signature refused", i)
		}
		bad := append([]byte(nil), sig...)
		bad[i%SignatureLen] ^= 1
		if s.VerifyREST(tsText, wText, params, bad) {
			t.Fatalf("case %d: tampered signature accepted", i)
		}
		if s.VerifyREST(tsText, wText, append(params, 'x'), sig) {
			t.Fatalf("case %d: tampered params accepted", i)
		}
	}
}

func TestVerifyMalformed(t *testing.T) {
	s := NewSigner(simKey, []byte(simSecret))
	good := s.AppendSignature(nil, []byte("x"))
	for _, sig := range []string{"", "00", string(good[:SignatureLen-1]), string(good) + "0",
		"zz" + string(good[2:])} {
		if s.Verify([]byte("x"), []byte(sig)) {
			t.Errorf("Verify accepts %q", sig)
		}
	}
	if !s.Verify([]byte("x"), good) {
		t.Fatal("Verify refuses a good signature")
	}
	if s.APIKey() != simKey {
		t.Fatalf("APIKey = %q", s.APIKey())
	}
}

func BenchmarkSign(b *testing.B) {
	params := []byte(postBody)
	b.Run("impl=signer", func(b *testing.B) {
		s := NewSigner(simKey, []byte(simSecret))
		dst := make([]byte, 0, SignatureLen)
		b.ReportAllocs()
		b.SetBytes(int64(len(params)))
		for i := 0; b.Loop(); i++ {
			dst = s.AppendREST(dst[:0], 1700000000000+int64(i), 5000, params)
			if len(dst) != SignatureLen {
				b.Fatal("bad length")
			}
		}
	})
	b.Run("impl=stdlib", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(params)))
		for i := 0; b.Loop(); i++ {
			m := hmac.New(sha256.New, []byte(simSecret))
			m.Write([]byte(strconv.FormatInt(1700000000000+int64(i), 10) + simKey + "5000" + string(params)))
			if sig := hex.EncodeToString(m.Sum(nil)); len(sig) != SignatureLen {
				b.Fatal("bad length")
			}
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	s := NewSigner(simKey, []byte(simSecret))
	params := []byte(postBody)
	sig := s.AppendREST(nil, 1700000000000, 5000, params)
	ts, w := []byte("1700000000000"), []byte("5000")
	b.ReportAllocs()
	b.SetBytes(int64(len(params)))
	for b.Loop() {
		if !s.VerifyREST(ts, w, params, sig) {
			b.Fatal("refused")
		}
	}
}

package binance

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// Venue specs section 7.1: the official documentation's key pair and vectors.
const (
	docKey    = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
	docSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
)

var restVectors = []struct {
	name, query, body, want string
}{
	{"R1 query", "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", "",
		"c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"},
	{"R1 body", "", "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
		"c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"},
	{"R1 split", "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC", "&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
		"c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"},
	{"R2 non-ASCII percent-encoded", "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", "",
		"e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"},
}

// wsVectors give the params in the order a request might carry them (not sorted), the payload
// the venue signs and the signature.
var wsVectors = []struct {
	name    string
	params  [][2]string
	payload string
	want    string
}{
	{"W1 sorted", [][2]string{{"symbol", "BTCUSDT"}, {"side", "SELL"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
		{"quantity", "0.01000000"}, {"price", "52000.00"}, {"recvWindow", "100"}, {"timestamp", "1645423376532"}, {"apiKey", docKey}},
		"apiKey=" + docKey + "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
		"aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"},
	{"W2 raw UTF-8", [][2]string{{"symbol", "１２３４５６"}, {"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
		{"quantity", "1.00000000"}, {"price", "0.10000000"}, {"recvWindow", "5000"}, {"timestamp", "1645423376532"}, {"apiKey", docKey}},
		"apiKey=" + docKey + "&price=0.10000000&quantity=1.00000000&recvWindow=5000&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT",
		"b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd"},
	{"W3 order.place example", [][2]string{{"symbol", "BTCUSDT"}, {"side", "SELL"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
		{"price", "23416.10000000"}, {"quantity", "0.00847000"}, {"apiKey", docKey}, {"timestamp", "1660801715431"}},
		"apiKey=" + docKey + "&price=23416.10000000&quantity=0.00847000&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1660801715431&type=LIMIT",
		"15af09e41c36f3cc61378c2fbe2c33719a03dd5eba8d0f9206fbda44de717c88"},
}

func params(kv [][2]string) []Param {
	ps := make([]Param, len(kv))
	for i, p := range kv {
		ps[i] = Param{Key: []byte(p[0]), Value: []byte(p[1])}
	}
	return ps
}

func TestRESTVectors(t *testing.T) {
	h := NewHMAC([]byte(docSecret))
	for _, v := range restVectors {
		t.Run(v.name, func(t *testing.T) {
			got := h.AppendRESTSignature(nil, []byte(v.query), []byte(v.body))
			if string(got) != v.want {
				t.Fatalf("signature %s, want %s", got, v.want)
			}
			if one := AppendSignature(nil, []byte(docSecret), []byte(v.query+v.body)); string(one) != v.want {
				t.Fatalf("one-shot signature %s, want %s", one, v.want)
			}
			if !h.VerifyREST([]byte(v.query), []byte(v.body), []byte(v.want)) {
				t.Fatal("VerifyREST refused the vector")
			}
			if !h.VerifyREST([]byte(v.query), []byte(v.body), []byte(strings.ToUpper(v.want))) {
				t.Fatal("VerifyREST refused the vector in upper case (the venue is case-insensitive)")
			}
		})
	}
}

func TestWSVectors(t *testing.T) {
	h := NewHMAC([]byte(docSecret))
	for _, v := range wsVectors {
		t.Run(v.name, func(t *testing.T) {
			if got := AppendPayload(nil, params(v.params)); string(got) != v.payload {
				t.Fatalf("payload\n%s\nwant\n%s", got, v.payload)
			}
			if got := h.AppendParamsSignature(nil, params(v.params)); string(got) != v.want {
				t.Fatalf("streamed signature %s, want %s", got, v.want)
			}
			if got := h.AppendSignature(nil, []byte(v.payload)); string(got) != v.want {
				t.Fatalf("payload signature %s, want %s", got, v.want)
			}
			if !h.VerifyParams(params(v.params), []byte(v.want)) {
				t.Fatal("VerifyParams refused the vector")
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	h := NewHMAC([]byte(docSecret))
	v := restVectors[0]
	good := []byte(v.want)
	flipped := bytes.Clone(good)
	flipped[10] ^= 1
	cases := []struct {
		name string
		sig  []byte
	}{
		{"empty", nil},
		{"short", good[:63]},
		{"long", append(bytes.Clone(good), '0')},
		{"not hex", append(bytes.Clone(good[:62]), 'z', 'z')},
		{"one bit off", flipped},
		{"other payload's", []byte(restVectors[3].want)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if h.VerifyREST([]byte(v.query), nil, c.sig) {
				t.Fatalf("accepted %q", c.sig)
			}
		})
	}
	if NewHMAC([]byte("other secret")).VerifyREST([]byte(v.query), nil, good) {
		t.Fatal("accepted a signature made with another secret")
	}
}

// TestHMACReuse signs different payloads in turn with one signer: the state must reset.
func TestHMACReuse(t *testing.T) {
	h := NewHMAC([]byte(docSecret))
	for i := 0; i < 3; i++ {
		for _, v := range restVectors {
			if got := h.AppendRESTSignature(nil, []byte(v.query), []byte(v.body)); string(got) != v.want {
				t.Fatalf("round %d %s: %s, want %s", i, v.name, got, v.want)
			}
		}
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	h := NewHMAC([]byte(docSecret))
	v := restVectors[0]
	got := h.AppendRESTSignature([]byte("&signature="), []byte(v.query), nil)
	if want := "&signature=" + v.want; string(got) != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

func TestSortParams(t *testing.T) {
	ps := params([][2]string{{"b", "1"}, {"a", "2"}, {"apiKey", "3"}, {"B", "4"}, {"", "5"}})
	SortParams(ps)
	var keys []string
	for _, p := range ps {
		keys = append(keys, string(p.Key))
	}
	if got, want := strings.Join(keys, ","), ",B,a,apiKey,b"; got != want {
		t.Fatalf("order %s, want %s (byte-wise)", got, want)
	}
	if got := AppendPayload(nil, nil); len(got) != 0 {
		t.Fatalf("empty params gave %q", got)
	}
}

func TestEd25519(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewEd25519(priv)
	if err != nil {
		t.Fatal(err)
	}
	payload := AppendPayload(nil, params(wsVectors[2].params))
	sig := s.AppendSignature(nil, payload)
	if len(sig) != Ed25519SignatureLen {
		t.Fatalf("signature %q has %d chars, want %d", sig, len(sig), Ed25519SignatureLen)
	}
	if !VerifyEd25519(pub, payload, sig) {
		t.Fatal("own signature refused")
	}
	if !bytes.Equal(s.AppendSignature(nil, payload), sig) {
		t.Fatal("Ed25519 signatures are deterministic; two differ")
	}
	tampered := bytes.Clone(payload)
	tampered[len(tampered)-1] ^= 1
	if VerifyEd25519(pub, tampered, sig) {
		t.Fatal("signature accepted for another payload")
	}
	otherPub, _, _ := ed25519.GenerateKey(rand.Reader)
	if VerifyEd25519(otherPub, payload, sig) {
		t.Fatal("signature accepted under another key")
	}
	for _, bad := range [][]byte{nil, sig[:len(sig)-1], append(bytes.Clone(sig[:len(sig)-2]), '!', '=')} {
		if VerifyEd25519(pub, payload, bad) {
			t.Fatalf("malformed signature %q accepted", bad)
		}
	}
	if _, err := NewEd25519(priv[:10]); !errors.Is(err, ErrKey) {
		t.Fatalf("short key: %v", err)
	}
}

func TestEd25519PEM(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pder, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	privPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pder})
	gotPriv, err := ParseEd25519PrivateKey(privPEM)
	if err != nil || !gotPriv.Equal(priv) {
		t.Fatalf("private key round trip: %v", err)
	}
	gotPub, err := ParseEd25519PublicKey(pubPEM)
	if err != nil || !gotPub.Equal(pub) {
		t.Fatalf("public key round trip: %v", err)
	}
	for _, bad := range [][]byte{nil, []byte("junk"), pubPEM} {
		if _, err := ParseEd25519PrivateKey(bad); !errors.Is(err, ErrKey) {
			t.Fatalf("private key from %.20q: %v", bad, err)
		}
	}
	for _, bad := range [][]byte{nil, privPEM} {
		if _, err := ParseEd25519PublicKey(bad); !errors.Is(err, ErrKey) {
			t.Fatalf("public key from %.20q: %v", bad, err)
		}
	}
}

// FuzzVerify checks that Verify accepts exactly the signature AppendSignature makes.
func FuzzVerify(f *testing.F) {
	for _, v := range restVectors {
		f.Add([]byte(v.query+v.body), []byte(v.want))
	}
	h := NewHMAC([]byte(docSecret))
	f.Fuzz(func(t *testing.T, payload, sig []byte) {
		want := h.AppendSignature(nil, payload)
		ok := h.Verify(payload, sig)
		if ok != strings.EqualFold(string(sig), string(want)) {
			t.Fatalf("Verify(%q, %q) = %v; the signature is %s", payload, sig, ok, want)
		}
	})
}

func BenchmarkSign(b *testing.B) {
	for _, size := range []int{64, 256, 1024} {
		payload := bytes.Repeat([]byte("a"), size)
		b.Run("impl=HMAC/size="+strconv.Itoa(size), func(b *testing.B) {
			h := NewHMAC([]byte(docSecret))
			dst := make([]byte, 0, HexSignatureLen)
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				dst = h.AppendSignature(dst[:0], payload)
				if len(dst) != HexSignatureLen {
					b.Fatal(len(dst))
				}
			}
		})
		b.Run("impl=stdlib-oneshot/size="+strconv.Itoa(size), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				m := hmac.New(sha256.New, []byte(docSecret))
				m.Write(payload)
				if s := hex.EncodeToString(m.Sum(nil)); len(s) != HexSignatureLen {
					b.Fatal(len(s))
				}
			}
		})
	}
}

func BenchmarkSignParams(b *testing.B) {
	v := wsVectors[2]
	ps := params(v.params)
	h := NewHMAC([]byte(docSecret))
	b.Run("impl=streamed", func(b *testing.B) {
		dst := make([]byte, 0, HexSignatureLen)
		b.ReportAllocs()
		b.SetBytes(int64(len(v.payload)))
		for b.Loop() {
			dst = h.AppendParamsSignature(dst[:0], ps)
			if string(dst) != v.want {
				b.Fatal(string(dst))
			}
		}
	})
	b.Run("impl=payload-then-sign", func(b *testing.B) {
		dst := make([]byte, 0, HexSignatureLen)
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		b.SetBytes(int64(len(v.payload)))
		for b.Loop() {
			buf = AppendPayload(buf[:0], ps)
			dst = h.AppendSignature(dst[:0], buf)
			if string(dst) != v.want {
				b.Fatal(string(dst))
			}
		}
	})
}

func BenchmarkEd25519(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	s, _ := NewEd25519(priv)
	payload := []byte(wsVectors[2].payload)
	dst := make([]byte, 0, Ed25519SignatureLen)
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		dst = s.AppendSignature(dst[:0], payload)
		if len(dst) != Ed25519SignatureLen {
			b.Fatal(len(dst))
		}
	}
}

// TestParamsLong: params longer than the signer's scratch space sign like their payload.
func TestParamsLong(t *testing.T) {
	h := NewHMAC([]byte(docSecret))
	long := strings.Repeat("x", 300)
	for _, kvs := range [][][2]string{
		{{"a", long}, {"b", "1"}},
		{{"a", "1"}, {"b", long}, {"c", long}},
		{{"k" + long, "v"}},
		{{"a", strings.Repeat("y", 120)}, {"b", strings.Repeat("z", 120)}, {"c", "3"}},
	} {
		want := h.AppendSignature(nil, AppendPayload(nil, params(kvs)))
		if got := h.AppendParamsSignature(nil, params(kvs)); string(got) != string(want) {
			t.Fatalf("%d params: streamed %s, payload %s", len(kvs), got, want)
		}
	}
}

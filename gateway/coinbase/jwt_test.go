package coinbase

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"ems/core/jsontext"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
)

const (
	testKeyName = "organizations/0b5e8b1c-org/apiKeys/7f3a9d2e-key"
	ordersPath  = "/api/v3/brokerage/orders"
	testNow     = int64(1_692_736_860)
)

func pemOf(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// ed25519Secret returns a fresh Ed25519 key in the venue's format: Base64 of seed || public.
func ed25519Secret(t testing.TB) string {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(priv)
}

// testKeys returns one private key in every form ParseKey accepts, with the PKIX PEM of its
// public key.
func testKeys(t testing.TB) []struct{ name, secret, public, alg string } {
	t.Helper()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sec1, _ := x509.MarshalECPrivateKey(ec)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPub, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	edPKCS8, _ := x509.MarshalPKCS8PrivateKey(edPriv)
	edPKIX, _ := x509.MarshalPKIXPublicKey(edPub)
	sec1PEM := pemOf("EC PRIVATE KEY", sec1)
	return []struct{ name, secret, public, alg string }{
		{"ec-sec1", sec1PEM, pemOf("PUBLIC KEY", ecPub), AlgES256},
		{"ec-sec1-escaped-newlines", strings.ReplaceAll(sec1PEM, "\n", `\n`), pemOf("PUBLIC KEY", ecPub), AlgES256},
		{"ec-pkcs8", pemOf("PRIVATE KEY", pkcs8), pemOf("PUBLIC KEY", ecPub), AlgES256},
		{"ed25519-pkcs8", pemOf("PRIVATE KEY", edPKCS8), pemOf("PUBLIC KEY", edPKIX), AlgEdDSA},
		{"ed25519-base64", base64.StdEncoding.EncodeToString(edPriv), pemOf("PUBLIC KEY", edPKIX), AlgEdDSA},
	}
}

// decodePart returns the JSON text of part i (0 header, 1 claims) of token.
func decodePart(t *testing.T, token []byte, i int) string {
	t.Helper()
	parts := strings.Split(string(token), ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("part %d: %v", i, err)
	}
	return string(b)
}

// TestTokenVerifies makes REST and WebSocket tokens with every key form, verifies them with the
// public key alone, and checks header and claims as the official SDK's test does (sub, iss,
// uri, kid) plus the rest of the format.
func TestTokenVerifies(t *testing.T) {
	for _, kc := range testKeys(t) {
		t.Run(kc.name, func(t *testing.T) {
			k, err := ParseKey(testKeyName, kc.secret)
			if err != nil {
				t.Fatal(err)
			}
			if k.Alg() != kc.alg || k.Name() != testKeyName {
				t.Fatalf("alg %s name %s", k.Alg(), k.Name())
			}
			pub, err := ParsePublicKey(kc.public)
			if err != nil {
				t.Fatal(err)
			}
			for _, uri := range []string{"POST api.coinbase.com" + ordersPath, ""} {
				var tok []byte
				if uri != "" {
					tok, err = k.AppendRESTToken([]byte("Bearer "), "POST", "api.coinbase.com", ordersPath, testNow)
				} else {
					tok, err = k.AppendWSToken([]byte("Bearer "), testNow)
				}
				if err != nil {
					t.Fatal(err)
				}
				tok = tok[len("Bearer "):]
				got, err := Verify(string(tok), pub)
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				want := Token{Alg: kc.alg, Kid: testKeyName, Nonce: got.Nonce, Typ: "JWT",
					Sub: testKeyName, Iss: Issuer, URI: uri, Nbf: testNow, Exp: testNow + Lifetime}
				if got != want {
					t.Fatalf("token %+v\nwant  %+v", got, want)
				}
				if n, err := hex.DecodeString(got.Nonce); err != nil || len(n) != nonceBytes {
					t.Fatalf("nonce %q is not %d hex bytes", got.Nonce, nonceBytes)
				}
				if err := got.Check(testKeyName, uri, testNow+1, 0); err != nil {
					t.Fatalf("Check: %v", err)
				}
				hdr := decodePart(t, tok, 0)
				wantHdr := `{"alg":"` + kc.alg + `","kid":"` + testKeyName + `","nonce":"` + got.Nonce + `","typ":"JWT"}`
				if hdr != wantHdr {
					t.Fatalf("header %s\nwant   %s", hdr, wantHdr)
				}
				claims := decodePart(t, tok, 1)
				wantClaims := `{"sub":"` + testKeyName + `","iss":"cdp","nbf":1692736860,"exp":1692736980`
				if uri != "" {
					wantClaims += `,"uri":"` + uri + `"`
				}
				if claims != wantClaims+"}" {
					t.Fatalf("claims %s\nwant   %s}", claims, wantClaims)
				}
				sig, _ := base64.RawURLEncoding.DecodeString(string(tok[strings.LastIndexByte(string(tok), '.')+1:]))
				if len(sig) != 64 {
					t.Fatalf("signature of %d bytes, want 64 (raw r||s or Ed25519)", len(sig))
				}
			}
		})
	}
}

// TestTokenRandomized: ES256 signatures and nonces differ between two tokens with equal claims.
func TestTokenRandomized(t *testing.T) {
	k, err := ParseKey(testKeyName, testKeys(t)[0].secret)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := k.AppendWSToken(nil, testNow)
	b, _ := k.AppendWSToken(nil, testNow)
	if string(a) == string(b) {
		t.Fatal("two tokens are equal")
	}
}

func TestVerifyRejects(t *testing.T) {
	keys := testKeys(t)
	ec, _ := ParseKey(testKeyName, keys[0].secret)
	ed, _ := ParseKey(testKeyName, keys[3].secret)
	other, _ := ParseKey(testKeyName, testKeys(t)[0].secret)
	good, _ := ec.AppendRESTToken(nil, "POST", "h", ordersPath, testNow)
	otherTok, _ := ec.AppendRESTToken(nil, "GET", "h", ordersPath, testNow)
	edTok, _ := ed.AppendRESTToken(nil, "POST", "h", ordersPath, testNow)
	parts := strings.Split(string(good), ".")
	otherParts := strings.Split(string(otherTok), ".")
	enc := base64.RawURLEncoding.EncodeToString
	claims := enc([]byte(`{"sub":"k","iss":"cdp","nbf":1,"exp":2}`))
	tests := []struct {
		name  string
		token string
		key   any
		want  error
	}{
		{"claims-swapped", parts[0] + "." + otherParts[1] + "." + parts[2], ec.Public(), ErrSignature},
		{"other-key", string(good), other.Public(), ErrSignature},
		{"ed-token-ec-key", string(edTok), ec.Public(), ErrAlgorithm},
		{"ec-token-ed-key", string(good), ed.Public(), ErrAlgorithm},
		{"alg-none", enc([]byte(`{"alg":"none","kid":"k"}`)) + "." + claims + ".", ec.Public(), ErrAlgorithm},
		{"short-signature", parts[0] + "." + parts[1] + "." + enc([]byte("abc")), ec.Public(), ErrSignature},
		{"two-parts", parts[0] + "." + parts[1], ec.Public(), ErrMalformed},
		{"four-parts", string(good) + ".x", ec.Public(), ErrMalformed},
		{"bad-base64", parts[0] + ".!!." + parts[2], ec.Public(), ErrMalformed},
		{"header-not-json", enc([]byte("nope")) + "." + claims + "." + parts[2], ec.Public(), ErrMalformed},
		{"no-kid", enc([]byte(`{"alg":"ES256"}`)) + "." + claims + "." + parts[2], ec.Public(), ErrMalformed},
		{"no-exp", parts[0] + "." + enc([]byte(`{"sub":"k","iss":"cdp","nbf":1}`)) + "." + parts[2], ec.Public(), ErrMalformed},
		{"float-nbf", parts[0] + "." + enc([]byte(`{"sub":"k","iss":"cdp","nbf":1.5,"exp":2}`)) + "." + parts[2], ec.Public(), ErrMalformed},
		{"rsa-key", string(good), &rsa.PublicKey{}, ErrKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Verify(tc.token, tc.key); !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	uri := "POST api.coinbase.com" + ordersPath
	base := Token{Alg: AlgES256, Kid: testKeyName, Sub: testKeyName, Iss: Issuer, URI: uri,
		Nbf: testNow, Exp: testNow + Lifetime}
	tests := []struct {
		name   string
		edit   func(*Token)
		uri    string
		now    int64
		leeway int64
		want   error
	}{
		{"ok", nil, uri, testNow, 0, nil},
		{"ok-last-second", nil, uri, testNow + Lifetime - 1, 0, nil},
		{"legacy-issuer", func(t *Token) { t.Iss = LegacyIssuer }, uri, testNow, 0, nil},
		{"websocket-ignores-uri", nil, "", testNow, 0, nil},
		{"kid", func(t *Token) { t.Kid = "other" }, uri, testNow, 0, ErrSubject},
		{"sub", func(t *Token) { t.Sub = "other" }, uri, testNow, 0, ErrSubject},
		{"issuer", func(t *Token) { t.Iss = "coinbase" }, uri, testNow, 0, ErrIssuer},
		{"not-yet-valid", nil, uri, testNow - 1, 0, ErrNotYetValid},
		{"not-yet-valid-within-leeway", nil, uri, testNow - 5, 5, nil},
		{"expired", nil, uri, testNow + Lifetime, 0, ErrExpired},
		{"expired-within-leeway", nil, uri, testNow + Lifetime + 4, 5, nil},
		{"uri-method", nil, "GET api.coinbase.com" + ordersPath, testNow, 0, ErrURI},
		{"uri-host", nil, "POST 127.0.0.1:8080" + ordersPath, testNow, 0, ErrURI},
		{"uri-missing", func(t *Token) { t.URI = "" }, uri, testNow, 0, ErrURI},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := base
			if tc.edit != nil {
				tc.edit(&tok)
			}
			if err := tok.Check(testKeyName, tc.uri, tc.now, tc.leeway); !errors.Is(err, tc.want) {
				t.Fatalf("Check = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParseKeyErrors(t *testing.T) {
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p384DER, _ := x509.MarshalECPrivateKey(p384)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rsaDER, _ := x509.MarshalPKCS8PrivateKey(rsaKey)
	_, a, _ := ed25519.GenerateKey(rand.Reader)
	_, b, _ := ed25519.GenerateKey(rand.Reader)
	mismatched := append(append([]byte{}, a[:32]...), b[32:]...)
	good := testKeys(t)[0].secret
	tests := []struct{ name, keyName, secret string }{
		{"empty-name", "", good},
		{"garbage", testKeyName, "not a key"},
		{"p384", testKeyName, pemOf("EC PRIVATE KEY", p384DER)},
		{"rsa", testKeyName, pemOf("PRIVATE KEY", rsaDER)},
		{"pem-type", testKeyName, pemOf("CERTIFICATE", []byte{1, 2, 3})},
		{"bad-der", testKeyName, pemOf("EC PRIVATE KEY", []byte{1, 2, 3})},
		{"ed25519-mismatched-halves", testKeyName, base64.StdEncoding.EncodeToString(mismatched)},
		{"ed25519-short", testKeyName, base64.StdEncoding.EncodeToString(a[:32])},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseKey(tc.keyName, tc.secret); !errors.Is(err, ErrKey) {
				t.Fatalf("ParseKey = %v, want ErrKey", err)
			}
		})
	}
	p384Pub, _ := x509.MarshalPKIXPublicKey(&p384.PublicKey)
	if _, err := ParsePublicKey(pemOf("PUBLIC KEY", p384Pub)); !errors.Is(err, ErrKey) {
		t.Fatalf("ParsePublicKey(P-384) = %v, want ErrKey", err)
	}
	// A private key stands for its public key.
	pub, err := ParsePublicKey(good)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := ParseKey(testKeyName, good)
	tok, _ := k.AppendWSToken(nil, testNow)
	if _, err := Verify(string(tok), pub); err != nil {
		t.Fatal(err)
	}
}

func TestAppendURI(t *testing.T) {
	got := AppendURI(nil, "GET", "127.0.0.1:8443", "/api/v3/brokerage/orders/historical/batch")
	if want := "GET 127.0.0.1:8443/api/v3/brokerage/orders/historical/batch"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestJSONStringEscape: key names and uris are written as valid JSON whatever they contain.
func TestJSONStringEscape(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "ctl\x01\n\t", "ünï"} {
		var back string
		if err := json.Unmarshal(jsontext.AppendString(nil, s), &back); err != nil || back != s {
			t.Fatalf("%q: round trip %q, %v", s, back, err)
		}
	}
}

// FuzzParse: Parse never panics, and what it accepts has its required fields.
func FuzzParse(f *testing.F) {
	k, err := ParseKey(testKeyName, testKeys(f)[0].secret)
	if err != nil {
		f.Fatal(err)
	}
	tok, _ := k.AppendRESTToken(nil, "POST", "api.coinbase.com", ordersPath, testNow)
	f.Add(string(tok))
	ws, _ := k.AppendWSToken(nil, testNow)
	f.Add(string(ws))
	f.Add("a.b.c")
	f.Add("..")
	f.Fuzz(func(t *testing.T, s string) {
		tk, err := Parse(s)
		if err != nil {
			return
		}
		if tk.Alg == "" || tk.Kid == "" || tk.Sub == "" || tk.Iss == "" {
			t.Fatalf("accepted %q without required fields: %+v", s, tk)
		}
	})
}

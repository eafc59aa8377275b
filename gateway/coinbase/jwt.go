package coinbase

// Advanced Trade authentication token: a JWT (RFC 7519) in compact JWS form, one per REST
// request (Authorization: Bearer <JWT>) or per WebSocket subscription to the user channel.
//
//	token      = B64URL(header) "." B64URL(claims) "." B64URL(signature)      no padding
//	header     {"alg":"ES256","kid":<key name>,"nonce":<64 hex digits>,"typ":"JWT"}
//	claims     {"sub":<key name>,"iss":"cdp","nbf":<Unix s>,"exp":<nbf+120>,"uri":<uri>}
//	uri        <METHOD> " " <host> <path>     "POST api.coinbase.com/api/v3/brokerage/orders"
//	           (REST only: no query string; WebSocket tokens carry no uri)
//	signature  ES256 (EC P-256 keys): r || s, each a 32-byte big-endian integer (64 bytes, not
//	           ASN.1 DER), over SHA-256 of the ASCII text B64URL(header) "." B64URL(claims)
//	           EdDSA (Ed25519 keys): the 64-byte Ed25519 signature of that text
//
// The key name is "organizations/{org_id}/apiKeys/{key_id}". The header's field order, the
// nonce length (32 random bytes, as the official SDKs draw them) and the 120 s lifetime follow
// the venue's documentation and SDKs; the venue does not depend on field order.

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"ems/core/jsontext"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Token constants, part of the format.
const (
	// Issuer is the iss claim of every token.
	Issuer = "cdp"
	// LegacyIssuer is the iss claim of tokens made by older SDKs, which the venue also accepted.
	LegacyIssuer = "coinbase-cloud"
	// Lifetime is exp - nbf of the tokens AppendToken makes, in seconds.
	Lifetime = 120
	// AlgES256 and AlgEdDSA are the header algorithms of EC P-256 and Ed25519 keys.
	AlgES256 = "ES256"
	AlgEdDSA = "EdDSA"
	// nonceBytes is the number of random bytes of the header's nonce (hex encoded).
	nonceBytes = 32
)

// Errors of ParseKey, ParsePublicKey, Parse, Verify and Token.Check. Each returned error wraps
// one of them and says what failed.
var (
	ErrKey         = errors.New("coinbase: unusable API key")
	ErrMalformed   = errors.New("coinbase: malformed JWT")
	ErrAlgorithm   = errors.New("coinbase: JWT algorithm does not match the key")
	ErrSignature   = errors.New("coinbase: JWT signature does not verify")
	ErrExpired     = errors.New("coinbase: JWT expired")
	ErrNotYetValid = errors.New("coinbase: JWT not yet valid")
	ErrIssuer      = errors.New("coinbase: JWT issuer is not cdp")
	ErrSubject     = errors.New("coinbase: JWT subject or key id is not the key name")
	ErrURI         = errors.New("coinbase: JWT uri does not match the request")
)

// Key is an Advanced Trade (CDP) API key: its name and private key. It makes tokens.
//
// A Key's scratch buffer makes it owned by one goroutine (the gateway's); it is not safe for
// concurrent use. Making a token allocates (the signature's big integers); the token itself is
// appended to the caller's buffer.
type Key struct {
	name string
	alg  string
	ec   *ecdsa.PrivateKey
	ed   ed25519.PrivateKey
	buf  []byte // header and claims JSON scratch
}

// ParseKey returns the key called name (the kid and sub of its tokens) with private key secret,
// as the venue hands it out:
//
//   - PEM "EC PRIVATE KEY" (SEC 1) or "PRIVATE KEY" (PKCS #8) holding an EC P-256 key: ES256;
//   - PEM "PRIVATE KEY" holding an Ed25519 key: EdDSA;
//   - Base64 of 64 bytes, an Ed25519 seed followed by its public key (the venue's Ed25519
//     secret format): EdDSA.
//
// A PEM text whose line breaks were escaped as the two characters `\n` (as in the venue's JSON
// key files) is accepted.
func ParseKey(name, secret string) (*Key, error) {
	if name == "" {
		return nil, fmt.Errorf("%w: empty key name", ErrKey)
	}
	k := &Key{name: name}
	priv, err := parsePrivate(secret)
	if err != nil {
		return nil, err
	}
	switch p := priv.(type) {
	case *ecdsa.PrivateKey:
		k.alg, k.ec = AlgES256, p
	case ed25519.PrivateKey:
		k.alg, k.ed = AlgEdDSA, p
	}
	return k, nil
}

// parsePrivate returns an *ecdsa.PrivateKey on P-256 or an ed25519.PrivateKey.
func parsePrivate(secret string) (crypto.PrivateKey, error) {
	text := unescapePEM(secret)
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
		if err != nil || len(raw) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("%w: neither PEM nor Base64 of a 64-byte Ed25519 key", ErrKey)
		}
		priv := ed25519.NewKeyFromSeed(raw[:ed25519.SeedSize])
		if !bytes.Equal(priv[ed25519.SeedSize:], raw[ed25519.SeedSize:]) {
			return nil, fmt.Errorf("%w: Ed25519 public half does not match the seed", ErrKey)
		}
		return priv, nil
	}
	switch block.Type {
	case "EC PRIVATE KEY":
		p, err := x509.ParseECPrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKey, err)
		}
		return p256(p)
	case "PRIVATE KEY":
		p, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKey, err)
		}
		switch p := p.(type) {
		case *ecdsa.PrivateKey:
			return p256(p)
		case ed25519.PrivateKey:
			return p, nil
		}
		return nil, fmt.Errorf("%w: PKCS #8 key of type %T (want EC P-256 or Ed25519)", ErrKey, p)
	}
	return nil, fmt.Errorf("%w: PEM block %q (want EC PRIVATE KEY or PRIVATE KEY)", ErrKey, block.Type)
}

func p256(p *ecdsa.PrivateKey) (*ecdsa.PrivateKey, error) {
	if p.Curve != elliptic.P256() {
		return nil, fmt.Errorf("%w: EC key on %s (want P-256)", ErrKey, p.Curve.Params().Name)
	}
	return p, nil
}

// unescapePEM turns the two characters `\n` into line breaks when s has no real ones.
func unescapePEM(s string) string {
	if !strings.Contains(s, "\n") && strings.Contains(s, `\n`) {
		return strings.ReplaceAll(s, `\n`, "\n")
	}
	return s
}

// Name returns the key's name.
func (k *Key) Name() string { return k.name }

// Alg returns the algorithm of the key's tokens: AlgES256 or AlgEdDSA.
func (k *Key) Alg() string { return k.alg }

// Public returns the key's public key: an *ecdsa.PublicKey or an ed25519.PublicKey.
func (k *Key) Public() crypto.PublicKey {
	if k.ec != nil {
		return &k.ec.PublicKey
	}
	return k.ed.Public()
}

// AppendURI appends a REST token's uri claim, method + " " + host + path, to dst: "POST
// api.coinbase.com/api/v3/brokerage/orders". host is the request's host (with its port when the
// URL has one); path has no query string.
func AppendURI(dst []byte, method, host, path string) []byte {
	dst = append(dst, method...)
	dst = append(dst, ' ')
	dst = append(dst, host...)
	return append(dst, path...)
}

// AppendRESTToken appends a token for one REST request (see AppendURI for the arguments), valid
// from now (Unix seconds) for Lifetime seconds.
func (k *Key) AppendRESTToken(dst []byte, method, host, path string, now int64) ([]byte, error) {
	uri := AppendURI(make([]byte, 0, 64), method, host, path)
	return k.AppendToken(dst, string(uri), now)
}

// AppendWSToken appends a WebSocket token (no uri), valid from now (Unix seconds) for Lifetime
// seconds.
func (k *Key) AppendWSToken(dst []byte, now int64) ([]byte, error) {
	return k.AppendToken(dst, "", now)
}

// AppendToken appends a token with claims sub = kid = the key's name, iss = Issuer, nbf = now,
// exp = now + Lifetime and uri (omitted when "") to dst, with a fresh random nonce and signature.
func (k *Key) AppendToken(dst []byte, uri string, now int64) ([]byte, error) {
	var nonce [nonceBytes]byte
	rand.Read(nonce[:]) // never fails (crypto/rand)
	start := len(dst)
	j := append(k.buf[:0], `{"alg":`...)
	j = jsontext.AppendString(j, k.alg)
	j = append(j, `,"kid":`...)
	j = jsontext.AppendString(j, k.name)
	j = append(j, `,"nonce":"`...)
	j = hex.AppendEncode(j, nonce[:])
	j = append(j, `","typ":"JWT"}`...)
	dst = base64.RawURLEncoding.AppendEncode(dst, j)
	dst = append(dst, '.')
	j = append(j[:0], `{"sub":`...)
	j = jsontext.AppendString(j, k.name)
	j = append(j, `,"iss":"`+Issuer+`","nbf":`...)
	j = strconv.AppendInt(j, now, 10)
	j = append(j, `,"exp":`...)
	j = strconv.AppendInt(j, now+Lifetime, 10)
	if uri != "" {
		j = append(j, `,"uri":`...)
		j = jsontext.AppendString(j, uri)
	}
	j = append(j, '}')
	k.buf = j
	dst = base64.RawURLEncoding.AppendEncode(dst, j)
	signed := dst[start:]
	var sig []byte
	if k.ec != nil {
		digest := sha256.Sum256(signed)
		r, s, err := ecdsa.Sign(rand.Reader, k.ec, digest[:])
		if err != nil {
			return dst[:start], fmt.Errorf("coinbase: ES256 signing: %w", err)
		}
		var rs [64]byte
		r.FillBytes(rs[:32])
		s.FillBytes(rs[32:])
		sig = rs[:]
	} else {
		sig = ed25519.Sign(k.ed, signed)
	}
	dst = append(dst, '.')
	return base64.RawURLEncoding.AppendEncode(dst, sig), nil
}

// ParsePublicKey returns the public key a token is verified with, from text: a PEM "PUBLIC KEY"
// (PKIX) holding an EC P-256 or Ed25519 key, or any private key form ParseKey accepts (its
// public half). It returns an *ecdsa.PublicKey or an ed25519.PublicKey.
func ParsePublicKey(text string) (crypto.PublicKey, error) {
	block, _ := pem.Decode([]byte(unescapePEM(text)))
	if block == nil || block.Type != "PUBLIC KEY" {
		k, err := ParseKey("public", text)
		if err != nil {
			return nil, err
		}
		return k.Public(), nil
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	switch p := pub.(type) {
	case *ecdsa.PublicKey:
		if p.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: EC public key on %s (want P-256)", ErrKey, p.Curve.Params().Name)
		}
		return p, nil
	case ed25519.PublicKey:
		return p, nil
	}
	return nil, fmt.Errorf("%w: public key of type %T (want EC P-256 or Ed25519)", ErrKey, pub)
}

// Token is a token's header and claims.
type Token struct {
	Alg, Kid, Nonce, Typ string // header
	Sub, Iss, URI        string // claims; URI "" when absent
	Nbf, Exp             int64  // claims, Unix seconds
}

type tokenHeader struct {
	Alg   string `json:"alg"`
	Kid   string `json:"kid"`
	Nonce string `json:"nonce"`
	Typ   string `json:"typ"`
}

type tokenClaims struct {
	Sub string       `json:"sub"`
	Iss string       `json:"iss"`
	URI string       `json:"uri"`
	Nbf *json.Number `json:"nbf"`
	Exp *json.Number `json:"exp"`
}

// Parse decodes token's header and claims without verifying its signature: use it to find the
// key (Kid), then Verify. It fails (ErrMalformed) unless the token has three Base64url parts,
// a JSON header with alg and kid, and JSON claims with sub, iss, and integer nbf and exp.
func Parse(token string) (Token, error) {
	t, _, _, err := split(token)
	return t, err
}

// split parses token into its Token, signing input and decoded signature.
func split(token string) (Token, string, []byte, error) {
	var t Token
	h, rest, ok1 := strings.Cut(token, ".")
	c, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(s, ".") {
		return t, "", nil, fmt.Errorf("%w: not three dot-separated parts", ErrMalformed)
	}
	hj, err1 := base64.RawURLEncoding.DecodeString(h)
	cj, err2 := base64.RawURLEncoding.DecodeString(c)
	sig, err3 := base64.RawURLEncoding.DecodeString(s)
	if err := errors.Join(err1, err2, err3); err != nil {
		return t, "", nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var hdr tokenHeader
	if err := json.Unmarshal(hj, &hdr); err != nil {
		return t, "", nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	var cl tokenClaims
	if err := json.Unmarshal(cj, &cl); err != nil {
		return t, "", nil, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	if hdr.Alg == "" || hdr.Kid == "" {
		return t, "", nil, fmt.Errorf("%w: header without alg or kid", ErrMalformed)
	}
	if cl.Sub == "" || cl.Iss == "" || cl.Nbf == nil || cl.Exp == nil {
		return t, "", nil, fmt.Errorf("%w: claims without sub, iss, nbf or exp", ErrMalformed)
	}
	nbf, err1 := cl.Nbf.Int64()
	exp, err2 := cl.Exp.Int64()
	if err := errors.Join(err1, err2); err != nil {
		return t, "", nil, fmt.Errorf("%w: nbf or exp is not an integer: %v", ErrMalformed, err)
	}
	t = Token{Alg: hdr.Alg, Kid: hdr.Kid, Nonce: hdr.Nonce, Typ: hdr.Typ,
		Sub: cl.Sub, Iss: cl.Iss, URI: cl.URI, Nbf: nbf, Exp: exp}
	return t, token[:len(h)+1+len(c)], sig, nil
}

// Verify parses token and verifies its signature with pub (an *ecdsa.PublicKey on P-256 or an
// ed25519.PublicKey). The header's alg must be the key's (ES256 or EdDSA): a token cannot
// choose its own verification. Claims are not checked: see Token.Check.
func Verify(token string, pub crypto.PublicKey) (Token, error) {
	t, signed, sig, err := split(token)
	if err != nil {
		return t, err
	}
	switch p := pub.(type) {
	case *ecdsa.PublicKey:
		if t.Alg != AlgES256 {
			return t, fmt.Errorf("%w: alg %q with an EC key", ErrAlgorithm, t.Alg)
		}
		if len(sig) != 64 {
			return t, fmt.Errorf("%w: ES256 signature of %d bytes (want 64)", ErrSignature, len(sig))
		}
		digest := sha256.Sum256([]byte(signed))
		r := new(big.Int).SetBytes(sig[:32])
		s := new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(p, digest[:], r, s) {
			return t, ErrSignature
		}
	case ed25519.PublicKey:
		if t.Alg != AlgEdDSA {
			return t, fmt.Errorf("%w: alg %q with an Ed25519 key", ErrAlgorithm, t.Alg)
		}
		if !ed25519.Verify(p, []byte(signed), sig) {
			return t, ErrSignature
		}
	default:
		return t, fmt.Errorf("%w: public key of type %T", ErrKey, pub)
	}
	return t, nil
}

// Check checks a verified token's claims the way the venue does: kid and sub are name; iss is
// Issuer (or LegacyIssuer); nbf - leeway <= now < exp + leeway (now and leeway in Unix
// seconds); and, when uri is not "" (a REST request), the uri claim is uri exactly.
func (t *Token) Check(name, uri string, now, leeway int64) error {
	switch {
	case t.Kid != name || t.Sub != name:
		return fmt.Errorf("%w: kid %q, sub %q, key %q", ErrSubject, t.Kid, t.Sub, name)
	case t.Iss != Issuer && t.Iss != LegacyIssuer:
		return fmt.Errorf("%w: %q", ErrIssuer, t.Iss)
	case now+leeway < t.Nbf:
		return fmt.Errorf("%w: nbf %d, now %d", ErrNotYetValid, t.Nbf, now)
	case now-leeway >= t.Exp:
		return fmt.Errorf("%w: exp %d, now %d", ErrExpired, t.Exp, now)
	case uri != "" && t.URI != uri:
		return fmt.Errorf("%w: %q, request %q", ErrURI, t.URI, uri)
	}
	return nil
}

// Request signing (venue specs sections 1.3 and 7.1): HMAC-SHA256 in hex for REST and the
// WebSocket API, and Ed25519 in base64 for the WebSocket API.
//
// # What is signed
//
//	REST (SIGNED endpoints)   the query string concatenated with the form body, no separator
//	                          (Binance's totalParams), exactly as sent: percent-encoded, without
//	                          the signature parameter, which is sent last.
//	WebSocket API             every request param except signature, sorted by name, joined as
//	                          name=value with '&'; values as sent, raw UTF-8, never percent-encoded.
//
// HMAC signatures are lowercase hex (the venue compares them case-insensitively); Ed25519
// signatures are standard base64 with padding.

package binance

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"slices"
)

// HexSignatureLen is the length of an HMAC-SHA256 signature in hex.
const HexSignatureLen = 2 * sha256.Size

// Ed25519SignatureLen is the length of an Ed25519 signature in standard base64.
const Ed25519SignatureLen = (ed25519.SignatureSize + 2) / 3 * 4

// HMAC signs Binance requests with one API secret: a keyed HMAC-SHA256 state reset per
// signature, so signing allocates nothing.
//
// Not safe for concurrent use: give each goroutine (each gateway connection) its own.
type HMAC struct {
	mac     hash.Hash
	sum     [sha256.Size]byte
	scratch [256]byte // gathers name=value pairs so the hash sees few large writes
}

// NewHMAC returns a signer keyed with secret (the API secret key as ASCII bytes). secret is
// copied; the caller may reuse it.
func NewHMAC(secret []byte) *HMAC {
	h := &HMAC{mac: hmac.New(sha256.New, secret)}
	h.mac.Reset() // the first Reset records the keyed state, so later ones allocate nothing
	return h
}

// digest computes the HMAC of the concatenation of parts into h.sum.
func (h *HMAC) digest(a, b []byte) []byte {
	h.mac.Reset()
	h.mac.Write(a)
	h.mac.Write(b)
	return h.mac.Sum(h.sum[:0])
}

// AppendSignature appends the lowercase hex HMAC-SHA256 of payload to dst and returns the
// extended slice. It allocates only when dst lacks HexSignatureLen bytes of capacity.
func (h *HMAC) AppendSignature(dst, payload []byte) []byte {
	return hex.AppendEncode(dst, h.digest(payload, nil))
}

// AppendRESTSignature appends the signature of a REST request whose query string (without '?')
// and form body are query and body, as sent and without the signature parameter: the HMAC of
// query followed directly by body. Either may be empty.
func (h *HMAC) AppendRESTSignature(dst, query, body []byte) []byte {
	return hex.AppendEncode(dst, h.digest(query, body))
}

// AppendParamsSignature sorts params by name (in place) and appends the signature of the
// WebSocket API payload they make (see AppendPayload), computed without building the payload.
//
// REQUIRES: params holds every request parameter except signature, apiKey included.
func (h *HMAC) AppendParamsSignature(dst []byte, params []Param) []byte {
	return hex.AppendEncode(dst, h.paramsDigest(params))
}

func (h *HMAC) paramsDigest(params []Param) []byte {
	SortParams(params)
	h.mac.Reset()
	b := h.scratch[:0]
	for i := range params {
		p := &params[i]
		if len(b)+len(p.Key)+len(p.Value)+2 > len(h.scratch) {
			h.mac.Write(b)
			b = h.scratch[:0]
		}
		if i > 0 {
			b = append(b, '&')
		}
		if len(p.Key)+len(p.Value)+1 > len(h.scratch) { // a pair too long to gather
			h.mac.Write(b)
			h.mac.Write(p.Key)
			h.mac.Write(append(h.scratch[:0], '='))
			h.mac.Write(p.Value)
			b = h.scratch[:0]
			continue
		}
		b = append(b, p.Key...)
		b = append(b, '=')
		b = append(b, p.Value...)
	}
	h.mac.Write(b)
	return h.mac.Sum(h.sum[:0])
}

// Verify reports whether signature (hex, either case) is the HMAC of payload, comparing in
// constant time.
func (h *HMAC) Verify(payload, signature []byte) bool {
	return h.verify(h.digest(payload, nil), signature)
}

// VerifyREST reports whether signature is the REST signature of query and body (see
// AppendRESTSignature).
func (h *HMAC) VerifyREST(query, body, signature []byte) bool {
	return h.verify(h.digest(query, body), signature)
}

// VerifyParams sorts params by name (in place) and reports whether signature is their WebSocket
// API signature.
func (h *HMAC) VerifyParams(params []Param, signature []byte) bool {
	return h.verify(h.paramsDigest(params), signature)
}

func (h *HMAC) verify(sum, signature []byte) bool {
	if len(signature) != HexSignatureLen {
		return false
	}
	var got [sha256.Size]byte
	if _, err := hex.Decode(got[:], signature); err != nil {
		return false
	}
	return hmac.Equal(sum, got[:])
}

// AppendSignature appends the lowercase hex HMAC-SHA256 of payload under secret: the one-shot
// form of HMAC.AppendSignature, which builds the keyed state each call (and allocates it).
func AppendSignature(dst, secret, payload []byte) []byte {
	return NewHMAC(secret).AppendSignature(dst, payload)
}

// Param is one WebSocket API request parameter: its name and its value as sent (a JSON string's
// contents, unescaped; a number's or a boolean's literal text). The slices are only read.
type Param struct {
	Key, Value []byte
}

// SortParams sorts params by name, byte-wise, in place, without allocating.
func SortParams(params []Param) {
	slices.SortFunc(params, func(a, b Param) int { return bytes.Compare(a.Key, b.Key) })
}

// AppendPayload sorts params by name (in place) and appends the WebSocket API signature
// payload name=value&name=value... to dst.
func AppendPayload(dst []byte, params []Param) []byte {
	SortParams(params)
	for i := range params {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, params[i].Key...)
		dst = append(dst, '=')
		dst = append(dst, params[i].Value...)
	}
	return dst
}

// Ed25519 signs WebSocket API requests with an Ed25519 private key (Binance's recommended key
// type; the venue holds the public key). Safe for concurrent use: it holds only the key.
type Ed25519 struct {
	key ed25519.PrivateKey
}

// ErrKey is wrapped by the errors of the key parsers and NewEd25519.
var ErrKey = errors.New("binance: invalid key")

// NewEd25519 returns a signer for key, which it keeps (the caller must not modify it).
func NewEd25519(key ed25519.PrivateKey) (*Ed25519, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: Ed25519 private key of %d bytes, want %d", ErrKey, len(key), ed25519.PrivateKeySize)
	}
	return &Ed25519{key: key}, nil
}

// AppendSignature appends the standard base64 Ed25519 signature of payload to dst. It allocates
// only when dst lacks Ed25519SignatureLen bytes of capacity.
func (s *Ed25519) AppendSignature(dst, payload []byte) []byte {
	var sig [ed25519.SignatureSize]byte
	copy(sig[:], ed25519.Sign(s.key, payload))
	return base64.StdEncoding.AppendEncode(dst, sig[:])
}

// VerifyEd25519 reports whether signature (standard base64) is pub's Ed25519 signature of
// payload.
func VerifyEd25519(pub ed25519.PublicKey, payload, signature []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(signature) != Ed25519SignatureLen {
		return false
	}
	var sig [ed25519.SignatureSize + 2]byte // base64 decoding needs room for the padding
	n, err := base64.StdEncoding.Decode(sig[:], signature)
	if err != nil || n != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, payload, sig[:n])
}

// ParseEd25519PrivateKey parses a PEM "PRIVATE KEY" block (PKCS #8, as Binance's key generator
// writes it) holding an Ed25519 key.
func ParseEd25519PrivateKey(pemData []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(pemData)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%w: no PEM PRIVATE KEY block", ErrKey)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: PKCS #8 key is %T, not Ed25519", ErrKey, k)
	}
	return ek, nil
}

// ParseEd25519PublicKey parses a PEM "PUBLIC KEY" block (PKIX) holding an Ed25519 key, the form
// a public key is registered with the venue in.
func ParseEd25519PublicKey(pemData []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(pemData)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("%w: no PEM PUBLIC KEY block", ErrKey)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	ek, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: PKIX key is %T, not Ed25519", ErrKey, k)
	}
	return ek, nil
}

// Request signing (venue specs sections 3.1 and 7.2): a Base64 HMAC-SHA256 of a prehash string,
// keyed with the API secret.
//
// # What is signed
//
//	REST               timestamp + METHOD + requestPath + body
//	                   timestamp: ISO-8601 UTC with milliseconds ("2020-12-08T09:08:57.715Z"),
//	                   the same text as the OK-ACCESS-TIMESTAMP header; METHOD upper case;
//	                   requestPath the path with its query string ("/api/v5/account/balance?ccy=BTC"),
//	                   exactly as sent; body the JSON body as sent ("" for GET).
//	WebSocket login    timestamp + "GET" + "/users/self/verify"
//	                   timestamp: Unix time in whole SECONDS ("1538054050"), the same text as the
//	                   login request's "timestamp" argument.
//
// The two timestamp spellings differ (ISO milliseconds for REST, Unix seconds for the WebSocket
// login); mixing them up is the classic cause of OKX's "Invalid Sign" (50113) and login failure
// (60009). The signature is standard Base64 with padding (44 bytes) and goes into OK-ACCESS-SIGN,
// or the login's "sign" argument.

package okx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"time"
)

// SignatureLen is the length of a signature: Base64 of a 32-byte HMAC-SHA256, with padding.
const SignatureLen = (sha256.Size + 2) / 3 * 4

// LoginPath and LoginMethod are what a WebSocket login signs after its timestamp.
const (
	LoginMethod = "GET"
	LoginPath   = "/users/self/verify"
)

// TimestampLen is the length of a REST timestamp ("2020-12-08T09:08:57.715Z").
const TimestampLen = len(timestampLayout)

// timestampLayout is the OK-ACCESS-TIMESTAMP format: ISO-8601, UTC, milliseconds.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// Signer signs OKX requests with one API secret: a keyed HMAC-SHA256 state reset per signature
// and a prehash buffer it reuses, so signing allocates nothing once the buffer has grown to the
// longest request.
//
// Not safe for concurrent use: give each goroutine (each gateway connection) its own.
type Signer struct {
	mac     hash.Hash
	sum     [sha256.Size]byte
	prehash []byte
}

// NewSigner returns a signer keyed with secret (the API secret key as ASCII bytes). secret is
// copied; the caller may reuse it.
func NewSigner(secret []byte) *Signer {
	s := &Signer{mac: hmac.New(sha256.New, secret), prehash: make([]byte, 0, 512)}
	s.mac.Reset() // the first Reset records the keyed state, so later ones allocate nothing
	return s
}

// AppendSignature appends the Base64 HMAC-SHA256 of prehash to dst and returns the extended
// slice. It allocates only when dst lacks SignatureLen bytes of capacity.
func (s *Signer) AppendSignature(dst, prehash []byte) []byte {
	s.mac.Reset()
	s.mac.Write(prehash)
	return base64.StdEncoding.AppendEncode(dst, s.mac.Sum(s.sum[:0]))
}

// AppendRESTSignature appends the OK-ACCESS-SIGN value of a REST request: timestamp is the
// OK-ACCESS-TIMESTAMP text (see AppendTimestamp), method the HTTP method in upper case,
// requestPath the path with its query string ("?" included) and body the request body, all
// exactly as sent (body empty for GET).
func (s *Signer) AppendRESTSignature(dst []byte, timestamp, method, requestPath string, body []byte) []byte {
	s.prehash = AppendRESTPrehash(s.prehash[:0], timestamp, method, requestPath, body)
	return s.AppendSignature(dst, s.prehash)
}

// AppendLoginSignature appends the "sign" argument of a WebSocket login whose "timestamp"
// argument is timestamp (Unix seconds as decimal text, see AppendLoginTimestamp).
func (s *Signer) AppendLoginSignature(dst []byte, timestamp string) []byte {
	s.prehash = AppendLoginPrehash(s.prehash[:0], timestamp)
	return s.AppendSignature(dst, s.prehash)
}

// AppendRESTPrehash appends the text a REST signature covers: timestamp + method + requestPath
// + body.
func AppendRESTPrehash(dst []byte, timestamp, method, requestPath string, body []byte) []byte {
	dst = append(dst, timestamp...)
	dst = append(dst, method...)
	dst = append(dst, requestPath...)
	return append(dst, body...)
}

// AppendLoginPrehash appends the text a WebSocket login signature covers: timestamp + "GET" +
// "/users/self/verify".
func AppendLoginPrehash(dst []byte, timestamp string) []byte {
	dst = append(dst, timestamp...)
	dst = append(dst, LoginMethod...)
	return append(dst, LoginPath...)
}

// AppendTimestamp appends the OK-ACCESS-TIMESTAMP text of t: ISO-8601 in UTC with milliseconds
// (truncated), "2020-12-08T09:08:57.715Z".
func AppendTimestamp(dst []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(dst, timestampLayout)
}

// ParseTimestamp parses an OK-ACCESS-TIMESTAMP text (as AppendTimestamp writes it; other
// fractions of a second are accepted too).
func ParseTimestamp(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

// AppendLoginTimestamp appends the WebSocket login timestamp of t: Unix time in whole seconds.
func AppendLoginTimestamp(dst []byte, t time.Time) []byte {
	u := t.Unix()
	if u < 0 {
		dst = append(dst, '-')
		u = -u
	}
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return append(dst, buf[i:]...)
}

// Equal reports whether two signatures are the same, in time independent of where they differ
// (for a verifier: compare what it computed with what it received).
func Equal(a, b []byte) bool { return hmac.Equal(a, b) }

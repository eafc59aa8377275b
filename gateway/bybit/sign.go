// Request signing (venue specs section 4 and Bybit's v5 integration guide): HMAC-SHA256 in
// lowercase hex for REST requests, the trade WebSocket's orders and the WebSocket "auth"
// operation.
//
// # What is signed
//
//	REST GET      timestamp + apiKey + recvWindow + queryString     (query exactly as sent, no '?')
//	REST POST     timestamp + apiKey + recvWindow + jsonBody        (raw body bytes exactly as sent)
//	WS auth       "GET/realtime" + expires                          (expires: ms, as the number sent)
//
// timestamp is X-BAPI-TIMESTAMP and recvWindow X-BAPI-RECV-WINDOW, both decimal milliseconds as
// sent in the headers (recvWindow may be empty when the header is omitted: it is then left out of
// the signed text as well). The signature travels in X-BAPI-SIGN; for the WebSocket it is the
// third element of {"op":"auth","args":[apiKey, expires, signature]}. The trade WebSocket
// (/v5/trade) is authenticated once per connection with the same auth operation; its orders carry
// X-BAPI-TIMESTAMP in a header object but no signature.
//
// There are no official test vectors for Bybit in the venue specs: the tests compute theirs with
// openssl and check the round trip.

package bybit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
)

// SignatureLen is the length of a signature: HMAC-SHA256 in hex.
const SignatureLen = 2 * sha256.Size

// DefaultRecvWindow is Bybit's recvWindow when X-BAPI-RECV-WINDOW is not sent, in ms.
const DefaultRecvWindow = 5000

// wsAuthPrefix is what the WebSocket auth signature signs before the expiry time.
const wsAuthPrefix = "GET/realtime"

// Signer signs and verifies the requests of one Bybit API key with its secret. It keeps a keyed
// HMAC-SHA256 state that is reset per signature and scratch space for the signed text, so signing
// and verifying allocate nothing once the scratch has grown to the largest request.
//
// Not safe for concurrent use: each goroutine (each gateway connection) needs its own.
type Signer struct {
	key []byte // the API key, part of the REST signed text
	mac hash.Hash
	sum [sha256.Size]byte
	buf []byte // scratch for the signed text
}

// NewSigner returns a signer for apiKey and its secret (the API secret as its ASCII bytes).
// secret is copied; the caller may reuse it.
func NewSigner(apiKey string, secret []byte) *Signer {
	s := &Signer{key: []byte(apiKey), mac: hmac.New(sha256.New, secret), buf: make([]byte, 0, 256)}
	s.mac.Reset() // the first Reset records the keyed states: later ones allocate nothing
	return s
}

// APIKey returns the API key the signer signs for.
func (s *Signer) APIKey() string { return string(s.key) }

// AppendRESTPayload appends the text a REST request signs to dst: timestamp, apiKey, recvWindow
// (omitted when negative: no X-BAPI-RECV-WINDOW header) and params (the query string of a GET,
// the JSON body of a POST). It allocates only when dst lacks capacity.
func AppendRESTPayload(dst []byte, timestamp int64, apiKey string, recvWindow int64, params []byte) []byte {
	dst = strconv.AppendInt(dst, timestamp, 10)
	dst = append(dst, apiKey...)
	if recvWindow >= 0 {
		dst = strconv.AppendInt(dst, recvWindow, 10)
	}
	return append(dst, params...)
}

// AppendWSAuthPayload appends the text the WebSocket auth operation signs: "GET/realtime"
// followed by expires (ms).
func AppendWSAuthPayload(dst []byte, expires int64) []byte {
	dst = append(dst, wsAuthPrefix...)
	return strconv.AppendInt(dst, expires, 10)
}

// AppendSignature appends the lowercase hex HMAC-SHA256 of payload to dst and returns the
// extended slice. It allocates only when dst lacks SignatureLen bytes of capacity.
func (s *Signer) AppendSignature(dst, payload []byte) []byte {
	return hex.AppendEncode(dst, s.digest(payload))
}

// AppendREST appends the X-BAPI-SIGN of a REST request with this key: see AppendRESTPayload
// (recvWindow < 0: the header is not sent).
func (s *Signer) AppendREST(dst []byte, timestamp, recvWindow int64, params []byte) []byte {
	b := strconv.AppendInt(s.buf[:0], timestamp, 10)
	b = append(b, s.key...)
	if recvWindow >= 0 {
		b = strconv.AppendInt(b, recvWindow, 10)
	}
	s.buf = append(b, params...)
	return hex.AppendEncode(dst, s.digest(s.buf))
}

// AppendWSAuth appends the signature of the WebSocket auth operation for expires (ms).
func (s *Signer) AppendWSAuth(dst []byte, expires int64) []byte {
	s.buf = AppendWSAuthPayload(s.buf[:0], expires)
	return hex.AppendEncode(dst, s.digest(s.buf))
}

// Verify reports whether signature (hex, either case) is the HMAC-SHA256 of payload, comparing
// in constant time.
func (s *Signer) Verify(payload, signature []byte) bool {
	return s.verify(s.digest(payload), signature)
}

// VerifyREST reports whether signature is the REST signature of a request with this key whose
// headers carried timestamp and recvWindow (their text as sent; recvWindow empty when the header
// was absent) and whose query string or JSON body is params.
func (s *Signer) VerifyREST(timestamp, recvWindow, params, signature []byte) bool {
	b := append(s.buf[:0], timestamp...)
	b = append(b, s.key...)
	b = append(b, recvWindow...)
	b = append(b, params...)
	s.buf = b
	return s.verify(s.digest(b), signature)
}

// VerifyWSAuth reports whether signature is the auth signature for expires (the number's text
// as sent).
func (s *Signer) VerifyWSAuth(expires, signature []byte) bool {
	b := append(s.buf[:0], wsAuthPrefix...)
	b = append(b, expires...)
	s.buf = b
	return s.verify(s.digest(b), signature)
}

// digest computes the HMAC of payload into s.sum.
func (s *Signer) digest(payload []byte) []byte {
	s.mac.Reset()
	s.mac.Write(payload)
	return s.mac.Sum(s.sum[:0])
}

// verify compares sum with the hex signature in constant time (for a signature of the right
// length).
func (s *Signer) verify(sum, signature []byte) bool {
	if len(signature) != SignatureLen {
		return false
	}
	var got [sha256.Size]byte
	if _, err := hex.Decode(got[:], signature); err != nil {
		return false
	}
	return hmac.Equal(got[:], sum)
}

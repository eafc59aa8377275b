// HMAC signing of the legacy Exchange protocols (venue specs sections 5 and 7.3).
//
//   - Exchange REST: CB-ACCESS-SIGN, Base64(HMAC-SHA256(Base64Decode(secret),
//     timestamp + method + requestPath + body)).
//   - Exchange FIX 5.0 Logon: RawData (96), Base64(HMAC-SHA256(Base64Decode(secret),
//     SendingTime␁MsgType␁MsgSeqNum␁SenderCompID␁TargetCompID␁Passphrase)), ␁ = 0x01, no
//     trailing separator.
//
// Both are deterministic and tested against the venue specs' vectors.

package coinbase

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
)

// SignatureLen is the length of a CB-ACCESS-SIGN or FIX RawData value: Base64 of 32 bytes.
const SignatureLen = 44

// fixSep is the FIX field separator the Logon prehash joins its fields with.
const fixSep = 0x01

// ErrSecret is wrapped by the error NewSigner returns for a secret that is not Base64.
var ErrSecret = errors.New("coinbase: API secret is not valid Base64")

// AppendRESTPrehash appends the Exchange REST prehash timestamp + method + requestPath + body to
// dst and returns the extended slice. timestamp is the CB-ACCESS-TIMESTAMP header (Unix seconds,
// "1692736860"); method is upper case ("POST"); requestPath includes the query string, if any;
// body is the exact request body ("" for GET).
func AppendRESTPrehash(dst []byte, timestamp, method, requestPath string, body []byte) []byte {
	dst = append(dst, timestamp...)
	dst = append(dst, method...)
	dst = append(dst, requestPath...)
	return append(dst, body...)
}

// AppendFIXLogonPrehash appends the FIX Logon prehash
// SendingTime␁MsgType␁MsgSeqNum␁SenderCompID␁TargetCompID␁Passphrase (no trailing separator) to
// dst and returns the extended slice. The values are the Logon's own fields 52, 35, 34, 49, 56
// and 554, exactly as they appear on the wire.
func AppendFIXLogonPrehash(dst []byte, sendingTime, msgType, msgSeqNum, senderCompID, targetCompID, passphrase string) []byte {
	dst = append(dst, sendingTime...)
	dst = append(dst, fixSep)
	dst = append(dst, msgType...)
	dst = append(dst, fixSep)
	dst = append(dst, msgSeqNum...)
	dst = append(dst, fixSep)
	dst = append(dst, senderCompID...)
	dst = append(dst, fixSep)
	dst = append(dst, targetCompID...)
	dst = append(dst, fixSep)
	return append(dst, passphrase...)
}

// Signer computes the venue's HMAC signatures with one API secret. It keeps the keyed HMAC state
// and a scratch buffer, so signing allocates nothing once the scratch has grown to the longest
// prehash.
//
// A Signer is owned by one goroutine (the gateway's); it is not safe for concurrent use.
type Signer struct {
	mac hash.Hash
	sum [sha256.Size]byte
	buf []byte // prehash scratch, reused
}

// NewSigner returns a Signer for secret, the API secret as the venue hands it out (Base64 of the
// HMAC key).
func NewSigner(secret string) (*Signer, error) {
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSecret, err)
	}
	if len(key) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrSecret)
	}
	return &Signer{mac: hmac.New(sha256.New, key), buf: make([]byte, 0, 256)}, nil
}

// AppendSign appends Base64(HMAC-SHA256(key, prehash)) (SignatureLen bytes) to dst and returns
// the extended slice. prehash is only read during the call.
func (s *Signer) AppendSign(dst, prehash []byte) []byte {
	s.mac.Reset()
	s.mac.Write(prehash)
	sum := s.mac.Sum(s.sum[:0])
	return base64.StdEncoding.AppendEncode(dst, sum)
}

// AppendRESTSign appends the CB-ACCESS-SIGN header value of an Exchange REST request (see
// AppendRESTPrehash for the arguments).
func (s *Signer) AppendRESTSign(dst []byte, timestamp, method, requestPath string, body []byte) []byte {
	s.buf = AppendRESTPrehash(s.buf[:0], timestamp, method, requestPath, body)
	return s.AppendSign(dst, s.buf)
}

// AppendFIXRawData appends the FIX Logon RawData (96) value (see AppendFIXLogonPrehash for the
// arguments); RawDataLength (95) is SignatureLen.
func (s *Signer) AppendFIXRawData(dst []byte, sendingTime, msgType, msgSeqNum, senderCompID, targetCompID, passphrase string) []byte {
	s.buf = AppendFIXLogonPrehash(s.buf[:0], sendingTime, msgType, msgSeqNum, senderCompID, targetCompID, passphrase)
	return s.AppendSign(dst, s.buf)
}

package binance

import (
	"crypto/ed25519"
	"fmt"
	"strconv"
	"sync"

	"ems/core/fixed"
	gw "ems/gateway/binance"
	"ems/sim"
)

// credential is an API key the venue accepts: an HMAC secret, or an Ed25519 public key when the
// key's PublicKeyPEM holds one (Binance's Ed25519 keys; the venue never sees the private key).
type credential struct {
	key     string
	account uint32

	mu   sync.Mutex // guards hmac, whose state is reused per signature
	hmac *gw.HMAC
	ed   ed25519.PublicKey
}

func newCredential(k sim.APIKey) (*credential, error) {
	c := &credential{key: k.Key, account: k.Account}
	if k.PublicKeyPEM != "" {
		pub, err := gw.ParseEd25519PublicKey([]byte(k.PublicKeyPEM))
		if err != nil {
			return nil, fmt.Errorf("binance: key %q: public_key_pem: %w", k.Key, err)
		}
		c.ed = pub
		return c, nil
	}
	c.hmac = gw.NewHMAC([]byte(k.Secret))
	return c, nil
}

// verifyREST reports whether sig signs the REST payload query+body (both as sent, without the
// signature parameter).
func (c *credential) verifyREST(query, body, sig []byte) bool {
	if c.ed != nil {
		payload := make([]byte, 0, len(query)+len(body))
		payload = append(append(payload, query...), body...)
		return gw.VerifyEd25519(c.ed, payload, sig)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hmac.VerifyREST(query, body, sig)
}

// verifyParams reports whether sig signs the WebSocket API params (every param but signature),
// which it sorts in place.
func (c *credential) verifyParams(params []gw.Param, sig []byte) bool {
	if c.ed != nil {
		return gw.VerifyEd25519(c.ed, gw.AppendPayload(nil, params), sig)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hmac.VerifyParams(params, sig)
}

// Timing security (venue specs 1.3): a signed request is accepted iff
// timestamp < serverTime + 1000 ms and serverTime - timestamp <= recvWindow.
const (
	defaultRecvWindowUs = 5_000_000
	maxRecvWindowMs     = 60_000
	aheadLimitUs        = 1_000_000
	// microsFrom: a timestamp at or above this is in microseconds (Binance accepts both; a
	// millisecond timestamp stays below it until the year 5138).
	microsFrom = 100_000_000_000_000
)

// checkTimestamp applies the timing rule to the timestamp and recvWindow parameters (recvWindow
// may be "" and may carry up to three decimals, microseconds).
func (s *Server) checkTimestamp(ts, recvWindow string) *apiError {
	if ts == "" {
		return errMandatory("timestamp")
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || t <= 0 {
		return errIllegal("timestamp", "^[0-9]{1,20}$")
	}
	if t < microsFrom {
		t *= 1000
	}
	window := int64(defaultRecvWindowUs)
	if recvWindow != "" {
		w, err := fixed.ParseString(recvWindow, 3)
		if err != nil || w <= 0 {
			return errIllegal("recvWindow", `^[0-9]{1,20}(\.[0-9]{1,3})?$`)
		}
		if w > maxRecvWindowMs*1000 {
			return errTooLarge("recvWindow", maxRecvWindowMs)
		}
		window = w
	}
	now := s.v.Now() / 1000
	switch {
	case t >= now+aheadLimitUs:
		return errTSAhead
	case now-t > window:
		return errTSWindow
	}
	return nil
}

// keyOf returns the credential of API key key: -2014 for an empty or malformed key, -2015 for
// one the venue does not know.
func (s *Server) keyOf(key string) (*credential, *apiError) {
	if key == "" || len(key) > 256 {
		return nil, errKeyFormat
	}
	c, ok := s.creds[key]
	if !ok {
		return nil, errKeyRejected
	}
	return c, nil
}

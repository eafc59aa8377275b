package coinbase

import (
	"crypto"
	"errors"
	"net/http"
	"strings"
	"time"

	cbgw "ems/gateway/coinbase"
)

// Authentication (venue specs section 5). REST: "Authorization: Bearer <JWT>", one token per
// request, whose uri claim is "<METHOD> <Host header><path>" of the request (no query string);
// WebSocket: the subscribe message's "jwt", without uri. The token's kid names the key; the
// signature is verified with the key's public key (ES256 for EC P-256 keys, EdDSA for Ed25519),
// then kid = sub = key name, iss = "cdp" (or the older SDKs' "coinbase-cloud"), and the venue's
// clock inside [nbf, exp) give or take Options.ClockSkew. Verification is the gateway's own
// code (ems/gateway/coinbase), so the simulator checks exactly what the gateway signs.

// apiKey is a key the venue accepts.
type apiKey struct {
	name    string
	pub     crypto.PublicKey
	account uint32
}

// errNoBearer: the request has no bearer token.
var errNoBearer = errors.New("missing Authorization: Bearer token")

// errUnknownKey: the token's kid is not a key of the venue.
var errUnknownKey = errors.New("unknown API key")

// verify checks token for a request with uri ("" for WebSocket) and returns its key.
func (s *Server) verify(token, uri string) (*apiKey, error) {
	t, err := cbgw.Parse(token)
	if err != nil {
		return nil, err
	}
	k := s.keys[t.Kid]
	if k == nil {
		return nil, errUnknownKey
	}
	if t, err = cbgw.Verify(token, k.pub); err != nil {
		return nil, err
	}
	if err := t.Check(k.name, uri, s.nowSeconds(), int64(s.opts.ClockSkew/time.Second)); err != nil {
		return nil, err
	}
	return k, nil
}

// authREST authenticates r.
func (s *Server) authREST(r *http.Request) (*apiKey, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return nil, errNoBearer
	}
	uri := string(cbgw.AppendURI(nil, r.Method, r.Host, r.URL.Path))
	return s.verify(strings.TrimSpace(token), uri)
}

// authWS authenticates a WebSocket token and returns its account.
func (s *Server) authWS(token string) (uint32, error) {
	if token == "" {
		return 0, errors.New("the user channel needs a jwt")
	}
	k, err := s.verify(token, "")
	if err != nil {
		return 0, err
	}
	return k.account, nil
}

package okx

import (
	"net/http"
	"time"

	gw "ems/gateway/okx"
	"ems/sim"
)

// authREST verifies the OK-ACCESS-* headers of a private REST request whose body is body and
// returns its key. The signature is checked over timestamp + METHOD + request path with query
// (as sent) + body, with the gateway's signing code; the timestamp must be within MaxSkew of
// the venue's clock.
func (s *Server) authREST(r *http.Request, body []byte) (sim.APIKey, *okxError) {
	h := r.Header
	key, sign, ts, pass := h.Get("OK-ACCESS-KEY"), h.Get("OK-ACCESS-SIGN"), h.Get("OK-ACCESS-TIMESTAMP"), h.Get("OK-ACCESS-PASSPHRASE")
	fail := func(e okxError) (sim.APIKey, *okxError) { return sim.APIKey{}, &e }
	switch {
	case key == "":
		return fail(errNoKey)
	case sign == "":
		return fail(errNoSign)
	case ts == "":
		return fail(errNoTimestamp)
	case pass == "":
		return fail(errNoPassphrase)
	}
	k, ok := s.keys[key]
	if !ok {
		return fail(errBadKey)
	}
	t, err := gw.ParseTimestamp(ts)
	if err != nil {
		return fail(errBadTimestamp)
	}
	if skew := s.opts.MaxSkew; skew > 0 {
		d := time.Duration(s.v.Now() - t.UnixNano())
		if d > skew || d < -skew {
			return fail(errTSExpired)
		}
	}
	if pass != k.Passphrase {
		return fail(errPassphrase)
	}
	want := gw.NewSigner([]byte(k.Secret)).AppendRESTSignature(nil, ts, r.Method, r.RequestURI, body)
	if !gw.Equal(want, []byte(sign)) {
		return fail(errBadSign)
	}
	return k, nil
}

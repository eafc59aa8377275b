package binance

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// params are a request's parameters by name: a REST request's query and form body merged (a name
// in both takes the query's value, as on Binance), or a WebSocket API request's params.
type params map[string]string

// restParams is a REST request's parameters and the raw text a signature covers.
type restParams struct {
	vals params
	// query and body as sent, without the signature parameter: the signed payload is
	// query + body (Binance's totalParams).
	query, body string
	signature   string // the signature parameter, URL-decoded; "" when absent

	usedWeight, orderCount int64 // the limits' counts after this request (0: not charged)
}

// maxBody bounds a REST request body.
const maxBody = 64 << 10

// readParams reads the query string and, for POST, PUT and DELETE, the form body.
func readParams(r *http.Request) (*restParams, *apiError) {
	p := &restParams{vals: params{}}
	var sigQ, sigB string
	var inQ, inB bool
	p.query, sigQ, inQ = stripParam(r.URL.RawQuery, "signature")
	if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodDelete {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(b) > maxBody {
			return nil, errBadBody
		}
		p.body, sigB, inB = stripParam(string(b), "signature")
	}
	switch {
	case inQ && inB:
		return nil, errDuplicate
	case inQ:
		p.signature = sigQ
	case inB:
		p.signature = sigB
	}
	if p.signature != "" {
		s, err := url.QueryUnescape(p.signature)
		if err != nil {
			return nil, errIllegal("signature", "^[A-Za-z0-9+/=]{1,256}$")
		}
		p.signature = s
	}
	for _, raw := range []string{p.body, p.query} { // the query overrides the body
		v, err := url.ParseQuery(raw)
		if err != nil {
			return nil, errIllegalAny
		}
		for k, vs := range v {
			if len(vs) > 1 {
				return nil, errDuplicate
			}
			p.vals[k] = vs[0]
		}
	}
	return p, nil
}

// stripParam removes the first name=value component of a raw query or form text and returns the
// rest (its other components joined as they were), the raw value, and whether it was present.
func stripParam(raw, name string) (rest, value string, found bool) {
	i := 0
	for i <= len(raw) {
		j := strings.IndexByte(raw[i:], '&')
		end := len(raw)
		if j >= 0 {
			end = i + j
		}
		comp := raw[i:end]
		if k, v, ok := strings.Cut(comp, "="); ok && k == name {
			switch {
			case i == 0 && end == len(raw):
				rest = ""
			case i == 0:
				rest = raw[end+1:]
			default:
				rest = raw[:i-1] + raw[end:]
			}
			return rest, v, true
		}
		if j < 0 {
			break
		}
		i = end + 1
	}
	return raw, "", false
}

// authenticate checks a SIGNED REST request: the X-MBX-APIKEY header names a known key, the
// signature signs query+body, and the timestamp passes the timing rule.
func (s *Server) authenticate(r *http.Request, p *restParams) (*credential, *apiError) {
	c, e := s.keyOf(r.Header.Get("X-MBX-APIKEY"))
	if e != nil {
		return nil, e
	}
	if p.signature == "" {
		return nil, errMandatory("signature")
	}
	if !c.verifyREST([]byte(p.query), []byte(p.body), []byte(p.signature)) {
		return nil, errSignature
	}
	if e := s.checkTimestamp(p.vals["timestamp"], p.vals["recvWindow"]); e != nil {
		return nil, e
	}
	return c, nil
}

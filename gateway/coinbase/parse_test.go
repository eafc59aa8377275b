package coinbase

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"ems/core/event"
)

// answers returns testdata/answers.tsv: answers of the simulator (sim/coinbase) to the
// gateway's requests, captured on loopback, by name.
func answers(t testing.TB) map[string][]byte {
	t.Helper()
	f, err := os.Open("testdata/answers.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]byte{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		name, body, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			out[name] = []byte(body)
		}
	}
	return out
}

func TestParseCreate(t *testing.T) {
	a := answers(t)
	tests := []struct {
		name   string
		status int
		body   []byte
		ok     bool
		code   string
		reason event.RejectReason
	}{
		{"create-ok", 200, a["create-ok"], true, "", 0},
		{"create-min-notional", 200, a["create-min-notional"], false, "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL", event.RejectMinNotional},
		{"create-off-tick", 200, a["create-off-tick"], false, "INVALID_PRICE_PRECISION", event.RejectPriceFilter},
		{"create-off-lot", 200, a["create-off-lot"], false, "INVALID_SIZE_PRECISION", event.RejectQtyFilter},
		{"create-unknown-product", 200, a["create-unknown-product"], false, "INVALID_PRODUCT_ID", event.RejectUnknownSymbol},
		{"post-only", 200, []byte(`{"success":false,"error_response":{"error":"INVALID_LIMIT_PRICE_POST_ONLY","preview_failure_reason":"PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY"}}`),
			false, "INVALID_LIMIT_PRICE_POST_ONLY", event.RejectPostOnly},
		{"insufficient-funds", 200, []byte(`{"success":false,"error_response":{"error":"INSUFFICIENT_FUND","preview_failure_reason":"PREVIEW_INSUFFICIENT_FUND"}}`),
			false, "INSUFFICIENT_FUND", event.RejectInsufficientFund},
		{"unknown-code", 200, []byte(`{"success":false,"error_response":{"error":"SOMETHING_NEW"}}`), false, "", event.RejectUnknown},
		{"unauthenticated", 401, a["unauthenticated"], false, "UNAUTHENTICATED", event.RejectAuth},
		{"throttled-json", 429, []byte(`{"error":"RESOURCE_EXHAUSTED","message":"Too many requests"}`), false, "RESOURCE_EXHAUSTED", event.RejectRateLimit},
		{"throttled-html", 429, []byte(`<html>Too Many Requests</html>`), false, "", event.RejectRateLimit},
		{"server-error", 503, nil, false, "", event.RejectVenueUnavailable},
	}
	p := NewParser()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.body) == 0 && tc.status == 200 {
				t.Fatal("no payload")
			}
			r, err := p.ParseCreate(tc.status, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK != tc.ok || r.Failure.Reason != tc.reason || CodeName(r.Failure.VenueCode) != tc.code {
				t.Fatalf("got %+v (code %q)", r, CodeName(r.Failure.VenueCode))
			}
			if tc.ok && (string(r.VenueOrder) != "00000001-0000-4000-8000-000000000191" || string(r.ClientID) != "capx1") {
				t.Fatalf("ids %s %s", r.VenueOrder, r.ClientID)
			}
		})
	}
	if _, err := p.ParseCreate(200, []byte(`{"success":true}`)); err == nil {
		t.Fatal("success without order_id accepted")
	}
	if _, err := p.ParseCreate(200, []byte(`{`)); err == nil {
		t.Fatal("malformed answer accepted")
	}
}

func TestParseCancel(t *testing.T) {
	a := answers(t)
	p := NewParser()
	rs, _, err := p.ParseCancel(200, a["cancel-unknown"])
	if err != nil || len(rs) != 1 || rs[0].OK || rs[0].Failure.Reason != event.RejectUnknownOrder ||
		CodeName(rs[0].Failure.VenueCode) != "UNKNOWN_CANCEL_ORDER" {
		t.Fatalf("%+v %v", rs, err)
	}
	rs, _, err = p.ParseCancel(200, a["cancel-ok"])
	if err != nil || len(rs) != 1 || !rs[0].OK || string(rs[0].VenueOrder) != "00000001-0000-4000-8000-000000000192" {
		t.Fatalf("%+v %v", rs, err)
	}
	_, f, err := p.ParseCancel(429, []byte(`{"error":"RESOURCE_EXHAUSTED"}`))
	if err != nil || f.Reason != event.RejectRateLimit {
		t.Fatalf("%+v %v", f, err)
	}
}

func TestParseUser(t *testing.T) {
	a := answers(t)
	p := NewParser()
	tests := []struct {
		name     string
		kind     UserKind
		snapshot bool
		seq      int64
		orders   int
		status   OrderStatus
		cum      string
	}{
		{"ws-1", UserOrders, true, 0, 0, 0, ""},
		{"ws-2", UserSubscriptions, false, 1, 0, 0, ""},
		{"ws-3", UserOrders, false, 2, 1, StatusOpen, "0"},
		{"ws-4", UserOrders, false, 3, 1, StatusOpen, "0.10546875"},
		{"ws-6", UserOrders, false, 5, 1, StatusCancelled, "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := p.ParseUser(a[tc.name])
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != tc.kind || m.Snapshot != tc.snapshot || m.Seq != tc.seq || len(m.Orders) != tc.orders {
				t.Fatalf("%+v", m)
			}
			if tc.orders > 0 {
				o := m.Orders[0]
				if o.Status != tc.status || string(o.CumQty) != tc.cum || len(o.VenueOrder) != 36 || len(o.ClientID) == 0 {
					t.Fatalf("%+v", o)
				}
				if id, ok := ClientOrder("cap", o.ClientID); !ok || id == 0 {
					t.Fatalf("client id %s", o.ClientID)
				}
			}
		})
	}
	m, err := p.ParseUser([]byte(`{"type":"error","message":"authentication failure"}`))
	if err != nil || m.Kind != UserError || string(m.Text) != "authentication failure" {
		t.Fatalf("%+v %v", m, err)
	}
}

func TestParseFillsAndOrders(t *testing.T) {
	a := answers(t)
	p := NewParser()
	fs, _, err := p.ParseFills(200, a["fills"])
	if err != nil || len(fs) != 1 {
		t.Fatalf("%+v %v", fs, err)
	}
	f := fs[0]
	if f.TradeID != 1 || string(f.Price) != "68013.61" || string(f.Size) != "0.10546875" || string(f.Commission) != "86.07" ||
		f.Liquidity != event.LiquidityTaker || string(f.VenueOrder) != "00000001-0000-4000-8000-000000000191" {
		t.Fatalf("%+v", f)
	}
	os, _, err := p.ParseOrders(200, a["orders"])
	if err != nil || len(os) == 0 || os[0].Status != StatusOpen || string(os[0].ClientID) != "capx2" || string(os[0].CumQty) != "0" {
		t.Fatalf("%+v %v", os, err)
	}
}

// TestCodes: the code list has no duplicates and CodeOf / CodeName are inverse.
func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i, c := range codes {
		if seen[c.name] {
			t.Fatalf("%s listed twice", c.name)
		}
		seen[c.name] = true
		if n, r := CodeOf([]byte(c.name)); n != int64(i+1) || r != c.reason || CodeName(n) != c.name {
			t.Fatalf("%s: %d %s", c.name, n, r)
		}
	}
	if n, r := CodeOf([]byte("NOPE")); n != 0 || r != event.RejectUnknown || CodeName(0) != "" || CodeName(999) != "" {
		t.Fatal("unknown code")
	}
}

// FuzzParse: no answer makes a parser panic.
func FuzzParseAnswers(f *testing.F) {
	for _, b := range answers(f) {
		f.Add(b)
	}
	p := NewParser()
	f.Fuzz(func(t *testing.T, b []byte) {
		p.ParseCreate(200, b)
		p.ParseCancel(200, b)
		p.ParseUser(b)
		p.ParseFills(200, b)
		p.ParseOrders(200, b)
		p.ParseCreate(400, b)
	})
}

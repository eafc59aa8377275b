package coinbase

import (
	"bytes"
	"strings"
	"testing"

	"ems/core/event"
)

const testVenueOrder = "00000001-0000-4000-8000-000000000191"

func TestEditBody(t *testing.T) {
	tests := []struct {
		name string
		r    event.Replace
		want string
		err  error
	}{
		{"price-and-size", event.Replace{Order: 42, Price: 6_800_001, Qty: 200_000},
			`{"order_id":"` + testVenueOrder + `","price":"68000.01","size":"0.002"}`, nil},
		{"new-order-unused", event.Replace{Order: 42, Price: 6_800_000, Qty: 100_000_000, NewOrder: 43},
			`{"order_id":"` + testVenueOrder + `","price":"68000","size":"1"}`, nil},
		{"zero-qty", event.Replace{Order: 1, Price: 1}, "", ErrQty},
		{"zero-price", event.Replace{Order: 1, Qty: 1}, "", ErrPrice},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AppendEditBody(nil, []byte(testVenueOrder), &tc.r, &btcListing)
			if err != tc.err || (err == nil && string(got) != tc.want) {
				t.Fatalf("got %s, %v; want %s, %v", got, err, tc.want, tc.err)
			}
		})
	}
}

// TestEditRequest: the edit request is a POST to orders/edit with its body and a JWT.
func TestEditRequest(t *testing.T) {
	e := testEncoder(t)
	r := event.Replace{Order: 42, Price: 6_800_001, Qty: 200_000}
	req, err := e.AppendEdit(nil, []byte(testVenueOrder), &r, &btcListing, 1_700_000_000)
	if err != nil {
		t.Fatal(err)
	}
	head, body, ok := bytes.Cut(req, []byte("\r\n\r\n"))
	if !ok || !bytes.HasPrefix(head, []byte("POST /api/v3/brokerage/orders/edit HTTP/1.1\r\nHost: api.coinbase.com\r\nAuthorization: Bearer ")) ||
		!bytes.Contains(head, []byte("Content-Length: 85")) || string(body) != `{"order_id":"`+testVenueOrder+`","price":"68000.01","size":"0.002"}` {
		t.Fatalf("request %q", req)
	}
	if _, err := e.AppendEdit(nil, []byte(testVenueOrder), &event.Replace{Price: 1}, &btcListing, 1); err != ErrQty {
		t.Fatalf("zero qty: %v", err)
	}
}

var editAnswers = map[string]string{
	"ok":           `{"success":true,"errors":[]}`,
	"not-found":    `{"success":false,"errors":[{"edit_failure_reason":"ORDER_NOT_FOUND"}]}`,
	"below-filled": `{"success":false,"errors":[{"edit_failure_reason":"CANNOT_EDIT_TO_BELOW_FILLED_SIZE","preview_failure_reason":"UNKNOWN_PREVIEW_FAILURE_REASON"}]}`,
	"price":        `{"success":false,"errors":[{"edit_failure_reason":"INVALID_EDITED_PRICE","preview_failure_reason":"PREVIEW_INVALID_PRICE_PRECISION"}]}`,
	"size":         `{"success":false,"errors":[{"edit_failure_reason":"INVALID_EDITED_SIZE"}]}`,
	"post-only":    `{"success":false,"errors":[{"edit_failure_reason":"UNKNOWN_EDIT_ORDER_FAILURE_REASON","preview_failure_reason":"PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY"}]}`,
	"only-limit":   `{"success":false,"errors":[{"edit_failure_reason":"ONLY_LIMIT_ORDER_EDITS_SUPPORTED"}]}`,
	"new-code":     `{"success":false,"errors":[{"edit_failure_reason":"SOMETHING_NEW"}]}`,
	"no-errors":    `{"success":false,"errors":[]}`,
	"http-401":     `{"error":"UNAUTHENTICATED","error_details":"x","message":"x"}`,
}

func TestParseEdit(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ok     bool
		code   string
		reason event.RejectReason
	}{
		{"ok", 200, true, "", 0},
		{"not-found", 200, false, "ORDER_NOT_FOUND", event.RejectUnknownOrder},
		{"below-filled", 200, false, "CANNOT_EDIT_TO_BELOW_FILLED_SIZE", event.RejectQtyFilter},
		{"price", 200, false, "INVALID_EDITED_PRICE", event.RejectPriceFilter},
		{"size", 200, false, "INVALID_EDITED_SIZE", event.RejectQtyFilter},
		{"post-only", 200, false, "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY", event.RejectPostOnly},
		{"only-limit", 200, false, "ONLY_LIMIT_ORDER_EDITS_SUPPORTED", event.RejectInvalidRequest},
		{"new-code", 200, false, "SOMETHING_NEW", event.RejectUnknown},
		{"no-errors", 200, false, "", event.RejectUnknown},
		{"http-401", 401, false, "UNAUTHENTICATED", event.RejectAuth},
	}
	p := NewParser()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := p.ParseEdit(tc.status, []byte(editAnswers[tc.name]))
			if err != nil || res.OK != tc.ok || string(res.Failure.Code) != tc.code || res.Failure.Reason != tc.reason {
				t.Fatalf("got %+v (%s), %v", res, res.Failure.Code, err)
			}
			if tc.code != "" && tc.code != "SOMETHING_NEW" && CodeName(res.Failure.VenueCode) != tc.code {
				t.Fatalf("VenueCode %d names %q", res.Failure.VenueCode, CodeName(res.Failure.VenueCode))
			}
		})
	}
	for _, bad := range []string{"", "{", `{"errors":[]}`, strings.Repeat("[", 3)} {
		if _, err := p.ParseEdit(200, []byte(bad)); err == nil {
			t.Fatalf("ParseEdit(%q) accepted", bad)
		}
	}
}

// BenchmarkEdit measures the orders/edit body and the parse of its answers; the baseline is the
// create-order body beside it.
func BenchmarkEdit(b *testing.B) {
	e := testEncoder(b)
	r := event.Replace{Order: 42, Price: 6_800_001, Qty: 200_000}
	o := event.Order{Order: 42, Price: 6_800_001, Qty: 200_000, Side: event.SideBuy}
	vid := []byte(testVenueOrder)
	dst := make([]byte, 0, 512)
	b.Run("op=edit-body", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			dst, _ = AppendEditBody(dst[:0], vid, &r, &btcListing)
			if len(dst) != 85 {
				b.Fatal("bad body")
			}
		}
		b.SetBytes(int64(len(dst)))
	})
	b.Run("op=order-body-baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if dst, err = e.AppendOrderBody(dst[:0], &o, &btcListing); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(dst)))
	})
	p := NewParser()
	for _, name := range []string{"ok", "post-only"} {
		ans := []byte(editAnswers[name])
		b.Run("op=parse/answer="+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(ans)))
			for b.Loop() {
				res, err := p.ParseEdit(200, ans)
				if err != nil || res.OK != (name == "ok") {
					b.Fatal("bad parse", err)
				}
			}
		})
	}
}

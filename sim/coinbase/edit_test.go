package coinbase

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const editPath = "/api/v3/brokerage/orders/edit"

func editBody(id, price, size string) string {
	return fmt.Sprintf(`{"order_id":%q,"price":%q,"size":%q}`, id, price, size)
}

// TestEditOrder: a resting GTC buy is edited in price and size; the answer is success, the order
// keeps its id and client order id, the user channel reports the new limit_price and leaves, and
// the history shows the new configuration on the new level of the book.
func TestEditOrder(t *testing.T) {
	f := newFixture(t, nil, Options{})
	const sym = "BTC-USDT"
	l := f.market(sym).Listing
	w := f.dial()
	w.subscribe(chUser, f.keys[0], sym)
	w.until(chUser, nil) // snapshot
	bids, _ := f.depth(sym)
	p1 := bids[len(bids)-1].Price - 100*l.Tick
	p2 := p1 - 7*l.Tick
	q1, q2 := int64(1_000_000), int64(3_000_000)
	res := f.json(http.StatusOK, "POST", ordersPath, limitGTC("ed-1", sym, "BUY", f.qty(sym, q1), f.px(sym, p1), false))
	if !res.GetBool("success") {
		t.Fatalf("create: %s", res)
	}
	id := str(res, "order_id")
	w.userOrders(id, "OPEN")

	res = f.json(http.StatusOK, "POST", editPath, editBody(id, f.px(sym, p2), f.qty(sym, q2)))
	if !res.GetBool("success") || len(res.GetArray("errors")) != 0 {
		t.Fatalf("edit: %s", res)
	}
	st := w.userOrders(id, "OPEN")
	last := st[len(st)-1]
	if str(last, "limit_price") != f.px(sym, p2) || str(last, "leaves_quantity") != f.qty(sym, q2) ||
		str(last, "client_order_id") != "ed-1" || str(last, "cumulative_quantity") != "0" {
		t.Fatalf("user report after edit %s", last)
	}
	o := f.json(http.StatusOK, "GET", ordersPath+"/historical/"+id, "").Get("order")
	cfg := o.Get("order_configuration", "limit_limit_gtc")
	if str(o, "status") != "OPEN" || str(cfg, "limit_price") != f.px(sym, p2) || str(cfg, "base_size") != f.qty(sym, q2) {
		t.Fatalf("historical order after edit %s", o)
	}
	var found bool
	b2, _ := f.depth(sym)
	for _, lv := range b2 {
		if lv.Price == p1 {
			t.Fatalf("old level %d still in the book", p1)
		}
		found = found || (lv.Price == p2 && lv.Qty >= q2)
	}
	if !found {
		t.Fatalf("edited order not resting at %d: %v", p2, b2)
	}
	// A size-only decrease at the same price keeps the order open with the smaller size.
	res = f.json(http.StatusOK, "POST", editPath, editBody(id, f.px(sym, p2), f.qty(sym, q1)))
	if !res.GetBool("success") {
		t.Fatalf("shrink: %s", res)
	}
	for {
		st = w.userOrders(id, "OPEN")
		if str(st[len(st)-1], "leaves_quantity") == f.qty(sym, q1) {
			break
		}
	}
}

// TestEditOrderFailures: every refusal leaves the order as it was and answers success:false with
// the venue's reason; malformed bodies are 400 and unsigned requests 401.
func TestEditOrderFailures(t *testing.T) {
	f := newFixture(t, nil, Options{})
	const sym = "BTC-USDT"
	l := f.market(sym).Listing
	bids, asks := f.depth(sym)
	far := bids[len(bids)-1].Price - 100*l.Tick
	q := int64(1_000_000)
	create := func(cid string, price, qty int64, postOnly bool) string {
		res := f.json(http.StatusOK, "POST", ordersPath, limitGTC(cid, sym, "BUY", f.qty(sym, qty), f.px(sym, price), postOnly))
		if !res.GetBool("success") {
			t.Fatalf("create %s: %s", cid, res)
		}
		return str(res, "order_id")
	}
	id := create("ef-1", far, q, true)
	// Partly filled order: takes the best offer and rests the rest.
	part := create("ef-2", asks[0].Price, asks[0].Qty+q, false)
	otherRes := f.jsonAs(f.keys[1], http.StatusOK, "POST", ordersPath, limitGTC("ef-3", sym, "BUY", f.qty(sym, q), f.px(sym, far), false))
	other := str(otherRes, "order_id")
	cancelled := create("ef-4", far, q, false)
	f.json(http.StatusOK, "POST", ordersPath+"/batch_cancel", `{"order_ids":["`+cancelled+`"]}`)
	unknown := strings.Repeat("0", 8) + "-0000-4000-8000-" + strings.Repeat("0", 12)

	for _, tc := range []struct {
		name, id      string
		price, size   string
		edit, preview string
	}{
		{"unknown id", unknown, f.px(sym, far), f.qty(sym, q), "ORDER_NOT_FOUND", ""},
		{"garbage id", "not-an-order", f.px(sym, far), f.qty(sym, q), "ORDER_NOT_FOUND", ""},
		{"other account", other, f.px(sym, far), f.qty(sym, q), "ORDER_NOT_FOUND", ""},
		{"cancelled", cancelled, f.px(sym, far), f.qty(sym, q), "ORDER_NOT_FOUND", ""},
		{"off tick", id, f.px(sym, far) + "00000001", f.qty(sym, q), "INVALID_EDITED_PRICE", "PREVIEW_INVALID_PRICE_PRECISION"},
		{"zero price", id, "0", f.qty(sym, q), "INVALID_EDITED_PRICE", "PREVIEW_INVALID_LIMIT_PRICE"},
		{"off lot", id, f.px(sym, far), f.qty(sym, q) + "000000001", "INVALID_EDITED_SIZE", "PREVIEW_INVALID_SIZE_PRECISION"},
		{"zero size", id, f.px(sym, far), "0", "INVALID_EDITED_SIZE", "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL"},
		{"post-only crossing", id, f.px(sym, asks[1].Price), f.qty(sym, q), "UNKNOWN_EDIT_ORDER_FAILURE_REASON", "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY"},
		{"below filled", part, f.px(sym, asks[0].Price), f.qty(sym, asks[0].Qty), "CANNOT_EDIT_TO_BELOW_FILLED_SIZE", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := f.json(http.StatusOK, "POST", editPath, editBody(tc.id, tc.price, tc.size))
			e := res.Get("errors", "0")
			if res.GetBool("success") || str(e, "edit_failure_reason") != tc.edit || str(e, "preview_failure_reason") != tc.preview {
				t.Fatalf("answer %s, want %s/%s", res, tc.edit, tc.preview)
			}
		})
	}
	// The refused edits changed nothing.
	o := f.json(http.StatusOK, "GET", ordersPath+"/historical/"+id, "").Get("order")
	cfg := o.Get("order_configuration", "limit_limit_gtc")
	if str(o, "status") != "OPEN" || str(cfg, "limit_price") != f.px(sym, far) || str(cfg, "base_size") != f.qty(sym, q) {
		t.Fatalf("order after refused edits %s", o)
	}

	for _, tc := range []struct{ name, body string }{
		{"not json", `{`},
		{"no order_id", `{"price":"1","size":"1"}`},
		{"no size", `{"order_id":"` + id + `","price":"1"}`},
		{"price not decimal", editBody(id, "abc", "1")},
		{"size not decimal", `{"order_id":"` + id + `","price":"1","size":true}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := f.json(http.StatusBadRequest, "POST", editPath, tc.body)
			if str(v, "error") != "INVALID_ARGUMENT" {
				t.Fatalf("answer %s", v)
			}
		})
	}
	t.Run("unsigned", func(t *testing.T) {
		status, b, err := f.call(nil, "POST", editPath, editBody(id, f.px(sym, far), f.qty(sym, q)))
		if err != nil || status != http.StatusUnauthorized {
			t.Fatalf("status %d %v: %s", status, err, b)
		}
	})
	t.Run("get", func(t *testing.T) {
		if status, b, err := f.call(f.keys[0], "GET", editPath, ""); err != nil || status != http.StatusMethodNotAllowed {
			t.Fatalf("status %d %v: %s", status, err, b)
		}
	})
}

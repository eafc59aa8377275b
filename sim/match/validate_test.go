package match

import (
	"math"
	"testing"

	"ems/core/event"
)

// TestOverflowGuard: orders whose fills or level could overflow int64 are refused up front, and
// the largest that fit trade exactly.
func TestOverflowGuard(t *testing.T) {
	rules := Rules{Tick: 1, Lot: 1, MinQty: 1, MakerFee: -MaxFee, TakerFee: MaxFee}
	const big = int64(1) << 62
	cases := []struct {
		name   string
		req    Request
		reason event.RejectReason
	}{
		{"sell valued at the best bid", limit(2, sell, 1, 2), event.RejectInvalidRequest},
		{"sell that fits", limit(2, sell, 1, 1), 0},
		{"market buy valued at the deepest ask", market(2, buy, 2), event.RejectInvalidRequest},
		{"market sell valued at the best bid", market(2, sell, 2), event.RejectInvalidRequest},
		{"market buy that fits", market(2, buy, 1), 0},
		{"buy valued at its limit", limit(2, buy, big+1, 2), event.RejectInvalidRequest},
		{"buy that fits", limit(2, buy, big+1, 1), 0},
		{"level quantity", limit(2, buy, 1, math.MaxInt64/2+2), event.RejectInvalidRequest},
		{"level quantity that fits", limit(2, buy, 1, math.MaxInt64/2+1), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, _ := newTestEngine(t, rules)
			mustSubmit(t, e, limit(1, buy, big, 1))
			mustSubmit(t, e, limit(1, buy, 1, math.MaxInt64/2))
			mustSubmit(t, e, limit(1, sell, big+1, 1))
			mustSubmit(t, e, limit(1, sell, big+2, 1))
			o, err := e.Submit(c.req, 1)
			if reasonOf(err) != c.reason {
				t.Fatalf("Submit: %v, want %v", err, c.reason)
			}
			// 100 % fees: the taker pays its notional, the maker gets it back.
			if c.reason == 0 && o.Filled > 0 && (o.Fees != o.Notional || o.Notional < big) {
				t.Fatalf("order %+v", o)
			}
			checkInvariants(t, e)
		})
	}
}

func TestStrings(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{StatusNew.String(), "new"},
		{StatusPartiallyFilled.String(), "partially_filled"},
		{StatusExpired.String(), "expired"},
		{Status(0).String(), "none"},
		{Status(42).String(), "status(42)"},
		{ExecReplaced.String(), "replaced"},
		{Exec(42).String(), "exec(42)"},
		{(&Error{Reason: event.RejectFOK, Msg: "x"}).Error(), "match: x"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	for s := Status(0); s <= StatusExpired+1; s++ {
		if s.Open() != (s == StatusNew || s == StatusPartiallyFilled) {
			t.Errorf("%v.Open() = %v", s, s.Open())
		}
	}
	o := Order{Request: Request{Qty: 100}, Filled: 30, Status: StatusPartiallyFilled}
	if o.Leaves() != 70 {
		t.Errorf("Leaves %d", o.Leaves())
	}
	o.Status = StatusCanceled
	if o.Leaves() != 0 {
		t.Errorf("Leaves of a canceled order %d", o.Leaves())
	}
}

package match

import (
	"errors"
	"math"
	"testing"

	"ems/core/fixed"
)

func TestNewValidates(t *testing.T) {
	ok := testRules
	cases := []struct {
		name   string
		symbol string
		mod    func(r *Rules)
		want   error
	}{
		{"valid", "X", func(*Rules) {}, nil},
		{"empty symbol", "", func(*Rules) {}, ErrSymbol},
		{"price scale", "X", func(r *Rules) { r.PriceScale = 19 }, ErrRules},
		{"qty scale", "X", func(r *Rules) { r.QtyScale = 19 }, ErrRules},
		{"max scales", "X", func(r *Rules) { r.PriceScale, r.QtyScale = 18, 18 }, nil},
		{"zero tick", "X", func(r *Rules) { r.Tick = 0 }, ErrRules},
		{"negative lot", "X", func(r *Rules) { r.Lot = -1 }, ErrRules},
		{"negative min qty", "X", func(r *Rules) { r.MinQty = -1 }, ErrRules},
		{"zero min qty", "X", func(r *Rules) { r.MinQty = 0 }, nil},
		{"negative min notional", "X", func(r *Rules) { r.MinNotional = -1 }, ErrRules},
		{"maker fee too low", "X", func(r *Rules) { r.MakerFee = -MaxFee - 1 }, ErrRules},
		{"taker fee too high", "X", func(r *Rules) { r.TakerFee = MaxFee + 1 }, ErrRules},
		{"fees at the bounds", "X", func(r *Rules) { r.MakerFee, r.TakerFee = -MaxFee, MaxFee }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ok
			c.mod(&r)
			e, err := New(c.symbol, r, nil)
			if !errors.Is(err, c.want) {
				t.Fatalf("New: %v, want %v", err, c.want)
			}
			if err == nil && (e.Symbol() != c.symbol || e.Rules() != r) {
				t.Fatalf("Symbol %q Rules %+v", e.Symbol(), e.Rules())
			}
		})
	}
}

func TestNotionalAndFee(t *testing.T) {
	r := Rules{PriceScale: 2, QtyScale: 5}
	notionals := []struct {
		price, qty, want int64
		err              bool
	}{
		{6712345, 150000, 10068517, false}, // 67123.45 × 1.5 = 100685.175 → 100685.17
		{6712345, 1, 67, false},            // 67123.45 × 0.00001 = 0.67123 → 0.67 (67 units)
		{1, 1, 0, false},
		{math.MaxInt64, 100000, math.MaxInt64, false}, // exactly 1 unit of qty
		{math.MaxInt64, 100001, 0, true},
		{math.MaxInt64, math.MaxInt64, 0, true},
	}
	for _, c := range notionals {
		got, err := r.Notional(c.price, c.qty)
		if (err != nil) != c.err || (err == nil && got != c.want) {
			t.Errorf("Notional(%d, %d) = %d, %v; want %d, error %v", c.price, c.qty, got, err, c.want, c.err)
		}
		if err != nil && !errors.Is(err, fixed.ErrRange) {
			t.Errorf("Notional(%d, %d): %v is not ErrRange", c.price, c.qty, err)
		}
	}
	fees := []struct {
		notional, bps, want int64
		err                 bool
	}{
		{1_000_000, 550, 550, false},
		{10068517, 550, 5537, false}, // 5537.68 → 5537
		{10068517, -25, -251, false}, // rebate -251.71 → -251 (toward zero)
		{999, 550, 0, false},         // 0.549 → 0
		{39_999, -25, 0, false},      // -0.999975 → 0
		{40_000, -25, -1, false},     // exactly -1
		{1_000_000, 1, 1, false},     // 0.01 bps of 1e6
		{0, 550, 0, false},
		{math.MaxInt64, MaxFee, math.MaxInt64, false}, // 100 %
		{math.MaxInt64, -MaxFee, -math.MaxInt64, false},
		{math.MaxInt64, 2 * MaxFee, 0, true},
	}
	for _, c := range fees {
		got, err := r.Fee(c.notional, c.bps)
		if (err != nil) != c.err || (err == nil && got != c.want) {
			t.Errorf("Fee(%d, %d) = %d, %v; want %d, error %v", c.notional, c.bps, got, err, c.want, c.err)
		}
	}
}

// TestFillFees checks the fees of real fills against hand-computed values, maker rebate
// included, and the cumulative Notional and Fees of both orders.
func TestFillFees(t *testing.T) {
	rules := Rules{PriceScale: 2, QtyScale: 5, Tick: 1, Lot: 1, MakerFee: -25, TakerFee: 550}
	e, rec := newTestEngine(t, rules)
	mustSubmit(t, e, limit(1, sell, 6712345, 150000))
	mustSubmit(t, e, limit(1, sell, 6712400, 100))
	rec.take()
	taker := mustSubmit(t, e, limit(2, buy, 6712400, 150100))
	if len(rec.fills) != 2 {
		t.Fatalf("%d fills, want 2", len(rec.fills))
	}
	f0, f1 := rec.fills[0], rec.fills[1]
	// Fill 1: 67123.45 × 1.5 = 100685.17 → taker 5.50 bps = 55.3768 → 55.37; maker -0.25 bps = -2.5171 → -2.51.
	if f0.Notional != 10068517 || f0.TakerFee != 5537 || f0.MakerFee != -251 {
		t.Errorf("fill 1: notional %d fees %d/%d", f0.Notional, f0.MakerFee, f0.TakerFee)
	}
	// Fill 2: 67124.00 × 0.001 = 67.124 → 6712 units; taker 3.69 → 3; maker -0.16 → 0.
	if f1.Notional != 6712 || f1.TakerFee != 3 || f1.MakerFee != 0 {
		t.Errorf("fill 2: notional %d fees %d/%d", f1.Notional, f1.MakerFee, f1.TakerFee)
	}
	if taker.Notional != 10068517+6712 || taker.Fees != 5537+3 || taker.Status != StatusFilled {
		t.Errorf("taker %+v", taker)
	}
	if m, _ := e.Order(1); m.Fees != -251 || m.Notional != 10068517 || m.Status != StatusFilled {
		t.Errorf("maker %+v", m)
	}
}

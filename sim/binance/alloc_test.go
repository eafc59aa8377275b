//go:build !race

package binance

import (
	"testing"

	"ems/core/book"
	"ems/core/event"
	"ems/sim/match"
)

// TestEncodeAllocs: the wire encoders append into the caller's buffer and allocate nothing once
// it is large enough (the simulator shares one payload per message between connections).
func TestEncodeAllocs(t *testing.T) {
	e := newEnv(t, envConfig{opts: Options{FastInterval: 1 << 40, SlowInterval: 1 << 40}})
	m := e.s.hub.mk[0]
	agg := diffAgg{idx: map[levelKey]int{}}
	for j := 0; j < 50; j++ {
		ev := benchEvent(m.mk.m, uint64(j+1), 0, j)
		agg.add(&ev)
	}
	o := match.Order{ID: 7, Request: match.Request{ClientID: "abc", Side: event.SideBuy, Price: 6800001, Qty: 100},
		Filled: 50, Notional: 34000, Status: match.StatusPartiallyFilled}
	fill := fillRec{tradeID: 3, price: 6800001, qty: 50, commission: 5, commScale: 8, commAsset: "BTC"}
	rep := execReport{v: viewOf(m.mk, &o, nil), exec: "TRADE", fill: &fill, execID: 9}
	trade := benchEvent(m.mk.m, 1, 0, 0)
	trade.Kind, trade.TradeID = 0, 5
	top := [2]book.Level{{Price: 6800001, Qty: 5}, {Price: 6800003, Qty: 7}}
	buf := make([]byte, 0, 1<<16)
	cases := []struct {
		name string
		fn   func()
	}{
		{"depthUpdate", func() { buf = appendDepthUpdate(buf[:0], m.mk, &agg, 1) }},
		{"trade", func() { buf = appendTrade(buf[:0], m.mk, &trade, 1) }},
		{"bookTicker", func() { buf = appendBookTicker(buf[:0], m.mk, 9, top) }},
		{"executionReport", func() { buf = appendExecReport(buf[:0], &rep) }},
		{"order", func() { buf = appendNewOrder(buf[:0], rep.v, respFULL, []fillRec{}) }},
	}
	for _, c := range cases {
		if n := testing.AllocsPerRun(50, c.fn); n != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, n)
		}
	}
}

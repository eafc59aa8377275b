package flow

import (
	"encoding/binary"
	"testing"

	"github.com/cespare/xxhash/v2"

	"ems/core/event"
	"ems/sim/match"
)

// btcRules are BTC-USDT-like rules: prices at scale 2 on a tick of 0.01, quantities at scale 5 on
// a lot of 0.00001, minimum notional 5 USDT, fees 10 bps.
var btcRules = match.Rules{PriceScale: 2, QtyScale: 5, Tick: 1, Lot: 1, MinQty: 1,
	MinNotional: 500, MakerFee: 1000, TakerFee: 1000}

// testConfig is a BTC-USDT-like flow around 68,000.00: 200 levels a side, 0.25 BTC a level.
func testConfig(seed uint64) Config {
	return Config{
		Seed:              seed,
		MidPrice:          6_800_000,
		SpreadTicks:       2,
		Levels:            200,
		GapTicks:          3,
		LevelQty:          25_000,
		TakersPerSecond:   20,
		RequotesPerSecond: 200,
		VolatilityBps:     20,
		Account:           7,
	}
}

// t0 is a simulated start time: 2024-03-01 00:00:00 UTC.
const t0 = int64(1_709_251_200) * 1_000_000_000

// tape is a Listener that hashes every event, counts them and keeps the aggregated book the
// level events describe.
type tape struct {
	h                     *xxhash.Digest
	buf                   [64]byte
	levels, trades, order int
	volume                int64
	book                  [3]map[int64]int64 // by side: price -> qty
}

func newTape() *tape {
	return &tape{h: xxhash.New(), book: [3]map[int64]int64{nil, {}, {}}}
}

func (t *tape) put(vs ...int64) {
	b := t.buf[:0]
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	t.h.Write(b)
}

func (t *tape) OnLevel(side event.Side, price, qty int64) {
	t.levels++
	t.put(1, int64(side), price, qty)
	if qty == 0 {
		delete(t.book[side], price)
	} else {
		t.book[side][price] = qty
	}
}

func (t *tape) OnTrade(f *match.Fill) {
	t.trades++
	t.volume += f.Qty
	t.put(2, int64(f.TradeID), f.Price, f.Qty, int64(f.Maker.ID), int64(f.Taker.ID), f.TS)
}

func (t *tape) OnOrder(o *match.Order) {
	t.order++
	t.put(3, int64(o.ID), int64(o.Status), o.Filled, o.Qty, o.Price, o.Updated)
}

// best returns the best price of side in the tape's book.
func (t *tape) best(side event.Side) (int64, bool) {
	var best int64
	ok := false
	for p := range t.book[side] {
		if !ok || (side == event.SideBuy && p > best) || (side == event.SideSell && p < best) {
			best, ok = p, true
		}
	}
	return best, ok
}

// newTestFlow returns a seeded flow on a fresh engine reporting to a tape.
func newTestFlow(tb testing.TB, cfg Config) (*Flow, *match.Engine, *tape) {
	tb.Helper()
	tp := newTape()
	e, err := match.New("BTCUSDT", btcRules, tp)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := New(cfg, e)
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Seed(t0); err != nil {
		tb.Fatal(err)
	}
	return f, e, tp
}

package okx

import (
	"testing"
	"time"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
)

// withSwap adds OKX's BTC-USDT-SWAP (contracts of 0.01 BTC) to the venue.
func withSwap(vc *sim.VenueConfig) {
	vc.Instruments = append(vc.Instruments, "BTC-USDT-PERP")
	vc.Markets = append(vc.Markets, sim.MarketConfig{Instrument: "BTC-USDT-PERP", Mid: "68000", LevelQty: "0.25",
		SpreadTicks: 2, GapTicks: 4, TakersPerSecond: 8, RequotesPerSecond: 100, VolatilityBps: 10})
}

// TestSwap: a linear perpetual is listed as SWAP with its contract value, streams like a spot
// book, and trades in contracts with fees in the settlement currency (px × sz × ctVal × rate).
func TestSwap(t *testing.T) {
	f := newFixture(t, DefaultOptions(), withSwap)
	_, resp := f.rest("GET", "/api/v5/public/instruments?instType=SWAP", "", nil)
	want(t, "instrument", data(t, resp, 0), "instId", "BTC-USDT-SWAP", "instType", "SWAP", "ctVal", "0.01",
		"ctValCcy", "BTC", "ctType", "linear", "settleCcy", "USDT", "instFamily", "BTC-USDT", "lotSz", "0.01",
		"baseCcy", "", "quoteCcy", "")

	h := startFeed(t, f, "BTC-USDT-SWAP")
	h.waitLive("BTC-USDT-SWAP")
	f.stepSettled(5, 100*time.Millisecond)
	if v := h.waitEqual(f, "BTC-USDT-SWAP"); v.stats.ChecksumFailures != 0 || v.stats.Gaps != 0 {
		t.Errorf("swap book: %+v", v.stats)
	}

	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	c.write(`{"op":"subscribe","args":[{"channel":"orders","instType":"SWAP","instId":"BTC-USDT-SWAP"}]}`)
	c.until(`"event":"subscribe"`)
	ask := f.depth("BTC-USDT-SWAP", event.SideSell, 1)[0]
	c.write(`{"id":"s","op":"order","args":[{"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"optimal_limit_ioc","sz":"2","clOrdId":"sw"}]}`)
	want(t, "answer", data(t, decode(t, c.next()), 0), "sCode", "0")
	want(t, "live", c.orderPush("sw"), "state", "live", "instType", "SWAP", "posSide", "net", "tgtCcy", "")
	fill := c.orderPush("sw")
	px := f.pxText("BTC-USDT-SWAP", ask.Price)
	// 2 contracts (200 at scale 2) of 0.01 BTC (1 at scale 2): fee = px × 0.02 × 0.0005, in USDT
	fee := "-" + string(fixed.AppendTrim(nil, ask.Price*200*1*500, 1+2+2+6))
	want(t, "fill", fill, "state", "filled", "fillSz", "2", "fillPx", px, "feeCcy", "USDT", "fillFee", fee,
		"fillNotionalUsd", string(fixed.AppendTrim(nil, ask.Price*200*1, 1+2+2)))
	_, resp = f.rest("POST", "/api/v5/trade/order", `{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"optimal_limit_ioc","sz":"1"}`, &f.key)
	want(t, "optimal_limit_ioc on spot", data(t, resp, 0), "sCode", "51000", "sMsg", "Parameter ordType error")

}

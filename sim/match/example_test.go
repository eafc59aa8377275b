package match_test

import (
	"fmt"

	"ems/core/event"
	"ems/sim/match"
)

// printer is a Listener that prints every event.
type printer struct{}

func (printer) OnLevel(side event.Side, price, qty int64) {
	fmt.Printf("level %s %d %d\n", side, price, qty)
}

func (printer) OnTrade(f *match.Fill) {
	fmt.Printf("trade %d: %d @ %d, maker %d fee %d, taker %d fee %d\n",
		f.TradeID, f.Qty, f.Price, f.Maker.ID, f.MakerFee, f.Taker.ID, f.TakerFee)
}

func (printer) OnOrder(o *match.Order) {
	fmt.Printf("order %d %s (%s) filled %d/%d\n", o.ID, o.Status, o.Exec, o.Filled, o.Qty)
}

func Example() {
	// BTC-USDT: prices at scale 2 (tick 0.01), quantities at scale 5 (lot 0.00001); maker
	// rebate 0.25 bps, taker 5.50 bps.
	rules := match.Rules{PriceScale: 2, QtyScale: 5, Tick: 1, Lot: 1, MinQty: 1,
		MakerFee: -25, TakerFee: 550}
	e, err := match.New("BTCUSDT", rules, printer{})
	if err != nil {
		panic(err)
	}
	// Sell 1.5 BTC at 67123.45, then buy 2 BTC at up to 67200.00.
	e.Submit(match.Request{Account: 1, Side: event.SideSell, Price: 6712345, Qty: 150000}, 1)
	o, _ := e.Submit(match.Request{Account: 2, ClientID: "b1", Side: event.SideBuy, Price: 6720000, Qty: 200000}, 2)
	fmt.Println("taker notional", o.Notional, "fees", o.Fees)
	bid, qty, _ := e.Best(event.SideBuy)
	fmt.Println("best bid", bid, qty)
	// Output:
	// order 1 new (new) filled 0/150000
	// level sell 6712345 150000
	// order 2 new (new) filled 0/200000
	// trade 1: 150000 @ 6712345, maker 1 fee -251, taker 2 fee 5537
	// order 1 filled (trade) filled 150000/150000
	// order 2 partially_filled (trade) filled 150000/200000
	// level sell 6712345 0
	// level buy 6720000 50000
	// taker notional 10068517 fees 5537
	// best bid 6720000 50000
}

package event_test

import (
	"fmt"

	"ems/core/event"
)

func Example() {
	var e event.Event
	e.Kind = event.KindFill
	e.Venue, e.Instrument, e.Seq, e.RecvTS = 1, 7, 42, 1700000000000000000
	f := e.Fill()
	f.Order, f.Price, f.Qty, f.Fee, f.TradeID, f.Liquidity = 1001, 6712345, 250, 12, 555, event.LiquidityTaker

	fmt.Println(string(event.AppendText(nil, &e)))
	fmt.Println(string(event.AppendJSON(nil, &e)))
	// Output:
	// kind=fill venue=1 instrument=7 seq=42 exch_ts=0 recv_ts=1700000000000000000 order=1001 venue_order=0 price=6712345 qty=250 fee=12 fee_asset=0 trade_id=555 leaves=0 liquidity=taker
	// {"kind":"fill","venue":1,"instrument":7,"seq":42,"exch_ts":0,"recv_ts":1700000000000000000,"order":1001,"venue_order":0,"price":6712345,"qty":250,"fee":12,"fee_asset":0,"trade_id":555,"leaves":0,"liquidity":"taker"}
}

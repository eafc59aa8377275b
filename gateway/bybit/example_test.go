package bybit_test

import (
	"fmt"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway/bybit"
)

// ExampleEncoder_AppendRequest encodes a post-only spot order for the trade WebSocket.
func ExampleEncoder_AppendRequest() {
	m, _ := instrument.Default()
	btc, _ := m.ByName("BTC-USDT")
	l, _ := btc.Listing(instrument.VenueBybit)
	enc, _ := bybit.NewEncoder("e7k2", m, 5000)

	e := event.Event{Kind: event.KindNewOrder, Instrument: btc.ID}
	o := e.Order()
	o.Order, o.Side, o.Price, o.Qty, o.PostOnly = 42, event.SideBuy, 6800012, 1500, true // at l's scales
	buf, err := enc.AppendRequest(make([]byte, 0, 512), &e, 1, 1709251200000)
	fmt.Println(l.PriceScale, l.QtyScale, err)
	fmt.Println(string(buf))
	// Output:
	// 2 6 <nil>
	// {"reqId":"c42.1","header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},"op":"order.create","args":[{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.0015","price":"68000.12","timeInForce":"PostOnly","orderLinkId":"e7k2x42"}]}
}

package binance_test

import (
	"fmt"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway"
	"ems/gateway/binance"
)

// An order.place request for a post-only buy of 0.015 BTC at 68000.12, signed with the
// documentation's example key pair.
func ExampleEncoder_AppendPlace() {
	m, _ := instrument.Default()
	mk, _ := binance.NewMarkets(m).BySymbol([]byte("BTCUSDT"))
	enc, _ := binance.NewEncoder(gateway.Credentials{
		Key:    "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
		Secret: "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
	}, binance.EncoderConfig{Prefix: "e7k2"})
	o := event.Order{Order: 42, Price: 6800012, Qty: 1500, Side: event.SideBuy, PostOnly: true}
	req, err := enc.AppendPlace(nil, 1, &o, mk, 1735689600000)
	fmt.Println(string(req), err)
	// Output:
	// {"id":1,"method":"order.place","params":{"apiKey":"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A","newClientOrderId":"e7k2x42","newOrderRespType":"ACK","price":"68000.12","quantity":"0.01500","side":"BUY","symbol":"BTCUSDT","timestamp":1735689600000,"type":"LIMIT_MAKER","signature":"10370db5f07fb49319811559bd0b7f31d9cda04de3cd0612f3a8241bd1c9efff"}} <nil>
}

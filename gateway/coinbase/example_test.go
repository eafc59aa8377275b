package coinbase_test

import (
	"fmt"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway/coinbase"
)

// The FIX Logon RawData of the venue specs' section 7.3 vector.
func ExampleSigner_AppendFIXRawData() {
	s, err := coinbase.NewSigner("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==")
	if err != nil {
		panic(err)
	}
	raw := s.AppendFIXRawData(nil, "20230822-20:41:00.123", "A", "1",
		"b7ff0bd1a6b1e9ac2cf1e7c1c0b1a0d0", "Coinbase", "mypassphrase")
	fmt.Printf("95=%d 96=%s\n", len(raw), raw)
	// Output: 95=44 96=1Ge3KLVxRWbtGNTU8sV5b/Fa2fNN3Q449n8yc2dmjVg=
}

// An order's request body: the client order id carries the core's OrderID, sizes and prices
// are written from int64 at the listing's scales.
func ExampleEncoder_AppendOrderBody() {
	// An Ed25519 key in the venue's Base64 form (seed 0..31 followed by its public key).
	key, err := coinbase.ParseKey("organizations/example/apiKeys/example",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8DoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA==")
	if err != nil {
		panic(err)
	}
	enc, err := coinbase.NewEncoder("e7k2", key, "api.coinbase.com")
	if err != nil {
		panic(err)
	}
	btc := &instrument.Listing{Symbol: "BTC-USDT", PriceScale: 2, QtyScale: 8, Tick: 1, Lot: 1}
	o := event.Order{Order: 42, Price: 6_800_001, Qty: 100_000, Side: event.SideBuy, PostOnly: true}
	body, err := enc.AppendOrderBody(nil, &o, btc)
	fmt.Println(string(body), err)
	// Output: {"client_order_id":"e7k2x42","product_id":"BTC-USDT","side":"BUY","order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"68000.01","post_only":true}}} <nil>
}

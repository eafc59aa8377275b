// Package peers compares the full path "raw Binance depthUpdate message -> updated local book"
// of ems (feed/binance) with two public Go libraries, on the same synthetic stream:
//
//   - github.com/c9s/bbgo v1.64.2: its Binance stream parser (the function its Stream installs
//     with SetParser), its depth.Buffer sequence check, and a types.StreamOrderBook updated as
//     its BindStream handler does (Update and EmitUpdate; the Prometheus gauges it also sets
//     are left out);
//   - github.com/adshao/go-binance/v2 v2.8.9: a WsDepthEvent filled as its depth stream handler
//     fills it (go-simplejson), then a float64 book of sorted price levels per side with the
//     U/u sequence check, the way a user of the library keeps a book.
//
// The stream (Generate) is seeded and shaped like the NKNUSDT recording in feed/binance/testdata:
// 8-decimal spot text, a REST snapshot of about 900 levels per side, diffs of 25 levels that
// mostly touch the first few dozen levels, with inserts and deletes keeping the depth steady.
// Update ids are patched into each message before it is decoded, so the diffs can be replayed
// forever; the patching alone is measured as the baseline.
//
// This is a separate module so the main module never depends on the peers:
//
//	cd bench/peers && go test -bench . -benchmem
package peers

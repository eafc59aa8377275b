package binanceusdm

import "ems/feed/binance"

// Streams a futures book uses: the 100 ms diff depth, bookTicker and aggTrade (the documented
// futures trade stream).
const (
	StreamDepth      = binance.StreamDepth
	StreamBookTicker = binance.StreamBookTicker
	StreamAggTrade   = binance.StreamAggTrade
)

// AppendSubscribe appends the futures SUBSCRIBE request for the depth, bookTicker and aggTrade
// streams of each symbol (lowercased):
//
//	{"method":"SUBSCRIBE","params":["sushiusdt@depth@100ms","sushiusdt@bookTicker","sushiusdt@aggTrade"],"id":1}
func AppendSubscribe(dst []byte, id uint64, symbols ...string) []byte {
	return binance.AppendStreamRequest(dst, "SUBSCRIBE", id, []string{StreamDepth, StreamBookTicker, StreamAggTrade}, symbols...)
}

// AppendUnsubscribe appends the UNSUBSCRIBE request matching AppendSubscribe.
func AppendUnsubscribe(dst []byte, id uint64, symbols ...string) []byte {
	return binance.AppendStreamRequest(dst, "UNSUBSCRIBE", id, []string{StreamDepth, StreamBookTicker, StreamAggTrade}, symbols...)
}

// AppendSnapshotPath appends the futures REST snapshot path and query for symbol (uppercased):
// /fapi/v1/depth?symbol=SUSHIUSDT&limit=1000 (limit <= 0: 1000; futures accept 5 ... 1000).
func AppendSnapshotPath(dst []byte, symbol string, limit int) []byte {
	return binance.AppendDepthQuery(dst, "/fapi/v1/depth", symbol, limit)
}

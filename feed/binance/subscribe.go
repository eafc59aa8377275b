package binance

import "strconv"

// Stream name suffixes of the streams a spot book uses (venue specs section 1.1).
const (
	StreamDepth      = "@depth@100ms"
	StreamBookTicker = "@bookTicker"
	StreamTrade      = "@trade"
	StreamAggTrade   = "@aggTrade"
)

// SnapshotLimit is the depth asked of the REST snapshot: 1000 levels (request weight 50 on spot;
// 5000 costs 250).
const SnapshotLimit = 1000

// AppendSubscribe appends the spot SUBSCRIBE request for the depth, bookTicker and trade streams
// of each symbol:
//
//	{"method":"SUBSCRIBE","params":["nknusdt@depth@100ms","nknusdt@bookTicker","nknusdt@trade"],"id":1}
//
// Symbols are lowercased as stream names require.
func AppendSubscribe(dst []byte, id uint64, symbols ...string) []byte {
	return AppendStreamRequest(dst, "SUBSCRIBE", id, []string{StreamDepth, StreamBookTicker, StreamTrade}, symbols...)
}

// AppendUnsubscribe appends the UNSUBSCRIBE request matching AppendSubscribe.
func AppendUnsubscribe(dst []byte, id uint64, symbols ...string) []byte {
	return AppendStreamRequest(dst, "UNSUBSCRIBE", id, []string{StreamDepth, StreamBookTicker, StreamTrade}, symbols...)
}

// AppendStreamRequest appends {"method":method,"params":[streams],"id":id}, the streams being
// every symbol (lowercased) joined to every suffix, symbol by symbol. Binance spot and USD-M
// futures share the format.
func AppendStreamRequest(dst []byte, method string, id uint64, suffixes []string, symbols ...string) []byte {
	dst = append(dst, `{"method":"`...)
	dst = append(dst, method...)
	dst = append(dst, `","params":[`...)
	first := true
	for _, s := range symbols {
		for _, suffix := range suffixes {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = append(dst, '"')
			dst = appendLower(dst, s)
			dst = append(dst, suffix...)
			dst = append(dst, '"')
		}
	}
	dst = append(dst, `],"id":`...)
	dst = strconv.AppendUint(dst, id, 10)
	return append(dst, '}')
}

// AppendCombinedPath appends the combined-stream path for every symbol (lowercased) joined to
// every suffix: /stream?streams=nknusdt@depth@100ms/nknusdt@bookTicker/nknusdt@trade
func AppendCombinedPath(dst []byte, suffixes []string, symbols ...string) []byte {
	dst = append(dst, "/stream?streams="...)
	first := true
	for _, s := range symbols {
		for _, suffix := range suffixes {
			if !first {
				dst = append(dst, '/')
			}
			first = false
			dst = appendLower(dst, s)
			dst = append(dst, suffix...)
		}
	}
	return dst
}

// AppendSnapshotPath appends the spot REST snapshot path and query for symbol (uppercased):
// /api/v3/depth?symbol=NKNUSDT&limit=1000
func AppendSnapshotPath(dst []byte, symbol string, limit int) []byte {
	return AppendDepthQuery(dst, "/api/v3/depth", symbol, limit)
}

// AppendDepthQuery appends path?symbol=SYMBOL&limit=limit (limit <= 0: SnapshotLimit).
func AppendDepthQuery(dst []byte, path, symbol string, limit int) []byte {
	if limit <= 0 {
		limit = SnapshotLimit
	}
	dst = append(dst, path...)
	dst = append(dst, "?symbol="...)
	for i := 0; i < len(symbol); i++ {
		c := symbol[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	dst = append(dst, "&limit="...)
	return strconv.AppendInt(dst, int64(limit), 10)
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

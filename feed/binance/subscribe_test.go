package binance

import "testing"

func TestSubscribe(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"subscribe", AppendSubscribe(nil, 1, "NKNUSDT", "btcusdt"),
			`{"method":"SUBSCRIBE","params":["nknusdt@depth@100ms","nknusdt@bookTicker","nknusdt@trade","btcusdt@depth@100ms","btcusdt@bookTicker","btcusdt@trade"],"id":1}`},
		{"unsubscribe", AppendUnsubscribe([]byte("x"), 12, "NKNUSDT"),
			`x{"method":"UNSUBSCRIBE","params":["nknusdt@depth@100ms","nknusdt@bookTicker","nknusdt@trade"],"id":12}`},
		{"none", AppendSubscribe(nil, 2), `{"method":"SUBSCRIBE","params":[],"id":2}`},
		{"combined", AppendCombinedPath(nil, []string{StreamDepth, StreamTrade}, "NKNUSDT"),
			`/stream?streams=nknusdt@depth@100ms/nknusdt@trade`},
		{"snapshot", AppendSnapshotPath(nil, "nknusdt", 5000), `/api/v3/depth?symbol=NKNUSDT&limit=5000`},
		{"snapshot-default", AppendSnapshotPath(nil, "NKNUSDT", 0), `/api/v3/depth?symbol=NKNUSDT&limit=1000`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if string(tc.got) != tc.want {
				t.Errorf("got  %s\nwant %s", tc.got, tc.want)
			}
		})
	}
}

package bybit

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestBuilders(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"subscribe", AppendSubscribe(nil, "1", "orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"),
			`{"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"],"req_id":"1"}`},
		{"subscribe without req_id", AppendSubscribe(nil, "", "orderbook.1.ETHUSDT"),
			`{"op":"subscribe","args":["orderbook.1.ETHUSDT"]}`},
		{"unsubscribe", AppendUnsubscribe(nil, "", "orderbook.50.BTCUSDT"),
			`{"op":"unsubscribe","args":["orderbook.50.BTCUSDT"]}`},
		{"ping", AppendPing(nil, ""), `{"op":"ping"}`},
		{"ping with req_id", AppendPing(nil, "100001"), `{"op":"ping","req_id":"100001"}`},
		{"escaping", AppendSubscribe(nil, "a\"b\\c\n"), `{"op":"subscribe","req_id":"a\"b\\c\u000a"}`},
		{"book topic", AppendBookTopic(nil, 1000, "BTCUSDT"), `orderbook.1000.BTCUSDT`},
		{"trade topic", AppendTradeTopic(nil, "BTC-29DEC23-40000-C"), `publicTrade.BTC-29DEC23-40000-C`},
		{"appends", AppendPing([]byte("x"), ""), `x{"op":"ping"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if string(tt.got) != tt.want {
				t.Fatalf("got  %s\nwant %s", tt.got, tt.want)
			}
			if tt.name != "book topic" && tt.name != "trade topic" && tt.name != "appends" && !json.Valid(tt.got) {
				t.Fatalf("not JSON: %s", tt.got)
			}
		})
	}
}

func ExampleAppendSubscribe() {
	topic := AppendBookTopic(nil, 50, "BTCUSDT")
	fmt.Printf("%s\n", AppendSubscribe(nil, "1", string(topic), "publicTrade.BTCUSDT"))
	fmt.Printf("%s\n", AppendPing(nil, ""))
	// Output:
	// {"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"],"req_id":"1"}
	// {"op":"ping"}
}

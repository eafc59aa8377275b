package coinbase

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
		{"level2", AppendSubscribe(nil, ChannelLevel2, "", "BTC-USD", "ETH-USD"),
			`{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"}`},
		{"with jwt", AppendSubscribe(nil, ChannelMarketTrades, "eyJ.a.b", "BTC-USD"),
			`{"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades","jwt":"eyJ.a.b"}`},
		{"heartbeats", AppendSubscribe(nil, ChannelHeartbeats, ""), `{"type":"subscribe","channel":"heartbeats"}`},
		{"unsubscribe", AppendUnsubscribe(nil, ChannelLevel2, "", "BTC-USD"),
			`{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"}`},
		{"escaping", AppendSubscribe(nil, "a\"\\\x01", ""), `{"type":"subscribe","channel":"a\"\\\u0001"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if string(tt.got) != tt.want || !json.Valid(tt.got) {
				t.Fatalf("got  %s\nwant %s", tt.got, tt.want)
			}
		})
	}
	if got := AppendSubscribe([]byte("x"), ChannelHeartbeats, ""); string(got) != `x{"type":"subscribe","channel":"heartbeats"}` {
		t.Fatalf("does not append: %s", got)
	}
}

func ExampleAppendSubscribe() {
	fmt.Printf("%s\n", AppendSubscribe(nil, ChannelLevel2, "", "BTC-USD"))
	fmt.Printf("%s\n", AppendSubscribe(nil, ChannelHeartbeats, ""))
	// Output:
	// {"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"}
	// {"type":"subscribe","channel":"heartbeats"}
}

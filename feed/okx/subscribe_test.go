package okx

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestAppendSubscribe checks the requests byte for byte and that they are valid JSON.
func TestAppendSubscribe(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"subscribe", AppendSubscribe(nil, "1512", ChannelBooks, "BTC-USDT"),
			`{"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}`},
		{"no-id", AppendSubscribe(nil, "", ChannelTrades, "BTC-USDT", "ETH-USDT"),
			`{"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT"},{"channel":"trades","instId":"ETH-USDT"}]}`},
		{"unsubscribe", AppendUnsubscribe([]byte("x"), "7", ChannelBooksL2TBT, "BTC-USD-SWAP"),
			`x{"id":"7","op":"unsubscribe","args":[{"channel":"books-l2-tbt","instId":"BTC-USD-SWAP"}]}`},
		{"none", AppendSubscribe(nil, "", ChannelBooks),
			`{"op":"subscribe","args":[]}`},
		{"escaped", AppendSubscribe(nil, "a\"b", ChannelBooks, "X\\Y\n"),
			`{"id":"a\"b","op":"subscribe","args":[{"channel":"books","instId":"X\\Y\u000a"}]}`},
	}
	for _, tc := range tests {
		if string(tc.got) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, tc.want)
		}
		body := tc.got
		if tc.name == "unsubscribe" {
			body = body[1:]
		}
		if !json.Valid(body) {
			t.Errorf("%s: invalid JSON %s", tc.name, body)
		}
	}
	if Ping != "ping" || Pong != "pong" {
		t.Error("keepalive texts")
	}
}

func ExampleAppendSubscribe() {
	msg := AppendSubscribe(nil, "1512", ChannelBooks, "BTC-USDT")
	fmt.Println(string(msg))
	// Output: {"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}
}

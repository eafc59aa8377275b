package kraken

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestSubscribe(t *testing.T) {
	for _, tc := range []struct {
		got  []byte
		want string
	}{
		{AppendSubscribe(nil, 10, "BTC/USD"),
			`{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10,"snapshot":true}}`},
		{AppendSubscribe([]byte("x"), 1000, "BTC/USD", "ETH/USD"),
			`x{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","ETH/USD"],"depth":1000,"snapshot":true}}`},
		{AppendUnsubscribe(nil, 25, "BTC/USD"),
			`{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25}}`},
		{AppendSubscribeTrades(nil, "MATIC/USD"),
			`{"method":"subscribe","params":{"channel":"trade","symbol":["MATIC/USD"],"snapshot":false}}`},
		{AppendSubscribeV1(nil, 1000, "XBT/CHF"),
			`{"event":"subscribe","pair":["XBT/CHF"],"subscription":{"name":"book","depth":1000}}`},
		{AppendUnsubscribeV1(nil, 10, "XBT/USD", "ETH/USD"),
			`{"event":"unsubscribe","pair":["XBT/USD","ETH/USD"],"subscription":{"name":"book","depth":10}}`},
		{AppendSubscribeTradesV1(nil, "XBT/USD"),
			`{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"trade"}}`},
		{AppendSubscribe(nil, 10, "A\"B\\C\n"),
			`{"method":"subscribe","params":{"channel":"book","symbol":["A\"B\\C\u000a"],"depth":10,"snapshot":true}}`},
	} {
		if string(tc.got) != tc.want {
			t.Errorf("got  %s\nwant %s", tc.got, tc.want)
		}
		if tc.got[0] == '{' && !json.Valid(tc.got) {
			t.Errorf("invalid JSON %s", tc.got)
		}
	}
}

func ExampleAppendSubscribe() {
	buf := make([]byte, 0, 256)
	buf = AppendSubscribe(buf, 10, "BTC/USD", "ETH/USD")
	fmt.Println(string(buf))
	// Output: {"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","ETH/USD"],"depth":10,"snapshot":true}}
}

package bybit

import (
	"testing"

	"github.com/valyala/fastjson"
)

// FuzzRequests feeds arbitrary text to the request parsers (order.create and order.cancel
// objects, WebSocket requests and topics): they must answer, never panic, and accept only orders
// on the market's grid.
func FuzzRequests(f *testing.F) {
	for _, s := range []string{
		`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"15600","timeInForce":"PostOnly","orderLinkId":"spot-test-01"}`,
		`{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Market","qty":"0.001"}`,
		`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"200","marketUnit":"quoteCoin"}`,
		`{"category":"linear","symbol":"BTCUSDT","orderId":"5e1d0001-0000-4000-8000-000000000007"}`,
		`{"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"],"req_id":"1"}`,
		`{"op":"auth","args":["k",1662350400000,"sig"]}`,
		`{"category":"spot","qty":"1e5","price":"-1"}`, `[]`, `""`, `{`,
	} {
		f.Add(s)
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, s string) {
		var p fastjson.Parser
		v, err := p.Parse(s)
		if err == nil && v.Type() == fastjson.TypeObject {
			if n, e2 := e.s.parseCreate(v); e2 == nil {
				l := n.k.l
				if n.qty%l.Lot != 0 || n.price%l.Tick != 0 || (n.qty == 0 && n.amount == 0) {
					t.Fatalf("accepted an order off the grid: %+v", n)
				}
			}
			e.s.parseCancel(v)
			e.s.wsAuth(v.GetArray("args"))
			if topics, _, _ := topicArgs(v.GetArray("args")); topics != nil {
				for _, topic := range topics {
					e.s.parseTopic(catSpot, topic)
					privateTopic(topic)
				}
			}
		}
		parseRequest(&p, []byte(s))
	})
}

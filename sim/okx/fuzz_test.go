package okx

import (
	"net"
	"sync"
	"testing"

	"github.com/valyala/fastjson"

	"ems/sim"
)

// Seeds: the request examples of OKX's docs and the shapes the tests send.
var requestSeeds = []string{
	`{"id":"1512","op":"order","args":[{"side":"buy","instId":"BTC-USDT","tdMode":"cash","ordType":"market","sz":"100"}]}`,
	`{"id":"1513","op":"batch-orders","args":[{"side":"buy","instId":"BTC-USDT","tdMode":"cash","ordType":"limit","px":"68000.1","sz":"0.01","clOrdId":"b1"},{"side":"sell","instId":"ETH-USDT","tdMode":"cash","ordType":"post_only","px":"3500.01","sz":"1"}]}`,
	`{"id":"1514","op":"cancel-order","args":[{"instId":"BTC-USDT","ordId":"600000000000000100"}]}`,
	`{"id":"1515","op":"batch-cancel-orders","args":[{"instId":"BTC-USDT","clOrdId":"b1"}]}`,
	`{"op":"subscribe","args":[{"channel":"orders","instType":"ANY"}]}`,
	`{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"trades","instId":"ETH-USDT"}]}`,
	`{"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}`,
	`{"op":"login","args":[{"apiKey":"k","passphrase":"p","timestamp":"1538054050","sign":"x"}]}`,
	`{"side":"sell","instId":"BTC-USDT","tdMode":"cash","ordType":"market","sz":"10","tgtCcy":"quote_ccy"}`,
	`{"side":"buy","instId":"BTC-USDT","tdMode":"cash","ordType":"ioc","px":"1","sz":"99999999999"}`,
	"ping", "", "{", "[]",
}

// fuzzConn returns a connection of f's server on a pipe whose frames are drained (the reader
// and writer goroutines are not run: the fuzz calls the handlers directly).
func fuzzConn(tb testing.TB, f *fixture, h func(*wsConn, []byte)) *wsConn {
	a, z := net.Pipe()
	c := f.srv.newConn(a, nil, h)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-c.out:
			case <-c.closeReq:
			case <-stop:
				return
			}
		}
	}()
	tb.Cleanup(func() { close(stop); wg.Wait(); a.Close(); z.Close() })
	return c
}

// FuzzWebSocketRequest feeds arbitrary requests to both WebSocket endpoints (the private one
// logged in): no input may panic or hang.
func FuzzWebSocketRequest(f *testing.F) {
	for _, s := range requestSeeds {
		f.Add([]byte(s))
	}
	fx := newFixture(f, DefaultOptions(), nil)
	pub := fuzzConn(f, fx, fx.srv.handlePublic)
	priv := fuzzConn(f, fx, fx.srv.handlePrivate)
	priv.priv.loggedIn, priv.priv.key = true, fx.key
	f.Fuzz(func(t *testing.T, msg []byte) {
		fx.srv.handlePublic(pub, msg)
		fx.srv.handlePrivate(priv, msg)
	})
}

// FuzzOrder feeds arbitrary order objects to the order path (parse, then place inside the
// venue): no input may panic, and a refused order gets a code.
func FuzzOrder(f *testing.F) {
	for _, s := range requestSeeds {
		f.Add([]byte(s))
	}
	fx := newFixture(f, DefaultOptions(), nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		var p fastjson.Parser
		v, err := p.ParseBytes(body)
		if err != nil {
			return
		}
		r := parseOrder(v)
		fx.v.Do(func(st *sim.State) {
			a := fx.srv.trade.place(st, &fx.key, &r)
			if a.err == nil && a.ordID == "" {
				t.Errorf("accepted without an ordId: %s", body)
			}
			if a.err != nil && a.err.Code == "" {
				t.Errorf("refused without a code: %s", body)
			}
		})
	})
}

package binance

import (
	"bufio"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway"
)

const (
	testKey    = "test-api-key"
	testSecret = "test-api-secret"
	testPrefix = "tx"
)

func testMaster(t testing.TB) *instrument.Master {
	t.Helper()
	m, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fineMaster is the default master with BTCUSDT at price scale 2 and quantity scale 6 (the
// venue's lot before 2023), which the 2021 captures need.
func fineMaster(t testing.TB) *instrument.Master {
	t.Helper()
	data, err := os.ReadFile("../../core/instrument/instruments.json")
	if err != nil {
		t.Fatal(err)
	}
	old := `"qty_scale": 5,
          "tick": "0.01",
          "lot": "0.00001",
          "min_qty": "0.00001",`
	fine := `"qty_scale": 6,
          "tick": "0.01",
          "lot": "0.000001",
          "min_qty": "0.000001",`
	s := string(data)
	if !strings.Contains(s, old) {
		t.Fatal("BTCUSDT grid not found")
	}
	m, err := instrument.Parse([]byte(strings.Replace(s, old, fine, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func testEncoder(t testing.TB) *Encoder {
	t.Helper()
	e, err := NewEncoder(gateway.Credentials{Key: testKey, Secret: testSecret}, EncoderConfig{Prefix: testPrefix})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func btcMarket(t testing.TB, ms *Markets) *Market {
	t.Helper()
	mk, ok := ms.BySymbol([]byte("BTCUSDT"))
	if !ok {
		t.Fatal("no BTCUSDT")
	}
	return mk
}

// realMessages returns testdata/real_messages.jsonl, one payload per line.
func realMessages(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/real_messages.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// verifyRequest checks that req is valid JSON and that its signature is the HMAC of its other
// params sorted by name, as the venue checks it; it returns the params.
func verifyRequest(t testing.TB, req []byte) map[string]string {
	t.Helper()
	v, err := fastjson.ParseBytes(req)
	if err != nil {
		t.Fatalf("%s: %v", req, err)
	}
	got := map[string]string{}
	var ps []Param
	var sig []byte
	v.GetObject("params").Visit(func(k []byte, val *fastjson.Value) {
		text := string(val.GetStringBytes())
		if val.Type() == fastjson.TypeNumber {
			text = val.String()
		}
		got[string(k)] = text
		if string(k) == "signature" {
			sig = []byte(text)
			return
		}
		ps = append(ps, Param{Key: []byte(string(k)), Value: []byte(text)})
	})
	if !NewHMAC([]byte(testSecret)).VerifyParams(ps, sig) {
		t.Fatalf("signature does not verify: %s", req)
	}
	got["method"] = string(v.GetStringBytes("method"))
	got["id"] = v.Get("id").String()
	return got
}

func order(id event.OrderID, side event.Side, typ event.OrderType, tif event.TimeInForce, post bool, price, qty int64) event.Order {
	return event.Order{Order: id, Parent: 3, Price: price, Qty: qty, Side: side, Type: typ, TIF: tif, PostOnly: post}
}

// serverFrame is msg as an unmasked server text frame.
func serverFrame(msg []byte) []byte {
	f := []byte{0x81}
	if len(msg) < 126 {
		f = append(f, byte(len(msg)))
	} else {
		f = append(f, 126, byte(len(msg)>>8), byte(len(msg)))
	}
	return append(f, msg...)
}

// sinkConn is a net.Conn whose writes succeed and vanish and whose reads replay one buffer of
// frames forever.
type sinkConn struct {
	net.Conn
	frames []byte
	off    int
}

func (c *sinkConn) Write(p []byte) (int, error) { return len(p), nil }
func (c *sinkConn) Read(p []byte) (int, error) {
	n := copy(p, c.frames[c.off:])
	c.off = (c.off + n) % len(c.frames)
	return n, nil
}
func (c *sinkConn) Close() error { return nil }

package coinbase

import (
	"bufio"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	feedcb "ems/feed/coinbase"
)

// sameShape fails unless ours has doc's shape: every object key of doc, in doc's order, as the
// first keys of ours (ours may add fields after them), with the same JSON types, recursively
// (arrays: their first elements).
func sameShape(t *testing.T, path string, doc, ours *fastjson.Value) {
	t.Helper()
	if doc.Type() != ours.Type() {
		t.Fatalf("%s: type %s, docs %s", path, ours.Type(), doc.Type())
	}
	switch doc.Type() {
	case fastjson.TypeObject:
		var docKeys, ourKeys []string
		doc.GetObject().Visit(func(k []byte, _ *fastjson.Value) { docKeys = append(docKeys, string(k)) })
		ours.GetObject().Visit(func(k []byte, _ *fastjson.Value) { ourKeys = append(ourKeys, string(k)) })
		if len(ourKeys) < len(docKeys) || strings.Join(ourKeys[:len(docKeys)], ",") != strings.Join(docKeys, ",") {
			t.Fatalf("%s: keys %v, docs %v", path, ourKeys, docKeys)
		}
		for _, k := range docKeys {
			sameShape(t, path+"."+k, doc.Get(k), ours.Get(k))
		}
	case fastjson.TypeArray:
		d, o := doc.GetArray(), ours.GetArray()
		if len(d) > 0 {
			if len(o) == 0 {
				t.Fatalf("%s: empty, docs have elements", path)
			}
			sameShape(t, path+"[0]", d[0], o[0])
		}
	}
}

// TestShapesMatchDocs: the server's l2_data, market_trades and user messages have the fields,
// order and types of the venue's documented examples (testdata, copied from the venue specs'
// data).
func TestShapesMatchDocs(t *testing.T) {
	file, err := os.Open("testdata/docs_advanced_trade_examples.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	docs := map[string]*fastjson.Value{}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		v, err := fastjson.ParseBytes(append([]byte(nil), sc.Bytes()...))
		if err != nil {
			t.Fatal(err)
		}
		docs[str(v, "channel")] = v
	}
	f := newFixture(t, nil, Options{})
	f.step(20) // some trades for the market_trades snapshot
	bids, _ := f.depth("BTC-USDT")
	f.json(http.StatusOK, "POST", ordersPath, limitGTC("shape", "BTC-USDT", "BUY", "0.001", f.px("BTC-USDT", bids[3].Price), false))
	w := f.dial()
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT")
	w.subscribe(feedcb.ChannelMarketTrades, nil, "BTC-USDT")
	w.subscribe(chUser, f.keys[0])
	ours := map[string]*fastjson.Value{}
	w.settle(func(raw []byte) {
		v := fastjson.MustParseBytes(raw)
		if ch := str(v, "channel"); ch != chSubscriptions && ours[ch] == nil {
			ours[ch] = v
		}
	})
	for _, ch := range []string{chL2Data, chMarketTrades, chUser} {
		if docs[ch] == nil || ours[ch] == nil {
			t.Fatalf("%s: docs %v, ours %v", ch, docs[ch] != nil, ours[ch] != nil)
		}
		sameShape(t, ch, docs[ch], ours[ch])
	}
}

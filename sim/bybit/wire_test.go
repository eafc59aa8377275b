package bybit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"ems/core/book"
	"ems/core/event"
	"ems/sim"
)

// keySeq returns the keys of a JSON message in document order, with their paths ("data.s";
// array elements as "[]", the first element only).
func keySeq(t testing.TB, msg []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(msg))
	var out []string
	var walk func(prefix string, record bool)
	walk = func(prefix string, record bool) {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%v in %s", err, msg)
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				k, _ := dec.Token()
				key := prefix + k.(string)
				if record {
					out = append(out, key)
				}
				walk(key+".", record)
			}
			dec.Token()
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				walk(prefix+"[].", record && i == 0)
			}
			dec.Token()
		}
	}
	walk("", true)
	return out
}

// isSubsequence reports whether every key of want appears in got, in the same order (got may
// carry fields Bybit added since the capture).
func isSubsequence(want, got []string) bool {
	j := 0
	for _, k := range got {
		if j < len(want) && want[j] == k {
			j++
		}
	}
	return j == len(want)
}

func captured(t testing.TB, name string) [][]byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	return lines
}

// TestWireShapeMatchesCaptures: the server's book and trade messages carry the fields of real
// Bybit captures (testdata, from the venue specs' data), in the same order, per category.
func TestWireShapeMatchesCaptures(t *testing.T) {
	e := newEnv(t)
	spot, perp := e.mkt(catSpot, "BTCUSDT"), e.mkt(catLinear, "BTCUSDT")
	book := func(k *mkt, snapshot bool) []byte {
		d := newDepthStream(50, k.sym)
		d.bids = []book.Level{{Price: 100 * k.l.Tick, Qty: k.l.Lot}}
		d.asks = []book.Level{{Price: 101 * k.l.Tick, Qty: k.l.Lot}}
		d.dBids, d.dAs = d.bids, d.asks
		return d.appendBookMessage(nil, k, snapshot, 7, 9, t0)
	}
	trade := func(k *mkt) []byte {
		return k.appendTradeMessage(nil, []sim.MarketEvent{{Kind: sim.MarketTrade, Seq: 3, Side: event.SideSell,
			Price: 100 * k.l.Tick, Qty: k.l.Lot, TradeID: 1, TS: t0}})
	}
	ob := captured(t, "orderbook50_BTCUSDT_snapshot_delta.jsonl")
	lin := captured(t, "v5_linear_tardis.jsonl")
	cases := []struct {
		name      string
		real, got []byte
	}{
		{"spot snapshot", ob[0], book(spot, true)},
		{"spot delta", ob[1], book(spot, false)},
		{"spot trade", captured(t, "publicTrade_gct.jsonl")[0], trade(spot)},
		{"linear trade", lin[0], trade(perp)},
		{"linear snapshot", lin[1], book(perp, true)},
		{"linear delta", lin[2], book(perp, false)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, got := keySeq(t, tc.real), keySeq(t, tc.got)
			if !isSubsequence(want, got) {
				t.Fatalf("fields\n got %v\nwant %v (in order)\n%s", got, want, tc.got)
			}
		})
	}
}

// TestDiffLevels: the changes between two top-N books, best first, deletes as quantity 0.
func TestDiffLevels(t *testing.T) {
	L := func(pq ...int64) []book.Level {
		var ls []book.Level
		for i := 0; i < len(pq); i += 2 {
			ls = append(ls, book.Level{Price: pq[i], Qty: pq[i+1]})
		}
		return ls
	}
	cases := []struct {
		name           string
		old, cur, want []book.Level
		bids           bool
	}{
		{"empty", nil, nil, nil, true},
		{"all new", nil, L(10, 1, 9, 2), L(10, 1, 9, 2), true},
		{"all gone", L(10, 1, 9, 2), nil, L(10, 0, 9, 0), true},
		{"same", L(10, 1, 9, 2), L(10, 1, 9, 2), nil, true},
		{"qty change", L(10, 1, 9, 2), L(10, 1, 9, 3), L(9, 3), true},
		{"better inserted, worst pushed out", L(10, 1, 9, 2), L(11, 5, 10, 1), L(11, 5, 9, 0), true},
		{"asks: best removed, next enters", L(10, 1, 11, 2), L(11, 2, 12, 4), L(10, 0, 12, 4), false},
		{"asks interleaved", L(10, 1, 12, 2, 14, 3), L(11, 1, 12, 5, 13, 1), L(10, 0, 11, 1, 12, 5, 13, 1, 14, 0), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := diffLevels(nil, tc.old, tc.cur, tc.bids)
			if !equalLevels(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestIDs: order, execution and trade ids round-trip per market and kind, and refuse another
// market's or kind's.
func TestIDs(t *testing.T) {
	e := newEnv(t)
	spot, perp := e.mkt(catSpot, "BTCUSDT"), e.mkt(catLinear, "BTCUSDT")
	for _, k := range []*mkt{spot, perp} {
		for _, n := range []uint64{1, 7, 123456789} {
			for kind := idOrder; kind <= idTrade; kind++ {
				id := string(appendID(nil, k, kind, n))
				if got, ok := parseID(k, kind, id); !ok || got != n {
					t.Fatalf("%s kind %d: %s → %d %v", k.cat, kind, id, got, ok)
				}
				if _, ok := parseID(k, (kind+1)%3, id); ok {
					t.Fatalf("%s: %s parsed as another kind", k.cat, id)
				}
			}
		}
	}
	if id := orderID(spot, 7); len(id) != 19 {
		t.Fatalf("spot order id %q", id)
	}
	if id := orderID(perp, 7); len(id) != 36 {
		t.Fatalf("linear order id %q", id)
	}
	if _, ok := parseID(perp, idOrder, orderID(spot, 7)); ok {
		t.Fatal("a spot id parsed as a linear one")
	}
}

package kraken

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"ems/core/event"
	"ems/feed"
)

func newV1(t testing.TB) *V1 {
	t.Helper()
	d, err := NewV1(feed.Config{InferUnknown: true})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// refApplyV1 applies a v1 book frame to the text reference; it returns the frame's checksum text
// ("" when it has none) and whether it was a snapshot.
func refApplyV1(t testing.TB, ref *refBook, line []byte) (sum string, snap bool) {
	t.Helper()
	var frame []json.RawMessage
	if err := json.Unmarshal(line, &frame); err != nil {
		t.Fatal(err)
	}
	for _, raw := range frame[1 : len(frame)-2] {
		var p map[string]json.RawMessage
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		for k, v := range p {
			if k == "c" {
				if err := json.Unmarshal(v, &sum); err != nil {
					t.Fatal(err)
				}
				continue
			}
			var levels [][]string
			if err := json.Unmarshal(v, &levels); err != nil {
				t.Fatal(err)
			}
			if k == "as" || k == "bs" {
				if !snap {
					ref.bids, ref.asks = map[string]refLevel{}, map[string]refLevel{}
				}
				snap = true
			}
			for _, l := range levels {
				ref.set(k[0] == 'a', l[0], l[1])
			}
		}
	}
	ref.truncate()
	return sum, snap
}

// TestV1Reference replays the v1 recording through the decoder and through the text reference:
// the reference checks every update checksum by the documented text rule (289/289), and after
// every message the decoder's book, rebuilt from integers, matches the reference's text levels.
func TestV1Reference(t *testing.T) {
	lines := readLines(t, "v1_book1000_xbtchf.jsonl")
	d := newV1(t)
	ref := newRefBook(1000)
	out := feed.NewBatch(4096)
	textOK := 0
	for i, l := range lines {
		if err := d.Decode(l, int64(i), out); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		out.Reset()
		if l[0] != '[' {
			continue
		}
		sum, snap := refApplyV1(t, ref, l)
		if !snap {
			want, err := strconv.ParseUint(sum, 10, 32)
			if err != nil {
				t.Fatalf("line %d: checksum %q", i+1, sum)
			}
			if ref.checksum() == uint32(want) {
				textOK++
			}
		}
		r := d.Books()[0]
		if got, want := reportBooks(r), refReport(ref); got != want {
			t.Fatalf("line %d:\nbook %s\nref  %s", i+1, got, want)
		}
		if r.Stats.ChecksumFailures != 0 {
			t.Fatalf("line %d: checksum failure", i+1)
		}
	}
	if textOK != 289 {
		t.Errorf("text reference verified %d/289 update checksums", textOK)
	}
	if r := d.Books()[0]; r.Stats.ChecksumsVerified != 289 || r.Config().Depth != 1000 {
		t.Errorf("decoder verified %d/289 (depth %d)", r.Stats.ChecksumsVerified, r.Config().Depth)
	}
}

// TestV1Resync: a copy of the recording whose snapshot has one corrupted level fails the first
// update's checksum, invalidates the book, requests a resubscription and drops updates; a later
// snapshot counts a resync and every checksum after it verifies.
func TestV1Resync(t *testing.T) {
	lines := readLines(t, "v1_book1000_xbtchf.jsonl")
	snap := string(lines[1])
	bad := strings.Replace(snap, `["56218.30000","0.15000000"`, `["56218.30000","0.15000001"`, 1)
	if bad == snap {
		t.Fatal("corruption did not apply")
	}
	var copyLines [][]byte
	copyLines = append(copyLines, lines[0], []byte(bad))
	copyLines = append(copyLines, lines[2:12]...) // 10 updates: 1 fails, 9 dropped
	copyLines = append(copyLines, lines[1:]...)   // the good snapshot and all 289 updates
	d := newV1(t)
	out := feed.NewBatch(4096)
	var reqs []feed.Request
	invalid := 0
	for i, l := range copyLines {
		if err := d.Decode(l, int64(i), out); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, e := range out.Events() {
			if e.Kind == event.KindBookStatus && e.BookStatus().State == event.BookInvalid {
				invalid++
				if e.BookStatus().Reason != event.BookReasonChecksum || i != 2 {
					t.Errorf("line %d: invalid status %+v", i+1, *e.BookStatus())
				}
			}
		}
		out.Reset()
		reqs = d.Requests(reqs)
	}
	r := d.Books()[0]
	want := feed.Stats{Messages: 301, Applied: 291, Dropped: 9, Resyncs: 1, ChecksumsVerified: 289, ChecksumFailures: 1}
	if r.Stats != want {
		t.Errorf("stats %+v\nwant  %+v", r.Stats, want)
	}
	if invalid != 1 || len(reqs) != 1 || reqs[0].Kind != feed.RequestResubscribe || reqs[0].Replica != r {
		t.Errorf("%d invalid statuses, requests %+v", invalid, reqs)
	}
	if r.State() != event.BookLive {
		t.Errorf("state %v after the resync", r.State())
	}
}

// TestV1Frames covers shapes the recording lacks: asks and bids as two payloads of one frame, the
// republish flag, a book-10 channel truncating to 10, and the exchange time.
func TestV1Frames(t *testing.T) {
	d := newV1(t)
	ref := newRefBook(10)
	out := feed.NewBatch(64)
	var asks, bids []string
	for i := 0; i < 12; i++ {
		asks = append(asks, fmt.Sprintf(`["%d.50000","1.%08d","1618678100.%06d"]`, 100+i, i+1, i))
		bids = append(bids, fmt.Sprintf(`["%d.50000","2.%08d","1618678100.%06d"]`, 99-i, i+1, i))
	}
	frames := []string{
		`[7,{"as":[` + strings.Join(asks, ",") + `],"bs":[` + strings.Join(bids, ",") + `]},"book-10","ETH/XBT"]`,
		`[7,{"a":[["100.50000","0.00000000","1618678200.000001"],["100.70000","3.00000000","1618678200.000002","r"]]},{"b":[["99.60000","0.50000000","1618678200.000003"]],"c":"%s"},"book-10","ETH/XBT"]`,
		`[7,{"b":[["99.60000","0.00000000","1618678201.123456"],["89.50000","2.00000010","1618678201.000000"]],"c":"%s"},"book-10","ETH/XBT"]`,
	}
	for i, f := range frames {
		if strings.Contains(f, "%s") {
			probe := strings.Replace(f, "%s", "0", 1)
			refApplyV1(t, ref, []byte(probe))
			f = fmt.Sprintf(f, strconv.FormatUint(uint64(ref.checksum()), 10))
		} else {
			refApplyV1(t, ref, []byte(f))
		}
		mustDecode(t, d, []byte(f), out)
		r := replica(t, d, "ETH/XBT")
		if r.Stats.ChecksumFailures != 0 {
			t.Fatalf("frame %d: checksum failure", i)
		}
		if got, want := reportBooks(r), refReport(ref); got != want {
			t.Fatalf("frame %d:\nbook %s\nref  %s", i, got, want)
		}
		if r.Book().Len(1) > 10 || r.Book().Len(2) > 10 {
			t.Fatalf("frame %d: not truncated to 10", i)
		}
	}
	if ts := out.Events()[out.Len()-1].ExchTS; ts != 1618678201123456000 {
		t.Errorf("exchange time %d, want the latest level's", ts)
	}
	if s := replica(t, d, "ETH/XBT").Stats; s.ChecksumsVerified != 2 || s.Applied != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestV1Trades(t *testing.T) {
	d := newV1(t)
	out := feed.NewBatch(16)
	lines := readLines(t, "v1_trade.jsonl")
	mustDecode(t, d, lines[0], out)
	e := out.Events()[0]
	want := event.Trade{Price: 35411000000, Qty: 89594024, Aggressor: event.SideSell}
	if out.Len() != 1 || e.Kind != event.KindTrade || *e.Trade() != want || e.ExchTS != 1618678142557535000 ||
		e.Flags&event.FlagLastInBatch == 0 || e.Instrument != 1 {
		t.Errorf("trade %+v %+v", e, *e.Trade())
	}
	out.Reset()
	mustDecode(t, d, lines[4], out) // SC/EUR, two buys
	if out.Len() != 2 || out.Events()[1].Trade().Aggressor != event.SideBuy || out.Events()[0].Instrument != 2 {
		t.Errorf("events %+v", out.Events())
	}
}

func TestV1Control(t *testing.T) {
	for _, tc := range []struct {
		name, msg string
		kind      string
		foreign   bool
	}{
		{"heartbeat", `{"event":"heartbeat"}`, "", false},
		{"system", `{"connectionID":1,"event":"systemStatus","status":"online","version":"1.8.1"}`, "", false},
		{"subscribed", `{"channelID":464,"channelName":"book-1000","event":"subscriptionStatus","pair":"XBT/CHF","status":"subscribed","subscription":{"depth":1000,"name":"book"}}`, "", false},
		{"spread", `[5,["56000.1","56000.2","1618678100.1","1.0","2.0"],"spread","XBT/CHF"]`, "", false},
		{"private", `[[{"TDLH43-DVQXD-2KHVYY":{"cost":"1"}}],"ownTrades",{"sequence":1}]`, "", false},
		{"rejected", `{"errorMessage":"Currency pair not in ISO 4217-A3 format XBTCHF","event":"subscriptionStatus","pair":"XBTCHF","status":"error","subscription":{"depth":1000,"name":"book"}}`, kindRejected, false},
		{"venue error", `{"errorMessage":"Malformed request","event":"error"}`, kindVenueError, false},
		{"bad channel", `[5,{"a":[]},"book-x","XBT/CHF"]`, kindBadDepth, false},
		{"depth 5", `[5,{"as":[],"bs":[]},"book-5","XBT/CHF"]`, kindBadDepth, false},
		{"short frame", `[5,{"a":[]},"book-10"]`, kindBadBook, false},
		{"bad trade", `[5,[["1.0"]],"trade","XBT/CHF"]`, kindBadTrade, false},
		{"bad json", `[5,`, kindBadJSON, false},
		{"v2", `{"channel":"book","type":"update","data":[]}`, kindForeign, true},
		{"okx", `{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}`, kindForeign, true},
		{"binance", `{"e":"trade","E":1,"s":"BTCUSDT"}`, kindForeign, true},
		{"string", `"hello"`, kindForeign, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newV1(t)
			out := feed.NewBatch(8)
			err := d.Decode([]byte(tc.msg), 0, out)
			if (err != nil) != (tc.kind != "") {
				t.Fatalf("error %v, want anomaly %q", err, tc.kind)
			}
			if errors.Is(err, feed.ErrForeign) != tc.foreign {
				t.Errorf("foreign: %v", err)
			}
			if tc.kind != "" && d.an.Count(tc.kind) != 1 {
				t.Errorf("anomaly %q not counted (%d in all)", tc.kind, d.an.Total())
			}
			if tc.kind == kindRejected && !strings.Contains(err.Error(), "ISO 4217-A3") {
				t.Errorf("rejection without the venue's text: %v", err)
			}
			if out.Len() != 0 {
				t.Errorf("%d events", out.Len())
			}
		})
	}
}

// TestV1BadChecksumField: a checksum that is not a uint32 string breaks the book like a bad level.
func TestV1BadChecksumField(t *testing.T) {
	lines := readLines(t, "v1_book1000_xbtchf.jsonl")
	d := newV1(t)
	out := feed.NewBatch(4096)
	mustDecode(t, d, lines[1], out)
	bad := strings.Replace(string(lines[2]), `"c":"2628179034"`, `"c":2628179034`, 1)
	if err := d.Decode([]byte(bad), 0, out); !errors.Is(err, errChecksum) {
		t.Fatalf("error %v", err)
	}
	if r := d.Books()[0]; r.State() != event.BookInvalid || len(d.Requests(nil)) != 1 {
		t.Errorf("state %v", r.State())
	}
}

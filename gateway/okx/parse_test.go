package okx

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"ems/core/event"
	"ems/core/instrument"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the parser's output")

func newTestParser(t testing.TB) *Parser {
	t.Helper()
	m, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewParser(ParserConfig{Prefix: "t1", Master: m, FillMemory: 64, OrderMemory: 64})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// describe writes events as one readable line each.
func describe(b *strings.Builder, evs []event.Event, info Info) {
	fmt.Fprintf(b, "  info type=%d code=%d throttled=%v skipped=%d\n", info.Type, info.Code, info.Throttled, info.Skipped)
	for i := range evs {
		e := &evs[i]
		fmt.Fprintf(b, "  %s inst=%d exch=%d", e.Kind, e.Instrument, e.ExchTS)
		switch e.Kind {
		case event.KindOrderAck:
			a := e.OrderAck()
			fmt.Fprintf(b, " order=%d venue=%d px=%d qty=%d leaves=%d", a.Order, a.VenueOrder, a.Price, a.Qty, a.Leaves)
		case event.KindReject:
			r := e.Reject()
			fmt.Fprintf(b, " order=%d code=%d reason=%s", r.Order, r.VenueCode, r.Reason)
		case event.KindFill:
			f := e.Fill()
			fmt.Fprintf(b, " order=%d venue=%d px=%d qty=%d fee=%d asset=%d trade=%d leaves=%d liq=%s",
				f.Order, f.VenueOrder, f.Price, f.Qty, f.Fee, f.FeeAsset, f.TradeID, f.Leaves, f.Liquidity)
		case event.KindCancelAck:
			c := e.CancelAck()
			fmt.Fprintf(b, " order=%d leaves=%d", c.Order, c.Leaves)
		}
		b.WriteByte('\n')
	}
}

// TestParseRecorded runs the messages the simulator sent in a session (testdata/private.jsonl:
// login, subscribe, place answers, fills, the terminal filled push, post-only and fill-or-kill
// cancels, rejects) through one parser and compares its events with testdata/private.golden
// (regenerate with -update and read the diff).
func TestParseRecorded(t *testing.T) {
	raw, err := os.ReadFile("testdata/private.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestParser(t)
	var b strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		evs, info, err := p.Parse(sc.Bytes(), 1)
		fmt.Fprintf(&b, "line %d err=%v\n", n, err)
		describe(&b, evs, info)
	}
	got := b.String()
	if *update {
		if err := os.WriteFile("testdata/private.golden", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/private.golden")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("parser output differs from testdata/private.golden:\n%s", got)
	}
}

// TestParseCases covers what the recording does not: duplicates, whole-request errors, other
// prefixes, malformed input and truncated decimals.
func TestParseCases(t *testing.T) {
	const push = `{"arg":{"channel":"orders","instType":"ANY"},"data":[{"accFillSz":"0.002","clOrdId":"%s","execType":"T","feeCcy":"USDT","fillFee":"-0.0600024996","fillFeeCcy":"USDT","fillPx":"68000.1","fillSz":"0.001","fillTime":"1700000000123","instId":"BTC-USDT","ordId":"7","px":"68000.1","state":"%s","sz":"0.003","tradeId":"%s","uTime":"1700000000124","cancelSource":"%s"}]}`
	tests := []struct {
		name string
		msgs []string
		want string // kinds in order, with the key field
	}{
		{"fill-then-duplicate", []string{fmt.Sprintf(push, "t1x5", "partially_filled", "99", ""), fmt.Sprintf(push, "t1x5", "partially_filled", "99", "")},
			"order_ack leaves=100000|fill qty=100000 fee=1 leaves=100000|"},
		{"same-trade-other-order", []string{fmt.Sprintf(push, "t1x5", "partially_filled", "99", ""), fmt.Sprintf(push, "t1x6", "partially_filled", "99", "")},
			"order_ack leaves=100000|fill qty=100000 fee=1 leaves=100000|order_ack leaves=100000|fill qty=100000 fee=1 leaves=100000|"},
		{"other-prefix", []string{fmt.Sprintf(push, "zz9x5", "live", "1", "")}, ""},
		{"text-trade-id", []string{fmt.Sprintf(push, "t1x5", "partially_filled", "a-b", "")}, "order_ack leaves=100000|fill qty=100000 fee=1 leaves=100000|"},
		{"canceled-after-fill-31", []string{fmt.Sprintf(push, "t1x5", "canceled", "3", "31")},
			"order_ack leaves=100000|fill qty=100000 fee=1 leaves=100000|cancel_ack leaves=100000|"},
		{"error-with-id", []string{`{"id":"n42","event":"error","code":"60011","msg":"Please log in","connId":"x"}`}, "reject order=42 code=60011 reason=auth|"},
		{"op-error-no-data", []string{`{"id":"c43","op":"cancel-order","data":[],"code":"50011","msg":""}`}, "reject order=43 code=50011 reason=rate_limit|"},
		{"op-error-foreign-id", []string{`{"id":"zz","op":"order","data":[],"code":"60013","msg":""}`}, ""},
		{"malformed", []string{`{"arg":`, `[1,2]`, `pong`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestParser(t)
			var b strings.Builder
			for _, m := range tt.msgs {
				evs, _, _ := p.Parse([]byte(m), 1)
				for i := range evs {
					e := &evs[i]
					b.WriteString(e.Kind.String())
					switch e.Kind {
					case event.KindOrderAck:
						fmt.Fprintf(&b, " leaves=%d", e.OrderAck().Leaves)
					case event.KindFill:
						fmt.Fprintf(&b, " qty=%d fee=%d leaves=%d", e.Fill().Qty, e.Fill().Fee, e.Fill().Leaves)
					case event.KindCancelAck:
						fmt.Fprintf(&b, " leaves=%d", e.CancelAck().Leaves)
					case event.KindReject:
						fmt.Fprintf(&b, " order=%d code=%d reason=%s", e.Reject().Order, e.Reject().VenueCode, e.Reject().Reason)
					}
					b.WriteByte('|')
				}
			}
			if b.String() != tt.want {
				t.Fatalf("got  %s\nwant %s", b.String(), tt.want)
			}
		})
	}
}

func TestParseRound(t *testing.T) {
	tests := []struct {
		in    string
		scale uint8
		want  int64
	}{
		{"-0.0680069", 1, -1}, {"-0.0450069", 1, 0}, {"-0.05", 1, -1}, {"0.0000008", 8, 80},
		{"0.25", 1, 3}, {"0.24999", 1, 2}, {"7", 2, 700}, {"9.95", 0, 10},
	}
	for _, tt := range tests {
		if got, err := parseRound([]byte(tt.in), tt.scale); got != tt.want || err != nil {
			t.Errorf("parseRound(%q, %d) = %d, %v; want %d", tt.in, tt.scale, got, err, tt.want)
		}
	}
}

func TestParseTrunc(t *testing.T) {
	tests := []struct {
		in    string
		scale uint8
		want  int64
		err   bool
	}{
		{"-0.01000024996", 1, 0, false},
		{"-0.01000024996", 4, -100, false},
		{"68000.19", 1, 680001, false},
		{"5.9", 0, 5, false},
		{"12", 3, 12000, false},
		{"", 2, 0, true},
		{"-0.0680069", 1, 0, false},
		{"1e5", 2, 0, true},
	}
	for _, tt := range tests {
		got, err := parseTrunc([]byte(tt.in), tt.scale)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("parseTrunc(%q, %d) = %d, %v", tt.in, tt.scale, got, err)
		}
	}
}

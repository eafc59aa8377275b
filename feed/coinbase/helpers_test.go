package coinbase

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

// readLines returns the non-empty lines of a testdata file.
func readLines(t testing.TB, name string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			lines = append(lines, append([]byte(nil), l...))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// readRecvTS returns a .recv_ts sidecar's receive times (Unix seconds as decimals) in ns, parsed
// exactly.
func readRecvTS(t testing.TB, name string) []int64 {
	t.Helper()
	var ts []int64
	for _, l := range readLines(t, name) {
		v, err := fixed.Parse(l, 9)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, v)
	}
	return ts
}

// decodeAll decodes msgs in order (message i received at recv[i], or i+1 ns when recv is nil),
// failing on any error, and returns every event produced.
func decodeAll(t testing.TB, d feed.Decoder, recv []int64, msgs ...[]byte) []event.Event {
	t.Helper()
	out := feed.NewBatch(256)
	var evs []event.Event
	for i, m := range msgs {
		ts := int64(i + 1)
		if recv != nil {
			ts = recv[i]
		}
		if err := d.Decode(m, ts, out); err != nil {
			t.Fatalf("message %d: %v\n%s", i, err, m)
		}
		evs = append(evs, out.Events()...)
		out.Reset()
	}
	return evs
}

func cfgInfer() feed.Config { return feed.Config{Venue: 4, InferUnknown: true} }

// l2 builds an l2_data message with one event of typ for product holding levels "side:px:qty".
func l2(seq uint64, typ, product string, levels ...string) []byte {
	var ups []string
	for _, l := range levels {
		f := strings.Split(l, ":")
		ups = append(ups, fmt.Sprintf(`{"side":%q,"event_time":"2023-02-09T20:32:50.7Z","price_level":%q,"new_quantity":%q}`, f[0], f[1], f[2]))
	}
	return fmt.Appendf(nil, `{"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":%d,"events":[{"type":%q,"product_id":%q,"updates":[%s]}]}`,
		seq, typ, product, strings.Join(ups, ","))
}

// heartbeat builds a heartbeats message.
func heartbeat(seq uint64) []byte {
	return fmt.Appendf(nil, `{"channel":"heartbeats","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":%d,"events":[{"current_time":"2023-02-09 20:32:50.714 +0000 UTC m=+1.1","heartbeat_counter":%d}]}`, seq, seq)
}

// bookOf returns the decoder's replica of symbol, failing when there is none.
func bookOf(t testing.TB, d feed.Decoder, symbol string) *feed.Replica {
	t.Helper()
	for _, r := range d.Books() {
		if r.Config().Symbol == symbol {
			return r
		}
	}
	t.Fatalf("no book %s", symbol)
	return nil
}

type writer struct{ b *[]byte }

func (w writer) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

func anomalyText(a *feed.Anomalies) string {
	var b []byte
	_ = a.WriteText(writer{&b})
	return string(b)
}

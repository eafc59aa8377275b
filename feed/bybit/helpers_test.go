package bybit

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"ems/core/event"
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

// decodeAll decodes msgs in order (message i received at i+1 ns), failing on any error, and
// returns every event produced.
func decodeAll(t testing.TB, d *Decoder, msgs ...[]byte) []event.Event {
	t.Helper()
	out := feed.NewBatch(256)
	var evs []event.Event
	for i, m := range msgs {
		if err := d.Decode(m, int64(i+1), out); err != nil {
			t.Fatalf("message %d: %v\n%s", i, err, m)
		}
		evs = append(evs, out.Events()...)
		out.Reset()
	}
	return evs
}

// inferring returns a decoder configured like a replay of unknown symbols.
func inferring() *Decoder { return New(feed.Config{Venue: 3, InferUnknown: true}) }

// replica returns the decoder's book of topic, failing when it does not exist.
func replica(t testing.TB, d *Decoder, topic string) *feed.Replica {
	t.Helper()
	b := d.books[topic]
	if b == nil {
		t.Fatalf("no book %s", topic)
	}
	return b.r
}

// report returns r's replay report line.
func report(r *feed.Replica) string { return string(r.AppendReport(nil, VenueName)) }

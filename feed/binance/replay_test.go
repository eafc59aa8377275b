package binance

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"ems/feed"
	"ems/feed/replay"
)

// TestReplay runs the recordings through the `ems feed replay` engine, snapshot given without a
// symbol, and checks the report lines.
func TestReplay(t *testing.T) {
	td := func(n string) string { return filepath.Join("testdata", n) }
	tests := []struct {
		name     string
		files    []string
		snapshot string
		want     string // report lines; "" for none
	}{
		{"all-streams", []string{td(allFile)}, td(snapshotFile),
			`{"venue":"binance","symbol":"NKNUSDT","messages":226,"applied":149,"dropped":1,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,` +
				`"bids":[["0.3527","9602"],`},
		{"trades-only", []string{td("ws_trade.jsonl"), td("ws_bookTicker_tardis.jsonl")}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := replay.Run(New(feed.Config{Venue: 1, InferUnknown: true}), tc.files,
				replay.Options{Venue: "binance", Snapshot: tc.snapshot}, &out)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if out.Len() != 0 {
					t.Errorf("report %s, want none", out.String())
				}
				return
			}
			if lines := strings.Count(out.String(), "\n"); lines != 1 || !strings.HasPrefix(out.String(), tc.want) ||
				!strings.Contains(out.String(), `"asks":[["0.3531","152"],`) {
				t.Errorf("report\n%s\nwant one line starting\n%s", out.String(), tc.want)
			}
		})
	}
}

package binanceusdm

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"ems/feed"
	"ems/feed/replay"
)

// TestReplay runs the recordings through the `ems feed replay` engine and checks the report:
// SUSHIUSDT with the snapshot; nothing for the Tardis trade/bookTicker sample, which has no book.
func TestReplay(t *testing.T) {
	td := func(n string) string { return filepath.Join("testdata", n) }
	tests := []struct {
		name     string
		files    []string
		snapshot string
		want     []string // substrings of the one report line; nil: no line
	}{
		{"sushiusdt", []string{td(diffFile), td(tickerFile), td(aggFile)}, td(snapshotFile), []string{
			`{"venue":"binanceusdm","symbol":"SUSHIUSDT","messages":600,"applied":252,"dropped":3,"gaps":0,"resyncs":0,`,
			`"bids":[["7.612","303"],`, `"asks":[["7.616","267"],`}},
		{"tardis", []string{td(tardisFile)}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := replay.Run(New(feed.Config{Venue: 2, InferUnknown: true}), tc.files,
				replay.Options{Venue: "binanceusdm", Snapshot: tc.snapshot}, &out)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if out.Len() != 0 {
					t.Errorf("report %s, want none", out.String())
				}
				return
			}
			if strings.Count(out.String(), "\n") != 1 {
				t.Fatalf("report %s, want one line", out.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("report %s\nlacks %s", out.String(), w)
				}
			}
		})
	}
}

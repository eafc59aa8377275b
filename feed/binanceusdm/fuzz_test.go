package binanceusdm

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ems/feed"
)

// FuzzDecode feeds arbitrary lines to a futures decoder (a line starting like a REST snapshot is
// loaded as one): it must never panic, errors carry the binance package prefix, and the counters
// stay consistent.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		lines := bytes.Split(data, []byte("\n"))
		for _, l := range lines {
			f.Add(l)
		}
		if strings.Contains(name, "depth_diff") {
			snap, _ := os.ReadFile(filepath.Join("testdata", snapshotFile))
			f.Add(append(append(bytes.TrimSpace(snap), '\n'), bytes.Join(lines[:8], []byte("\n"))...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := newInfer()
		out := feed.NewBatch(64)
		for _, l := range bytes.Split(data, []byte("\n")) {
			var err error
			if bytes.HasPrefix(l, []byte(`{"lastUpdateId"`)) {
				err = d.LoadSnapshot("", l, 1, out)
			} else {
				err = d.Decode(l, 1, out)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "binance") {
				t.Fatalf("error without prefix: %v", err)
			}
			out.Reset()
		}
		for _, r := range d.Books() {
			s := r.Stats
			if s.Dropped < 0 || s.Applied < 0 || s.Applied+s.Dropped > s.Messages {
				t.Fatalf("%s: inconsistent stats %+v", r.Config().Symbol, s)
			}
		}
	})
}

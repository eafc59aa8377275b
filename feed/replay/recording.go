package replay

import (
	"bytes"
	"fmt"
	"os"
)

// Line is one recorded message and the time it was received (ns).
type Line struct {
	Msg  []byte
	Recv int64
}

// Load reads a whole recording: its non-empty lines in order, stamped with the receive times of
// its sidecar (see the package doc) or, without one, with their line numbers 1, 2, 3, ... For
// tests and tools; Run streams instead.
func Load(path string) ([]Line, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(data) == 0 {
		lines = nil
	}
	stamps, err := sidecar(path, len(lines))
	if err != nil {
		return nil, err
	}
	out := make([]Line, 0, len(lines))
	for i, l := range lines {
		if l = bytes.TrimSpace(l); len(l) == 0 {
			continue
		}
		recv := int64(i + 1)
		if stamps != nil {
			recv = stamps[i]
		}
		out = append(out, Line{Msg: l, Recv: recv})
	}
	return out, nil
}

// Package replay runs recorded venue messages through a venue's real feed decoder and reports
// each book: the engine of `ems feed replay`.
//
// A recording is JSON Lines, one raw message per line in arrival order (Binance combined-stream
// envelopes allowed). When a sidecar FILE.recv_ts (same name, .jsonl replaced) holds one Unix
// receive time in seconds per line, its times stamp the events; otherwise line i of the run is
// stamped i ns, so replays stay deterministic either way.
package replay

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"ems/core/fixed"
	"ems/feed"
)

// MaxLine is the longest line a recording may hold (a 5000-level REST snapshot is about 250 KB).
const MaxLine = 64 << 20

// Options configure a replay.
type Options struct {
	Venue    string // the venue name printed in reports
	Snapshot string // a one-line REST depth snapshot applied before the recordings ("": none)
	// Anomalies receives the decoder's anomaly summary at the end (nil: not written).
	Anomalies io.Writer
}

// Run replays files through dec and writes one report line per book to w, in the order the books
// were first seen. It fails on an unreadable file, on a snapshot the venue cannot take, and on a
// file in which the decoder recognised no message at all (a recording of another venue).
func Run(dec feed.Decoder, files []string, opts Options, w io.Writer) error {
	if len(files) == 0 {
		return errors.New("replay: no recording given")
	}
	out := feed.NewBatch(4096)
	var clock int64
	if opts.Snapshot != "" {
		loader, ok := dec.(feed.SnapshotLoader)
		if !ok {
			return fmt.Errorf("replay: --snapshot is not used by %s (its books start from stream snapshots)", opts.Venue)
		}
		body, err := os.ReadFile(opts.Snapshot)
		if err != nil {
			return fmt.Errorf("replay: snapshot: %w", err)
		}
		body = bytes.TrimSpace(body)
		if len(body) == 0 || bytes.IndexByte(body, '\n') >= 0 {
			return fmt.Errorf("replay: snapshot %s: want exactly one line (a REST depth response)", opts.Snapshot)
		}
		ts, err := sidecar(opts.Snapshot, 1)
		if err != nil {
			return err
		}
		recv := clock
		if ts != nil {
			recv = ts[0]
		}
		if err := loader.LoadSnapshot("", body, recv, out); err != nil {
			return fmt.Errorf("replay: snapshot %s: %w", opts.Snapshot, err)
		}
		out.Reset()
	}
	for _, path := range files {
		if err := replayFile(dec, path, out, &clock); err != nil {
			return err
		}
	}
	var line []byte
	for _, r := range dec.Books() {
		if r.Stats.Messages == 0 && r.Stats.Applied == 0 && r.Stats.Dropped == 0 {
			continue
		}
		line = r.AppendReport(line[:0], opts.Venue)
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return fmt.Errorf("replay: %w", err)
		}
	}
	if opts.Anomalies != nil && dec.Anomalies().Total() > 0 {
		fmt.Fprintf(opts.Anomalies, "%s: %d anomalies noted (malformed, unexpected or irregular messages), by kind:\n", opts.Venue, dec.Anomalies().Total())
		if err := dec.Anomalies().WriteText(opts.Anomalies); err != nil {
			return fmt.Errorf("replay: %w", err)
		}
	}
	return nil
}

func replayFile(dec feed.Decoder, path string, out *feed.Batch, clock *int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	defer f.Close()
	lines, err := countLines(f)
	if err != nil {
		return fmt.Errorf("replay: %s: %w", path, err)
	}
	stamps, err := sidecar(path, lines)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("replay: %s: %w", path, err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), MaxLine)
	var n, recognised int
	var firstErr error
	for sc.Scan() {
		n++
		msg := bytes.TrimSpace(sc.Bytes())
		if len(msg) == 0 {
			continue
		}
		*clock++
		recv := *clock
		if stamps != nil {
			recv = stamps[n-1]
		}
		err := dec.Decode(msg, recv, out)
		out.Reset()
		if err == nil {
			recognised++
		} else if firstErr == nil {
			firstErr = err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("replay: %s line %d: %w", path, n+1, err)
	}
	if recognised == 0 && n > 0 {
		return fmt.Errorf("replay: %s: no message of this venue recognised in %d lines (first error: %v); is it a recording of another venue?", path, n, firstErr)
	}
	return nil
}

func countLines(r io.Reader) (int, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	n, last := 0, byte('\n')
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 {
			last = chunk[len(chunk)-1]
			if last == '\n' {
				n++
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if last != '\n' {
				n++
			}
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// sidecar reads the receive times next to path (PATH.recv_ts, or with .jsonl replaced), in ns.
// It returns nil when there is none or its line count differs from lines (then it is not this
// file's).
func sidecar(path string, lines int) ([]int64, error) {
	name := strings.TrimSuffix(path, ".jsonl") + ".recv_ts"
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	fields := bytes.Fields(data)
	if len(fields) != lines {
		return nil, nil
	}
	ts := make([]int64, len(fields))
	for i, f := range fields {
		v, err := fixed.Parse(f, 9)
		if err != nil {
			return nil, fmt.Errorf("replay: %s line %d: receive time: %w", name, i+1, err)
		}
		ts[i] = v
	}
	return ts, nil
}

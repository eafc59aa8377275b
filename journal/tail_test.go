package journal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// poller waits between polls of a tailing reader: a few yields, then short
// sleeps, so that a test never spins a CPU the writer needs on 2 cores.
type poller struct{ idle int }

func (p *poller) wait() {
	p.idle++
	if p.idle < 64 {
		runtime.Gosched()
		return
	}
	time.Sleep(100 * time.Microsecond)
}

// tailExpect reads records from seq from on with r until it has seen to,
// checking order and content. stop reports that no more records will come.
func tailExpect(r *Reader, from, to uint64, stop func() bool) error {
	var p poller
	next := from
	for next <= to {
		rec, err := r.Next()
		if errors.Is(err, ErrNoData) {
			if stop() {
				// Look once more: the last records may have landed
				// between our Next and stop.
				if rec, err = r.Next(); errors.Is(err, ErrNoData) {
					return fmt.Errorf("writer finished but reader saw only up to seq %d of %d", next-1, to)
				}
			} else {
				p.wait()
				continue
			}
		}
		if err != nil {
			return err
		}
		p.idle = 0
		if rec.Seq != next {
			return fmt.Errorf("read seq %d, want %d", rec.Seq, next)
		}
		if !checkRecordFor(rec) {
			return fmt.Errorf("seq %d: wrong content", rec.Seq)
		}
		next++
	}
	return nil
}

func TestTailConcurrent(t *testing.T) {
	n := uint64(50000)
	if raceEnabled || testing.Short() {
		n = 10000
	}
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(16<<10))
	writerDone := make(chan struct{})
	const readers = 2
	errs := make(chan error, readers)
	for range readers {
		go func() {
			r, err := OpenTail(dir)
			if err != nil {
				errs <- err
				return
			}
			defer r.Close()
			errs <- tailExpect(r, 1, n, func() bool {
				select {
				case <-writerDone:
					return true
				default:
					return false
				}
			})
		}()
	}
	var buf [maxTestPayload]byte
	for seq := uint64(1); seq <= n; seq++ {
		if err := w.Append(typeFor(seq), seq, tsFor(seq), payloadFor(seq, buf[:])); err != nil {
			t.Fatal(err)
		}
		if seq%256 == 0 {
			runtime.Gosched()
		}
	}
	close(writerDone)
	for range readers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	mustClose(t, w)
	if idx, _ := listSegments(dir, false); len(idx) < 10 {
		t.Errorf("only %d segments: the readers did not follow many rolls", len(idx))
	}
}

// A writer in another process; the reader tails from before the journal
// exists.
func TestTailCrossProcess(t *testing.T) {
	n := uint64(20000)
	if raceEnabled || testing.Short() {
		n = 5000
	}
	dir := t.TempDir()
	r, err := OpenTail(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Next(); !errors.Is(err, ErrNoData) {
		t.Fatalf("Next on an empty directory = %v, want ErrNoData", err)
	}
	cmd := helperCommand("write", dir, 16<<10, n, 0)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var childErr error
	done := false
	err = tailExpect(r, 1, n, func() bool {
		if done {
			return true
		}
		select {
		case childErr = <-exited:
			done = true
		case <-time.After(0):
		}
		return done
	})
	if !done {
		childErr = <-exited
	}
	if childErr != nil {
		t.Fatalf("writer process: %v\n%s", childErr, stderr.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(dir); err != nil {
		t.Fatal(err)
	}
}

// A single segment file read while written ends at its seal.
func TestTailSingleSegmentFile(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	r, err := OpenTail(filepath.Join(dir, segmentName(0)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Next(); !errors.Is(err, ErrNoData) {
		t.Fatalf("Next = %v, want ErrNoData", err)
	}
	appendRange(t, w, 1, 5)
	for seq := uint64(1); seq <= 5; seq++ {
		if rec, err := r.Next(); err != nil || rec.Seq != seq {
			t.Fatalf("seq %d: %d, %v", seq, rec.Seq, err)
		}
	}
	appendRange(t, w, 6, 200) // rolls past segment 0
	var seq uint64 = 5
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		seq++
		if rec.Seq != seq || rec.Segment != 0 {
			t.Fatalf("got seq %d in segment %d, want %d in 0", rec.Seq, rec.Segment, seq)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("Next after the seal = %v, want io.EOF again", err)
	}
	mustClose(t, w)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Next after Close = %v", err)
	}
}

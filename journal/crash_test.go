package journal

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestCrashRecovery kills a writer process with SIGKILL at random moments,
// many times over, and checks after each kill that every record it
// acknowledged is there, in order and intact, that beyond those there are at
// most the records of its last unacknowledged burst, that nothing damaged is
// left after the last good record once the next writer has recovered, and
// that appending continues.
func TestCrashRecovery(t *testing.T) {
	rounds := 30
	if testing.Short() || raceEnabled {
		rounds = 8
	}
	const segSize = 256 << 10
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(20240601, 7))
	var acked uint64 // highest sequence any child acknowledged
	tornRounds := 0  // rounds killed while a record was half written
	for round := range rounds {
		acked = crashOnce(t, round, dir, segSize, rng, acked)

		// Readers see the acknowledged records, in order, before any
		// recovery. Bytes of the record being appended at the kill may sit
		// after them without a length word: Verify calls that a torn tail,
		// never corruption.
		seqs := readSeqs(t, dir)
		last := uint64(len(seqs))
		if last < acked || last > acked+maxBurst {
			t.Fatalf("round %d: journal holds %d records, %d were acknowledged", round, last, acked)
		}
		checkContiguous(t, seqs, 1, last)
		_, err := Verify(dir)
		if err != nil && !errors.Is(err, ErrTornTail) {
			t.Fatalf("round %d: Verify: %v", round, err)
		}
		if err != nil {
			tornRounds++
		}
		acked = last // the child after a kill continues from the last record
	}

	t.Logf("%d rounds, %d records, %d kills left a half-written record", rounds, acked, tornRounds)
	w := mustOpen(t, dir, smallOptions(segSize))
	last, _ := w.LastSeq()
	if last != acked {
		t.Fatalf("LastSeq after recovery = %d, want %d", last, acked)
	}
	appendRange(t, w, last+1, last+100)
	mustClose(t, w)
	checkContiguous(t, readSeqs(t, dir), 1, last+100)
	if _, err := Verify(dir); err != nil {
		t.Fatalf("Verify after the last recovery: %v", err)
	}
}

// crashOnce runs one writer child, kills it, and returns the highest
// sequence acknowledged so far.
func crashOnce(t *testing.T, round int, dir string, segSize int64, rng *rand.Rand, acked uint64) uint64 {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	cmd := helperCommand("crash", dir, segSize, 0, rng.Uint64())
	cmd.ExtraFiles = []*os.File{pw}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()

	// Kill after a random number of acknowledgements, or after a random
	// time (which may fall inside Open's recovery or a roll).
	killAfterAcks := uint64(1 + rng.IntN(4000))
	killAfterTime := time.Duration(rng.IntN(40)) * time.Millisecond
	byTime := rng.IntN(4) == 0

	var last atomic.Uint64
	last.Store(acked)
	reached := make(chan struct{})
	readDone := make(chan error, 1)
	go func() {
		br := bufio.NewReader(pr)
		var b [8]byte
		var n uint64
		for {
			if _, err := io.ReadFull(br, b[:]); err != nil {
				if err == io.EOF {
					err = nil
				}
				readDone <- err
				return
			}
			seq := binary.LittleEndian.Uint64(b[:])
			if seq != last.Load()+1 {
				readDone <- errors.New("acknowledgements out of order")
				return
			}
			last.Store(seq)
			if n++; n == killAfterAcks {
				close(reached)
			}
		}
	}()
	var timer <-chan time.Time
	if byTime {
		timer = time.After(killAfterTime)
	}
	early := false
	select {
	case <-reached:
	case <-timer:
	case err := <-readDone: // the child ended on its own: a failure
		readDone <- err
		early = true
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	werr := cmd.Wait()
	if err := <-readDone; err != nil {
		t.Fatalf("round %d: reading acknowledgements: %v", round, err)
	}
	var ee *exec.ExitError
	if early || !errors.As(werr, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("round %d: writer process ended with %v, not SIGKILL\n%s", round, werr, stderr.String())
	}
	return last.Load()
}

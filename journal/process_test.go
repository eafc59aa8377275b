package journal

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// The test binary re-executes itself to run a writer in a child process:
// TestHelperProcess does the child's work when these variables are set.
const (
	envHelper = "JOURNAL_TEST_HELPER" // "crash" or "write"
	envDir    = "JOURNAL_TEST_DIR"
	envCount  = "JOURNAL_TEST_COUNT" // records to write ("write")
	envSize   = "JOURNAL_TEST_SEGMENT_SIZE"
	envSeed   = "JOURNAL_TEST_SEED"

	// maxBurst bounds how many records the crash child appends before it
	// writes their acknowledgements.
	maxBurst = 256
)

// helperCommand returns a command running TestHelperProcess in a child.
func helperCommand(mode, dir string, segSize int64, count, seed uint64) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		envHelper+"="+mode,
		envDir+"="+dir,
		envSize+"="+strconv.FormatInt(segSize, 10),
		envCount+"="+strconv.FormatUint(count, 10),
		envSeed+"="+strconv.FormatUint(seed, 10))
	return cmd
}

// TestHelperProcess is not a test: it is the child side of the crash and
// cross-process tests.
//
//	crash: open the journal (recovering it), then append records as fast as
//	       possible until killed, writing each acknowledged sequence (8
//	       bytes, little-endian) to file descriptor 3 after its Append
//	       returned. Half the time it acknowledges every record at once; else
//	       it appends a random burst of up to maxBurst records and then
//	       acknowledges them with one write, so that a kill often lands
//	       inside an Append rather than inside the write(2).
//	write: open the journal, append count records, close, exit.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(envHelper)
	if mode == "" {
		t.Skip("child process helper")
	}
	if err := runHelper(mode); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
	os.Exit(0)
}

func runHelper(mode string) error {
	size, _ := strconv.ParseInt(os.Getenv(envSize), 10, 64)
	count, _ := strconv.ParseUint(os.Getenv(envCount), 10, 64)
	w, err := Open(os.Getenv(envDir), Options{SegmentSize: size})
	if err != nil {
		return err
	}
	last, _ := w.LastSeq()
	var buf [maxTestPayload]byte
	switch mode {
	case "crash":
		acks := os.NewFile(3, "acks")
		seed, _ := strconv.ParseUint(os.Getenv(envSeed), 10, 64)
		rng := rand.New(rand.NewPCG(seed, 1))
		ack := make([]byte, 0, 8*maxBurst)
		for seq := last + 1; ; {
			burst := 1
			if rng.IntN(2) == 0 {
				burst = 1 + rng.IntN(maxBurst)
			}
			ack = ack[:0]
			for range burst {
				if err := w.Append(typeFor(seq), seq, tsFor(seq), payloadFor(seq, buf[:])); err != nil {
					return err
				}
				ack = binary.LittleEndian.AppendUint64(ack, seq)
				seq++
			}
			if _, err := acks.Write(ack); err != nil {
				return err
			}
		}
	case "write":
		for seq := last + 1; seq <= last+count; seq++ {
			if err := w.Append(typeFor(seq), seq, tsFor(seq), payloadFor(seq, buf[:])); err != nil {
				return err
			}
		}
		return w.Close()
	}
	return fmt.Errorf("unknown mode %q", mode)
}

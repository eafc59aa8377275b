package journal_test

import (
	"errors"
	"fmt"
	"io"
	"os"

	"ems/journal"
)

func Example() {
	dir, err := os.MkdirTemp("", "journal-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	w, err := journal.Open(dir, journal.Options{SegmentSize: 1 << 20})
	if err != nil {
		panic(err)
	}
	// Sequences and timestamps come from the caller: the event's own.
	for seq := uint64(1); seq <= 3; seq++ {
		if err := w.Append(7, seq, int64(seq)*1_000, []byte(fmt.Sprintf("event %d", seq))); err != nil {
			panic(err)
		}
	}
	// Build a payload in place, without a copy.
	p, err := w.Claim(5)
	if err != nil {
		panic(err)
	}
	copy(p, "fills")
	if err := w.Commit(8, 4, 4_000); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil { // Close syncs
		panic(err)
	}

	r, err := journal.OpenReader(dir)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			panic(err)
		}
		fmt.Printf("type %d seq %d ts %d %q\n", rec.Type, rec.Seq, rec.Timestamp, rec.Payload)
	}
	rep, err := journal.Verify(dir)
	fmt.Println(rep.Records, "records verified, error:", err)
	// Output:
	// type 7 seq 1 ts 1000 "event 1"
	// type 7 seq 2 ts 2000 "event 2"
	// type 7 seq 3 ts 3000 "event 3"
	// type 8 seq 4 ts 4000 "fills"
	// 4 records verified, error: <nil>
}

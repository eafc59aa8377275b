package feed

import (
	"fmt"
	"io"
)

// MaxSample is how many bytes of a message an anomaly keeps as its sample.
const MaxSample = 256

// Anomalies counts malformed or unexpected venue messages by kind ("bad json", "unknown event",
// "bad price", ...), keeping the first message of each kind as a sample so it can be logged once.
// Recording a kind already seen allocates nothing. Owned by the feed thread.
type Anomalies struct {
	kinds []anomaly
	// Log, when set, is told about each kind the first time it is seen.
	Log io.Writer
}

type anomaly struct {
	kind   string
	count  int64
	sample []byte
	err    string
}

// Note counts one message of kind; kind should be a constant string. err may be nil.
func (a *Anomalies) Note(kind string, msg []byte, err error) {
	for i := range a.kinds {
		if a.kinds[i].kind == kind {
			a.kinds[i].count++
			return
		}
	}
	n := len(msg)
	if n > MaxSample {
		n = MaxSample
	}
	an := anomaly{kind: kind, count: 1, sample: append([]byte(nil), msg[:n]...)}
	if err != nil {
		an.err = err.Error()
	}
	a.kinds = append(a.kinds, an)
	if a.Log != nil {
		fmt.Fprintf(a.Log, "feed: %s (first seen; further ones counted silently): %v: %q\n", kind, err, an.sample)
	}
}

// Total returns the number of anomalous messages of every kind.
func (a *Anomalies) Total() int64 {
	var n int64
	for _, k := range a.kinds {
		n += k.count
	}
	return n
}

// Count returns the number of messages noted under kind.
func (a *Anomalies) Count(kind string) int64 {
	for _, k := range a.kinds {
		if k.kind == kind {
			return k.count
		}
	}
	return 0
}

// WriteText writes one line per kind, in the order first seen: count, kind, error, sample.
func (a *Anomalies) WriteText(w io.Writer) error {
	for _, k := range a.kinds {
		if _, err := fmt.Fprintf(w, "%8d  %s: %s: %q\n", k.count, k.kind, k.err, k.sample); err != nil {
			return err
		}
	}
	return nil
}

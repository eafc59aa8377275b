package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/cespare/xxhash/v2"

	"ems/core/book"
	"ems/core/event"
	"ems/core/instrument"
	"ems/journal"
	"ems/ring"
	"ems/tuning"
)

// The pipeline `ems run` drives until the execution core exists: venue messages go through the
// real feed decoders, events cross SPSC rings to the books agent (the core's books), which
// forwards every event over a second ring to the journal agent. Receive timestamps are taken at
// the edge (the feed); the books agent reads no clock. run_live.go feeds it from simulated venues
// over WebSocket, run_recorded.go from the embedded recordings.

// Agent names, as the thread layout refers to them.
const (
	agentFeed    = "feed"
	agentBooks   = "books"
	agentJournal = "journal"
)

func defaultLayout(h tuning.Host) tuning.Layout {
	return tuning.DefaultLayout([]string{agentBooks, agentJournal}, nil, h)
}

// booksAgent is the core's side: it applies book events to its own books (one per venue and
// instrument) and forwards every event, sequenced, to the journal ring. It reads no clock.
type booksAgent struct {
	in, out *ring.OneToOne[event.Event]
	books   map[uint64]*book.Book // keyed by venue<<32|instrument; looked up, never iterated
	tops    map[uint64]top        // last consistent top of each book; iterated only to print
	seq     uint64
	errors  int64
	stash   []event.Event // events taken from in but not yet forwarded
}

func (a *booksAgent) Name() string { return agentBooks }

func (a *booksAgent) DoWork() int {
	if len(a.stash) == 0 {
		evs := a.in.Peek()
		if len(evs) == 0 {
			return 0
		}
		for i := range evs {
			a.apply(&evs[i])
		}
		a.stash = append(a.stash[:0], evs...)
		a.in.Release(len(evs))
	}
	slots := a.out.Claim(len(a.stash))
	k := copy(slots, a.stash)
	a.out.Publish(k)
	a.stash = a.stash[k:]
	return k + 1
}

func (a *booksAgent) apply(e *event.Event) {
	a.seq++
	key := uint64(e.Venue)<<32 | uint64(e.Instrument)
	switch e.Kind {
	case event.KindBookLevel:
		b := a.books[key]
		if b == nil {
			var err error
			if b, err = book.New(1, book.DefaultCapacity); err != nil {
				a.errors++
				return
			}
			a.books[key] = b
		}
		if e.Flags&event.FlagSnapshotBegin != 0 {
			b.BeginSnapshot()
		}
		l := e.BookLevel()
		if _, err := b.Set(book.Side(l.Side), l.Price, l.Qty); err != nil {
			a.errors++
		}
		if e.Flags&event.FlagLastInBatch != 0 {
			var t top
			t.bidPx, t.bidQty, _ = b.BestBid()
			t.askPx, t.askQty, _ = b.BestAsk()
			t.levels = [2]int{b.Len(book.Bid), b.Len(book.Ask)}
			t.seq = e.Seq
			a.tops[key] = t
		}
	case event.KindBookStatus:
		if b := a.books[key]; b != nil && e.BookStatus().State == event.BookInvalid {
			b.Clear()
		}
	}
}

// top is the best bid and ask of a book after the last complete venue message.
type top struct {
	bidPx, bidQty, askPx, askQty int64
	levels                       [2]int
	seq                          uint64
}

// journalAgent appends every event to the journal and measures the feed-to-journal latency.
type journalAgent struct {
	in      *ring.OneToOne[event.Event]
	w       *journal.Writer
	seq     uint64
	hash    *xxhash.Digest
	hist    *hdrhistogram.Histogram
	clock   func() int64
	written atomic.Int64
	err     atomic.Pointer[error]
}

func (a *journalAgent) Name() string { return agentJournal }

func (a *journalAgent) DoWork() int {
	evs := a.in.Peek()
	if len(evs) == 0 {
		return 0
	}
	now := a.clock()
	for i := range evs {
		e := &evs[i]
		a.seq++
		if err := a.w.Append(event.RecordType(e.Kind), a.seq, e.RecvTS, e.Bytes()); err != nil {
			a.err.Store(&err)
			break
		}
		b := e.Bytes()
		a.hash.Write(b[:24]) // header up to the receive time, which is the wall clock's
		a.hash.Write(b[32:])
		_ = a.hist.RecordValue(now - e.RecvTS)
	}
	a.in.Release(len(evs))
	a.written.Add(int64(len(evs)))
	return len(evs)
}

func runMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ems run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", "sim", "sim: simulated venues on loopback, fed through the real transport; recorded: the embedded real recordings")
	duration := fs.Duration("duration", 5*time.Second, "sim: how long to run")
	dir := fs.String("journal", "", "journal directory (default: a new temporary directory, removed at exit)")
	loops := fs.Int("loops", 200, "recorded: times each recording is played")
	layoutPath := fs.String("layout", "", "thread layout JSON (default: chosen for this host)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var err error
	switch *source {
	case "sim":
		err = runLive(*dir, *duration, *layoutPath, stdout, stderr)
	case "recorded":
		err = runPipeline(*dir, *loops, *layoutPath, stdout)
	default:
		err = fmt.Errorf("--source %q: want sim or recorded", *source)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ems run: %v\n", err)
		return 1
	}
	return 0
}

// core is what both sources share: the journal, the thread plan, and the books and journal agents.
type core struct {
	dir     string
	w       *journal.Writer
	planned tuning.Planned
	hist    *hdrhistogram.Histogram
	books   *booksAgent
	journal *journalAgent
	cleanup func()
}

// openCore opens the journal (a temporary one when dir is ""), records the instrument master's
// version in it, and plans the threads for hot agents.
func openCore(dir, layoutPath string, hot []string, stdout io.Writer) (*core, error) {
	c := &core{cleanup: func() {}}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "ems-journal-")
		if err != nil {
			return nil, err
		}
		c.cleanup = func() { os.RemoveAll(tmp) }
		dir = tmp
	}
	c.dir = dir
	host, err := tuning.CurrentHost()
	if err != nil {
		c.cleanup()
		return nil, err
	}
	layout := tuning.DefaultLayout(hot, nil, host)
	if layoutPath != "" {
		if layout, err = tuning.LoadLayout(layoutPath); err != nil {
			c.cleanup()
			return nil, err
		}
	}
	if c.planned, err = tuning.Plan(layout, host); err != nil {
		c.cleanup()
		return nil, err
	}
	fmt.Fprintln(stdout, "threads:")
	if err := c.planned.WriteText(stdout); err != nil {
		c.cleanup()
		return nil, err
	}
	master, err := instrument.Default()
	if err != nil {
		c.cleanup()
		return nil, err
	}
	if c.w, err = journal.Open(dir, journal.Options{SegmentSize: 64 << 20, Clock: wallClock}); err != nil {
		c.cleanup()
		return nil, err
	}
	meta := fmt.Sprintf("instruments version=%s hash=%016x", master.Version(), master.Hash())
	if err := c.w.Append(event.RecordMeta, 1, wallClock(), []byte(meta)); err != nil {
		c.close()
		return nil, err
	}
	toJournal, _ := ring.New[event.Event](1 << 14)
	c.hist = hdrhistogram.New(1, int64(10*time.Second), 3)
	c.books = &booksAgent{out: toJournal, books: map[uint64]*book.Book{}, tops: map[uint64]top{}, stash: make([]event.Event, 0, 1<<14)}
	c.journal = &journalAgent{in: toJournal, w: c.w, seq: 1, hash: xxhash.New(), hist: c.hist, clock: wallClock}
	return c, nil
}

func (c *core) close() error {
	err := c.w.Close()
	c.cleanup()
	return err
}

// finish closes the journal, verifies it and prints the shared part of the report.
func (c *core) finish(elapsed time.Duration, what string, stdout io.Writer) error {
	if p := c.journal.err.Load(); p != nil {
		return fmt.Errorf("journal: %w", *p)
	}
	if err := c.w.Close(); err != nil {
		return err
	}
	n := c.journal.written.Load()
	fmt.Fprintf(stdout, "\n%d events in %v (%.0f events/s) through %s\n", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), what)
	fmt.Fprintf(stdout, "feed receive -> journal append latency: p50 %v  p99 %v  p99.9 %v  max %v\n",
		time.Duration(c.hist.ValueAtQuantile(50)), time.Duration(c.hist.ValueAtQuantile(99)),
		time.Duration(c.hist.ValueAtQuantile(99.9)), time.Duration(c.hist.Max()))
	fmt.Fprintf(stdout, "book errors in the core: %d\n", c.books.errors)
	rep, err := journal.Verify(c.dir)
	if err != nil {
		return fmt.Errorf("journal verify: %w", err)
	}
	fmt.Fprintf(stdout, "journal %s: %d records in %d segments verified\n", c.dir, rep.Records, rep.Segments)
	return nil
}

func wallClock() int64 { return time.Now().UnixNano() }

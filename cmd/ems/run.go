package main

import (
	"bytes"
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
	"ems/feed"
	"ems/journal"
	"ems/ring"
	"ems/tuning"
)

// The pipeline `ems run` drives until the execution core and the venue simulator exist: recorded
// venue messages go through the real feed decoders (feed agent), events cross an SPSC ring to the
// book agent (the core's books), which forwards every event over a second ring to the journal
// agent. Edge timestamps are taken by the feed agent; the book agent reads no clock.

// Agent names, as the thread layout refers to them.
const (
	agentFeed    = "feed"
	agentBooks   = "books"
	agentJournal = "journal"
)

func defaultLayout(h tuning.Host) tuning.Layout {
	return tuning.DefaultLayout([]string{agentBooks, agentJournal}, nil, h)
}

// source is one venue's recording: raw messages and the decoder that reads them.
type source struct {
	venue      string
	decoder    feed.Decoder
	newDecoder func() (feed.Decoder, error)
	snapshot   []byte // REST depth snapshot loaded at the start of each pass (Binance), or nil
	lines      [][]byte
	loops      int // times the recording is played, each pass on a fresh decoder
	pass       int
	messages   int64
}

// feedAgent decodes recorded messages into events and publishes them to its ring. It owns the
// decoders and the batch; it is the edge where receive timestamps enter.
type feedAgent struct {
	srcs    []source
	out     *ring.OneToOne[event.Event]
	batch   *feed.Batch
	src     int
	line    int
	pending []event.Event // events of the current batch not yet published
	done    atomic.Bool
	err     atomic.Pointer[error]
	sent    atomic.Int64
	clock   func() int64
}

func (a *feedAgent) Name() string { return agentFeed }

func (a *feedAgent) DoWork() int {
	if len(a.pending) > 0 {
		return a.flush()
	}
	if a.src >= len(a.srcs) {
		a.done.Store(true)
		return 0
	}
	s := &a.srcs[a.src]
	a.batch.Reset()
	if a.line == 0 && s.snapshot != nil {
		if loader, ok := s.decoder.(feed.SnapshotLoader); ok {
			if err := loader.LoadSnapshot("", s.snapshot, a.clock(), a.batch); err != nil {
				a.fail(fmt.Errorf("%s snapshot: %w", s.venue, err))
				return 0
			}
		}
	}
	_ = s.decoder.Decode(s.lines[a.line], a.clock(), a.batch) // anomalies are counted by the decoder
	s.messages++
	a.line++
	if a.line == len(s.lines) {
		a.line = 0
		s.pass++
		if s.pass == s.loops {
			a.src++
		} else {
			// A new pass is a new connection: a fresh decoder, as after a reconnect. This
			// allocates, once per pass, outside the per-message path.
			dec, err := s.newDecoder()
			if err != nil {
				a.fail(err)
				return 0
			}
			s.decoder = dec
		}
	}
	a.pending = a.batch.Events()
	return 1 + a.flush()
}

func (a *feedAgent) fail(err error) {
	a.err.Store(&err)
	a.done.Store(true)
	a.src = len(a.srcs)
}

func (a *feedAgent) flush() int {
	n := 0
	for len(a.pending) > 0 {
		slots := a.out.Claim(len(a.pending))
		if len(slots) == 0 {
			break
		}
		k := copy(slots, a.pending)
		a.out.Publish(k)
		a.pending = a.pending[k:]
		n += k
	}
	a.sent.Add(int64(n))
	return n
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

// runPipeline plays the embedded recordings through the real decoders at full speed.
func runPipeline(dir string, loops int, layoutPath string, stdout io.Writer) error {
	if loops < 1 {
		return fmt.Errorf("--loops %d: want at least 1", loops)
	}
	srcs, err := demoSources(loops)
	if err != nil {
		return err
	}
	c, err := openCore(dir, layoutPath, []string{agentFeed, agentBooks, agentJournal}, stdout)
	if err != nil {
		return err
	}
	defer c.cleanup()
	toBooks, _ := ring.New[event.Event](1 << 14)
	c.books.in = toBooks
	fa := &feedAgent{srcs: srcs, out: toBooks, batch: feed.NewBatch(8192), clock: wallClock}

	start := time.Now()
	runner, err := tuning.Start(c.planned.Layout, []tuning.Agent{fa, c.books, c.journal})
	if err != nil {
		c.w.Close()
		return err
	}
	for !(fa.done.Load() && c.journal.written.Load() == fa.sent.Load()) {
		select {
		case <-runner.Done():
			c.w.Close()
			return runner.Wait()
		case <-time.After(time.Millisecond):
		}
		if c.journal.err.Load() != nil || fa.err.Load() != nil {
			break
		}
	}
	elapsed := time.Since(start)
	if err := runner.Close(); err != nil {
		c.w.Close()
		return err
	}
	if p := fa.err.Load(); p != nil {
		c.w.Close()
		return fmt.Errorf("feed: %w", *p)
	}
	if err := c.finish(elapsed, "feed -> ring -> books -> ring -> journal (recordings played at full speed,\nso the latency includes queueing behind snapshot bursts)", stdout); err != nil {
		return err
	}
	for _, s := range srcs {
		fmt.Fprintf(stdout, "\n%s: %d messages (%d lines x %d passes); last pass: %d anomalies, books:\n",
			s.venue, s.messages, len(s.lines), s.loops, s.decoder.Anomalies().Total())
		for _, r := range s.decoder.Books() {
			fmt.Fprintf(stdout, "  %s\n", r.AppendReport(nil, s.venue))
		}
	}
	fmt.Fprintf(stdout, "\nevents hash (receive times excluded; equal across runs of the same recordings): %016x\n", c.journal.hash.Sum64())
	return nil
}

func wallClock() int64 { return time.Now().UnixNano() }

// splitLines returns the non-empty lines of data.
func splitLines(data []byte) [][]byte {
	var out [][]byte
	for _, l := range bytes.Split(data, []byte{'\n'}) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			out = append(out, l)
		}
	}
	return out
}

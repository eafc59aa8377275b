package main

import (
	"bytes"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"ems/core/event"
	"ems/feed"
	"ems/ring"
	"ems/tuning"
)

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

package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/ring"
	"ems/sim"
	"ems/tuning"
)

// liveWirings lists the venues whose simulated protocol servers and feeds `ems run` connects.
func liveWirings() map[string]liveWiring {
	return map[string]liveWiring{
		"binance":  wireBinance,
		"coinbase": wireCoinbase,
		"bybit":    wireBybit,
		"okx":      wireOKX,
	}
}

// runLive runs the simulated venues on loopback and the pipeline on their feeds for d.
func runLive(dir string, d time.Duration, layoutPath string, stdout, stderr io.Writer) error {
	if d <= 0 {
		return fmt.Errorf("--duration %v: want a positive duration", d)
	}
	master, err := instrument.Default()
	if err != nil {
		return err
	}
	c, err := openCore(dir, layoutPath, []string{agentBooks, agentJournal}, stdout)
	if err != nil {
		return err
	}
	defer c.cleanup()
	feeds, endpoints, stopFeeds, err := startLiveFeeds(context.Background(), sim.DefaultConfig(), master, liveWirings(), stderr)
	if err != nil {
		c.w.Close()
		return err
	}
	fmt.Fprintln(stdout, "\nsimulated venues (loopback):")
	for _, e := range endpoints {
		fmt.Fprintf(stdout, "  %-20s %s\n", e[0], e[1])
	}
	ins := make([]*ring.OneToOne[event.Event], len(feeds))
	for i, f := range feeds {
		ins[i] = f.ring
	}
	books := &multiBooksAgent{booksAgent: *c.books, ins: ins}
	start := time.Now()
	runner, err := tuning.Start(c.planned.Layout, []tuning.Agent{books, c.journal})
	if err != nil {
		stopFeeds()
		c.w.Close()
		return err
	}
	select {
	case <-time.After(d):
	case <-runner.Done():
	}
	stopFeeds()
	// Drain: every event the feeds published reaches the journal before the threads stop.
	var sent int64
	for _, f := range feeds {
		sent += f.sent.Load()
	}
	for deadline := time.Now().Add(5 * time.Second); c.journal.written.Load() < sent && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	if err := runner.Close(); err != nil {
		c.w.Close()
		return err
	}
	c.books = &books.booksAgent
	if err := c.finish(elapsed, "WebSocket feeds -> rings -> books -> ring -> journal\n(venues step every 100 ms; on a 2-CPU host the core thread yields and shares the CPUs with the\nsimulator, so these latencies are the small-host figures)", stdout); err != nil {
		return err
	}
	if lost := sent - c.journal.written.Load(); lost != 0 {
		return fmt.Errorf("%d events published by the feeds did not reach the journal", lost)
	}
	for _, f := range feeds {
		st := f.session.Stats()
		fmt.Fprintf(stdout, "\n%s: %d connects, %d disconnects, %d messages, %d decode errors, %d snapshots, %d resubscribes, %d anomalies\n",
			f.name, st.Connects, st.Disconnects, st.Messages, st.DecodeErrors, st.Snapshots, st.Resubscribes, f.decoder.Anomalies().Total())
		if f.err != nil {
			fmt.Fprintf(stdout, "  session ended with: %v\n", f.err)
		}
		for _, r := range f.decoder.Books() {
			s := &r.Stats
			cfg := r.Config()
			fmt.Fprintf(stdout, "  %-9s applied %d, dropped %d, gaps %d, resyncs %d, checksums %d ok / %d failed; now %v (feed stopped)\n",
				cfg.Symbol, s.Applied, s.Dropped, s.Gaps, s.Resyncs, s.ChecksumsVerified, s.ChecksumFailures, r.State())
			if t, ok := books.tops[uint64(cfg.Venue)<<32|uint64(cfg.Instrument)]; ok {
				fmt.Fprintf(stdout, "  %-9s core book before the stop: %s x %s / %s x %s, %d x %d levels, update id %d\n", "",
					fixed.AppendTrim(nil, t.bidPx, r.PriceScale()), fixed.AppendTrim(nil, t.bidQty, r.QtyScale()),
					fixed.AppendTrim(nil, t.askPx, r.PriceScale()), fixed.AppendTrim(nil, t.askQty, r.QtyScale()),
					t.levels[0], t.levels[1], t.seq)
			}
		}
	}
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"ems/core/instrument"
	"ems/sim"
)

// runSim implements `ems sim [--config FILE] [--duration D]`: simulated venues on loopback, each
// speaking its venue's wire protocol, until interrupted (or for D).
func runSim(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ems sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "simulator config JSON (default: the embedded default: binance, okx, bybit, coinbase)")
	d := fs.Duration("duration", 0, "stop after this long (0: run until SIGINT or SIGTERM)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := sim.DefaultConfig()
	if *path != "" {
		var err error
		if cfg, err = sim.LoadConfig(*path); err != nil {
			fmt.Fprintf(stderr, "ems sim: %v\n", err)
			return 1
		}
	}
	master, err := instrument.Default()
	if err != nil {
		fmt.Fprintf(stderr, "ems sim: %v\n", err)
		return 1
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if *d > 0 {
		var c2 context.CancelFunc
		ctx, c2 = context.WithTimeout(ctx, *d)
		defer c2()
	}
	served, stop, err := serveVenues(ctx, cfg, master, liveWirings(), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ems sim: %v\n", err)
		return 1
	}
	defer stop()
	for _, sv := range served {
		for _, e := range sv.feed.endpoints {
			fmt.Fprintf(stdout, "%-20s %s\n", e[0], e[1])
		}
		for _, m := range sv.venue.Markets() {
			fmt.Fprintf(stdout, "%-20s %s (%s)\n", sv.venue.Name()+" market", m.Symbol, m.Name)
		}
	}
	fmt.Fprintln(stdout, "serving on loopback; stop with Ctrl-C")
	start := time.Now()
	<-ctx.Done()
	fmt.Fprintf(stdout, "stopped after %v\n", time.Since(start).Round(time.Millisecond))
	return 0
}

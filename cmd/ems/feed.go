package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"ems/feed"
	"ems/feed/binance"
	"ems/feed/binanceusdm"
	"ems/feed/bybit"
	"ems/feed/coinbase"
	"ems/feed/kraken"
	"ems/feed/okx"
	"ems/feed/replay"
)

// venueDecoder builds a market-data decoder for one venue protocol.
type venueDecoder struct {
	name string
	make func(cfg feed.Config) (feed.Decoder, error)
}

// feedVenues lists every venue protocol `ems feed replay` can read. Adding a venue is one line.
func feedVenues() []venueDecoder {
	return []venueDecoder{
		{"binance", func(c feed.Config) (feed.Decoder, error) { return binance.New(c), nil }},
		{"binance-usdm", func(c feed.Config) (feed.Decoder, error) { return binanceusdm.New(c), nil }},
		{"okx", func(c feed.Config) (feed.Decoder, error) { return okx.New(c), nil }},
		{"bybit", func(c feed.Config) (feed.Decoder, error) { return bybit.New(c), nil }},
		{"coinbase", func(c feed.Config) (feed.Decoder, error) { return coinbase.New(c), nil }},
		{"coinbase-legacy", func(c feed.Config) (feed.Decoder, error) { return coinbase.NewLegacy(c), nil }},
		{"kraken", func(c feed.Config) (feed.Decoder, error) { return kraken.New(c) }},
		{"kraken-v1", func(c feed.Config) (feed.Decoder, error) { return kraken.NewV1(c) }},
	}
}

func venueNames() string {
	var names []string
	for _, v := range feedVenues() {
		names = append(names, v.name)
	}
	return strings.Join(names, ", ")
}

// newVenueDecoder returns the decoder of venue built from cfg.
func newVenueDecoder(venue string, cfg feed.Config) (feed.Decoder, error) {
	for _, v := range feedVenues() {
		if v.name == venue {
			return v.make(cfg)
		}
	}
	return nil, fmt.Errorf("unknown venue %q (one of: %s)", venue, venueNames())
}

// runFeed implements `ems feed replay --venue VENUE [--snapshot FILE] FILE...`.
func runFeed(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "replay" {
		fmt.Fprintln(stderr, "usage: ems feed replay --venue VENUE [--snapshot FILE] FILE...")
		return 2
	}
	fs := flag.NewFlagSet("ems feed replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	venue := fs.String("venue", "", "venue protocol: "+venueNames())
	snapshot := fs.String("snapshot", "", "one-line REST depth snapshot applied first (binance, binance-usdm)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *venue == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: ems feed replay --venue VENUE [--snapshot FILE] FILE...")
		return 2
	}
	dec, err := newVenueDecoder(*venue, feed.Config{Venue: 1, InferUnknown: true})
	if err != nil {
		fmt.Fprintf(stderr, "ems feed replay: %v\n", err)
		return 2
	}
	opts := replay.Options{Venue: *venue, Snapshot: *snapshot, Anomalies: stderr}
	if err := replay.Run(dec, fs.Args(), opts, stdout); err != nil {
		fmt.Fprintf(stderr, "ems feed replay: %v\n", err)
		return 1
	}
	return 0
}

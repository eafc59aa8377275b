package main

import (
	"embed"
	"fmt"
	"path"

	"ems/feed"
)

// demoData holds the real recordings `ems run` plays until the venue simulator exists
// (provenance in demo/SOURCES.md).
//
//go:embed demo/*.jsonl
var demoData embed.FS

// demoRecordings names, per venue protocol, the recording and (Binance) its REST snapshot.
var demoRecordings = []struct {
	venue, file, snapshot string
}{
	{"binance", "nknusdt_ws_all_streams_arrival_order.jsonl", "nknusdt_rest_depth_snapshot.jsonl"},
	{"okx", "books_BTC-USDT.jsonl", ""},
	{"bybit", "orderbook50_BTCUSDT_snapshot_delta.jsonl", ""},
	{"coinbase-legacy", "exchange_legacy_level2_BAND-GBP.jsonl", ""},
	{"kraken-v1", "v1_book1000_xbtchf.jsonl", ""},
}

// demoSources loads the embedded recordings; each is played loops times, every pass on a fresh
// decoder (a new connection, as far as the venue's sequencing is concerned).
func demoSources(loops int) ([]source, error) {
	var srcs []source
	for i, r := range demoRecordings {
		data, err := demoData.ReadFile(path.Join("demo", r.file))
		if err != nil {
			return nil, err
		}
		s := source{venue: r.venue, lines: splitLines(data), loops: loops}
		if r.snapshot != "" {
			snap, err := demoData.ReadFile(path.Join("demo", r.snapshot))
			if err != nil {
				return nil, err
			}
			s.snapshot = splitLines(snap)[0]
		}
		venueID := uint16(i + 1)
		name := r.venue
		s.newDecoder = func() (feed.Decoder, error) {
			return newVenueDecoder(name, feed.Config{Venue: venueID, InferUnknown: true})
		}
		if s.decoder, err = s.newDecoder(); err != nil {
			return nil, fmt.Errorf("demo %s: %w", r.venue, err)
		}
		srcs = append(srcs, s)
	}
	return srcs, nil
}

package main

import (
	"context"

	"ems/core/instrument"
	"ems/feed"
	fbinance "ems/feed/binance"
	"ems/feed/transport"
	"ems/sim"
	sbinance "ems/sim/binance"
)

// wireBinance serves v with the Binance spot protocol and connects feed/binance to it: combined
// diff-depth, bookTicker and trade streams, and the REST depth snapshot for the sync procedure.
func wireBinance(v *sim.Venue, master *instrument.Master, symbols []string) (*liveFeed, error) {
	srv, err := sbinance.New(v, sbinance.Options{})
	if err != nil {
		return nil, err
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	dec := fbinance.New(feed.Config{
		Venue:   uint16(v.ID()),
		Resolve: feed.ResolverFrom(master.Resolver(v.ID())),
	})
	path := fbinance.AppendCombinedPath(nil, []string{"@depth@100ms", "@bookTicker", "@trade"}, symbols...)
	return &liveFeed{
		server: srv,
		session: transport.SessionConfig{
			URL:     srv.StreamURL() + string(path),
			Decoder: dec,
			Snapshot: func(ctx context.Context, symbol string) ([]byte, error) {
				return httpGet(ctx, base+string(fbinance.AppendSnapshotPath(nil, symbol, 1000)))
			},
		},
		endpoints: [][2]string{
			{"binance rest", base},
			{"binance streams", srv.StreamURL()},
			{"binance ws-api", srv.WSAPIURL()},
		},
	}, nil
}

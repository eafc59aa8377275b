package main

import (
	"ems/core/instrument"
	"ems/feed"
	fcoinbase "ems/feed/coinbase"
	"ems/feed/transport"
	"ems/sim"
	scoinbase "ems/sim/coinbase"
)

// wireCoinbase serves v with the Coinbase Advanced Trade protocol and connects feed/coinbase to
// it: level2, market_trades and heartbeats on one socket (sequence numbers are per connection, so
// a break is answered by a reconnect).
func wireCoinbase(v *sim.Venue, master *instrument.Master, symbols []string) (*liveFeed, error) {
	srv, err := scoinbase.New(v, scoinbase.Options{})
	if err != nil {
		return nil, err
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	dec := fcoinbase.New(feed.Config{
		Venue:   uint16(v.ID()),
		Resolve: feed.ResolverFrom(master.Resolver(v.ID())),
	})
	var subs [][]byte
	for _, ch := range []string{fcoinbase.ChannelLevel2, fcoinbase.ChannelMarketTrades, fcoinbase.ChannelHeartbeats} {
		subs = append(subs, fcoinbase.AppendSubscribe(nil, ch, "", symbols...))
	}
	return &liveFeed{
		server:    srv,
		session:   transport.SessionConfig{URL: srv.WSURL(), Decoder: dec, Subscribe: subs},
		endpoints: [][2]string{{"coinbase rest", base}, {"coinbase ws", srv.WSURL()}},
	}, nil
}

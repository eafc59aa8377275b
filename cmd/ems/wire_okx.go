package main

import (
	"time"

	"ems/core/instrument"
	"ems/feed"
	fokx "ems/feed/okx"
	"ems/feed/transport"
	"ems/sim"
	sokx "ems/sim/okx"
)

// wireOKX serves v with the OKX v5 protocol and connects feed/okx to its public socket: books
// (seqId chain and CRC32 checksum) and trades, the text ping after 20 s of silence, and an
// unsubscribe + subscribe of the book's channel to resync.
func wireOKX(v *sim.Venue, master *instrument.Master, symbols []string) (*liveFeed, error) {
	srv, err := sokx.New(v, sokx.DefaultOptions())
	if err != nil {
		return nil, err
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	dec := fokx.New(feed.Config{
		Venue:   uint16(v.ID()),
		Resolve: feed.ResolverFrom(master.Resolver(v.ID())),
	})
	return &liveFeed{
		server: srv,
		session: transport.SessionConfig{
			URL:     srv.PublicURL(),
			Decoder: dec,
			Subscribe: [][]byte{
				fokx.AppendSubscribe(nil, "1", fokx.ChannelBooks, symbols...),
				fokx.AppendSubscribe(nil, "2", fokx.ChannelTrades, symbols...),
			},
			KeepAlive: transport.KeepAlive{Interval: 20 * time.Second, Message: []byte(fokx.Ping)},
			Resubscribe: func(r feed.Request) [][]byte {
				c := r.Replica.Config()
				return [][]byte{
					fokx.AppendUnsubscribe(nil, "", c.Channel, c.Symbol),
					fokx.AppendSubscribe(nil, "", c.Channel, c.Symbol),
				}
			},
		},
		endpoints: [][2]string{{"okx rest", base}, {"okx public", srv.PublicURL()}, {"okx private", srv.PrivateURL()}},
	}, nil
}

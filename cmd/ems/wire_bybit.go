package main

import (
	"time"

	"ems/core/instrument"
	"ems/feed"
	fbybit "ems/feed/bybit"
	"ems/feed/transport"
	"ems/sim"
	sbybit "ems/sim/bybit"
)

// wireBybit serves v with the Bybit v5 protocol and connects feed/bybit to its spot public
// stream: orderbook.50 and publicTrade per symbol, a ping every 20 s, and an unsubscribe +
// subscribe of the book's topic to resync after a gap.
func wireBybit(v *sim.Venue, master *instrument.Master, symbols []string) (*liveFeed, error) {
	srv, err := sbybit.New(v, sbybit.Options{})
	if err != nil {
		return nil, err
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	dec := fbybit.New(feed.Config{
		Venue:   uint16(v.ID()),
		Resolve: feed.ResolverFrom(master.ResolverIn(v.ID(), instrument.SegmentSpot)),
	})
	var topics []string
	for _, s := range symbols {
		topics = append(topics, string(fbybit.AppendBookTopic(nil, 50, s)), string(fbybit.AppendTradeTopic(nil, s)))
	}
	url := srv.PublicURL("spot")
	return &liveFeed{
		server: srv,
		session: transport.SessionConfig{
			URL:       url,
			Decoder:   dec,
			Subscribe: [][]byte{fbybit.AppendSubscribe(nil, "1", topics...)},
			KeepAlive: transport.KeepAlive{Interval: 20 * time.Second, Message: fbybit.AppendPing(nil, ""), Periodic: true},
			Resubscribe: func(r feed.Request) [][]byte {
				topic := string(fbybit.AppendReplicaTopic(nil, r.Replica))
				return [][]byte{fbybit.AppendUnsubscribe(nil, "", topic), fbybit.AppendSubscribe(nil, "", topic)}
			},
		},
		endpoints: [][2]string{
			{"bybit rest", base}, {"bybit public spot", url}, {"bybit private", srv.PrivateURL()}, {"bybit trade", srv.TradeURL()},
		},
	}, nil
}

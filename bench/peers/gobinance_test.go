package peers

import (
	"sort"
	"testing"

	gobinance "github.com/adshao/go-binance/v2"
	simplejson "github.com/bitly/go-simplejson"
)

// goBinanceBook is go-binance's path: a WsDepthEvent filled from the frame as the library's
// depth stream handler fills it (go-simplejson), then the book a user of the library keeps:
// levels parsed with PriceLevel.Parse into float64, sorted price levels per side, the U/u check.
type goBinanceBook struct {
	bids, asks []floatLevel // bids descending, asks ascending
	last       int64
}

type floatLevel struct{ px, qty float64 }

func newGoBinance(s *Stream) *goBinanceBook {
	g := &goBinanceBook{last: int64(s.LastUpdateID)}
	for _, l := range s.Bids {
		g.bids = append(g.bids, floatLevel{float64(l[0]*TickText) / 1e8, float64(l[1])})
	}
	for _, l := range s.Asks {
		g.asks = append(g.asks, floatLevel{float64(l[0]*TickText) / 1e8, float64(l[1])})
	}
	return g
}

// decodeWsDepth fills a WsDepthEvent from a raw depthUpdate frame with the calls the library's
// handler makes.
func decodeWsDepth(msg []byte) (*gobinance.WsDepthEvent, error) {
	j, err := simplejson.NewJson(msg)
	if err != nil {
		return nil, err
	}
	ev := new(gobinance.WsDepthEvent)
	ev.Event = j.Get("e").MustString()
	ev.Time = j.Get("E").MustInt64()
	ev.Symbol = j.Get("s").MustString()
	ev.LastUpdateID = j.Get("u").MustInt64()
	ev.FirstUpdateID = j.Get("U").MustInt64()
	ev.Bids = make([]gobinance.Bid, len(j.Get("b").MustArray()))
	for i := range ev.Bids {
		l := j.Get("b").GetIndex(i)
		ev.Bids[i] = gobinance.Bid{Price: l.GetIndex(0).MustString(), Quantity: l.GetIndex(1).MustString()}
	}
	ev.Asks = make([]gobinance.Ask, len(j.Get("a").MustArray()))
	for i := range ev.Asks {
		l := j.Get("a").GetIndex(i)
		ev.Asks[i] = gobinance.Ask{Price: l.GetIndex(0).MustString(), Quantity: l.GetIndex(1).MustString()}
	}
	return ev, nil
}

func (g *goBinanceBook) apply(tb testing.TB, msg []byte) {
	ev, err := decodeWsDepth(msg)
	if err != nil {
		tb.Fatal(err)
	}
	if ev.LastUpdateID <= g.last || ev.FirstUpdateID > g.last+1 {
		tb.Fatalf("go-binance: out of sequence: %d..%d after %d", ev.FirstUpdateID, ev.LastUpdateID, g.last)
	}
	for _, b := range ev.Bids {
		px, qty, err := b.Parse()
		if err != nil {
			tb.Fatal(err)
		}
		g.bids = set(g.bids, px, qty, true)
	}
	for _, a := range ev.Asks {
		px, qty, err := a.Parse()
		if err != nil {
			tb.Fatal(err)
		}
		g.asks = set(g.asks, px, qty, false)
	}
	g.last = ev.LastUpdateID
}

// set upserts or deletes (qty 0) the level at px in a side sorted best first.
func set(side []floatLevel, px, qty float64, desc bool) []floatLevel {
	i := sort.Search(len(side), func(i int) bool {
		if desc {
			return side[i].px <= px
		}
		return side[i].px >= px
	})
	found := i < len(side) && side[i].px == px
	switch {
	case found && qty == 0:
		return append(side[:i], side[i+1:]...)
	case found:
		side[i].qty = qty
		return side
	case qty == 0:
		return side
	}
	side = append(side, floatLevel{})
	copy(side[i+1:], side[i:])
	side[i] = floatLevel{px, qty}
	return side
}

func (g *goBinanceBook) best() [4]int {
	tick := float64(TickText) / 1e8
	return [4]int{int(g.bids[0].px/tick + 0.5), int(g.bids[0].qty), int(g.asks[0].px/tick + 0.5), int(g.asks[0].qty)}
}

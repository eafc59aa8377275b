package peers

import (
	"testing"
	"time"
	_ "unsafe" // go:linkname

	"github.com/c9s/bbgo/pkg/depth"
	bbgobinance "github.com/c9s/bbgo/pkg/exchange/binance"
	"github.com/c9s/bbgo/pkg/fixedpoint"
	"github.com/c9s/bbgo/pkg/types"
)

// bbgoParse is the parser bbgo's Binance Stream installs with SetParser: every text frame goes
// through it. It is unexported; the benchmark links to it by name.
//
//go:linkname bbgoParse github.com/c9s/bbgo/pkg/exchange/binance.parseWebSocketEvent
func bbgoParse(message []byte) (interface{}, error)

// bbgoBook is bbgo's path: parse the frame, feed the DepthEvent to a depth.Buffer (its U/u
// check), and on push update a types.StreamOrderBook as Stream's BindStream handler does.
type bbgoBook struct {
	buf    *depth.Buffer
	sb     *types.StreamOrderBook
	pushes int
}

func newBBGO(tb testing.TB, s *Stream) *bbgoBook {
	b := &bbgoBook{sb: types.NewStreamBook(Symbol, types.ExchangeBinance)}
	snap := types.SliceOrderBook{Symbol: Symbol, Time: time.Unix(0, 0)}
	for _, l := range s.Bids {
		snap.Bids = append(snap.Bids, level(tb, l))
	}
	for _, l := range s.Asks {
		snap.Asks = append(snap.Asks, level(tb, l))
	}
	b.buf = depth.NewBuffer(func() (types.SliceOrderBook, int64, error) {
		return snap, int64(s.LastUpdateID), nil
	}, time.Hour)
	b.buf.OnReady(func(snapshot types.SliceOrderBook, updates []depth.Update) {
		b.sb.Load(snapshot)
		for _, u := range updates {
			b.sb.Update(u.Object)
		}
	})
	b.buf.OnPush(func(u depth.Update) {
		b.sb.Update(u.Object)
		b.sb.EmitUpdate(u.Object)
		b.pushes++
	})
	if err := b.buf.SetSnapshot(snap, int64(s.LastUpdateID)); err != nil {
		tb.Fatal(err)
	}
	return b
}

func level(tb testing.TB, l [2]int) types.PriceVolume {
	p, err := fixedpoint.NewFromString(string(AppendPrice(nil, l[0])))
	if err != nil {
		tb.Fatal(err)
	}
	return types.PriceVolume{Price: p, Volume: fixedpoint.NewFromInt(int64(l[1]))}
}

func (b *bbgoBook) apply(tb testing.TB, msg []byte) {
	e, err := bbgoParse(msg)
	if err != nil {
		tb.Fatal(err)
	}
	de, ok := e.(*bbgobinance.DepthEvent)
	if !ok {
		tb.Fatalf("bbgo: %T", e)
	}
	n := b.pushes
	err = b.buf.AddUpdate(types.SliceOrderBook{
		Symbol: de.Symbol, Time: de.EventBase.Time.Time(), Bids: de.Bids, Asks: de.Asks,
	}, de.FirstUpdateID, de.FinalUpdateID, de.PreviousUpdateID)
	if err != nil || b.pushes != n+1 {
		tb.Fatalf("bbgo: not applied: %v", err)
	}
}

func (b *bbgoBook) best() [4]int {
	bid, ask, _ := b.sb.BestBidAndAsk()
	tick := fixedpoint.NewFromFloat(float64(TickText) / 1e8)
	return [4]int{int(bid.Price.Div(tick).Round(0, fixedpoint.HalfUp).Int64()), int(bid.Volume.Int64()),
		int(ask.Price.Div(tick).Round(0, fixedpoint.HalfUp).Int64()), int(ask.Volume.Int64())}
}

package bybit

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/core/instrument"
	"ems/feed"
	feedbybit "ems/feed/bybit"
	"ems/sim"
)

// feedClient is the project's own Bybit decoder reading one public connection.
type feedClient struct {
	t     testing.TB
	w     *wsc
	dec   *feedbybit.Decoder
	out   *feed.Batch
	p     fastjson.Parser
	lastU map[string]uint64 // by topic: u of the last book message
	msgs  int
	evs   int // trade events seen
}

// newFeedClient connects the decoder to category cat's public stream, resolving symbols in the
// category's segment of the instrument master, and subscribes to topics.
func (e *env) newFeedClient(cat category, topics ...string) *feedClient {
	e.t.Helper()
	seg := instrument.SegmentSpot
	if cat == catLinear {
		seg = instrument.SegmentDerivatives
	}
	res := e.m.ResolverIn(instrument.VenueBybit, seg)
	dec := feedbybit.New(feed.Config{Venue: uint16(instrument.VenueBybit), Resolve: func(sym []byte) (uint32, feed.Scales, bool) {
		id, p, q, tick, ok := res(sym)
		return id, feed.Scales{Price: p, Qty: q, Tick: tick, Known: true}, ok
	}})
	fc := &feedClient{t: e.t, w: e.dial(e.s.PublicURL(cat.String())), dec: dec, out: feed.NewBatch(4096),
		lastU: map[string]uint64{}}
	fc.w.send(string(feedbybit.AppendSubscribe(nil, "sub-1", topics...)))
	want := map[string]uint64{}
	for _, t := range topics {
		if strings.HasPrefix(t, "orderbook.") {
			want[t] = 1 // the snapshot: the subscription is in place
		}
	}
	fc.pump(want)
	return fc
}

// pump decodes messages until every topic's u reaches want[topic], or fails after 10 s.
func (fc *feedClient) pump(want map[string]uint64) {
	fc.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		done := true
		for topic, u := range want {
			if fc.lastU[topic] < u {
				done = false
			}
		}
		if done {
			return
		}
		p, err := fc.w.read(time.Until(deadline))
		if err != nil {
			fc.t.Fatalf("read (have %v, want %v): %v", fc.lastU, want, err)
		}
		fc.decode(p)
	}
}

// awaitSnapshot decodes messages until a snapshot of topic has been decoded.
func (fc *feedClient) awaitSnapshot(topic string) {
	fc.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, err := fc.w.read(time.Until(deadline))
		if err != nil {
			fc.t.Fatalf("no snapshot of %s: %v", topic, err)
		}
		fc.decode(p)
		if v, err := fc.p.ParseBytes(p); err == nil && string(v.GetStringBytes("topic")) == topic &&
			string(v.GetStringBytes("type")) == "snapshot" {
			return
		}
	}
}

// decode feeds one message to the decoder, failing on any error, and records its u.
func (fc *feedClient) decode(p []byte) {
	fc.t.Helper()
	fc.msgs++
	if err := fc.dec.Decode(p, time.Now().UnixNano(), fc.out); err != nil {
		fc.t.Fatalf("decode: %v\n%s", err, p)
	}
	for _, ev := range fc.out.Events() {
		if ev.Kind == event.KindTrade {
			fc.evs++
		}
	}
	fc.out.Reset()
	v, err := fc.p.ParseBytes(p)
	if err != nil {
		fc.t.Fatal(err)
	}
	if topic := string(v.GetStringBytes("topic")); topic != "" && v.Exists("data", "u") {
		fc.lastU[topic] = v.GetUint64("data", "u")
	}
}

// replica returns the decoder's book of topic.
func (fc *feedClient) replica(topic string) *feed.Replica {
	fc.t.Helper()
	for _, r := range fc.dec.Books() {
		c := r.Config()
		if c.Channel+"."+c.Symbol == topic {
			return r
		}
	}
	fc.t.Fatalf("decoder has no book %s", topic)
	return nil
}

// checkBook compares the decoder's book of topic with the Engine's best depth levels.
func (e *env) checkBook(fc *feedClient, k *mkt, topic string, depth int) {
	e.t.Helper()
	r := fc.replica(topic)
	if r.State() != event.BookLive {
		e.t.Fatalf("%s: book state %v, want live", topic, r.State())
	}
	if r.Stats.Gaps != 0 || r.Stats.Dropped != 0 {
		e.t.Fatalf("%s: stats %+v", topic, r.Stats)
	}
	var eb, ea []book.Level
	e.v.Do(func(st *sim.State) {
		eb = st.Engine(k.m).Depth(event.SideBuy, depth, nil)
		ea = st.Engine(k.m).Depth(event.SideSell, depth, nil)
	})
	gb := r.Book().Levels(book.Bid, -1, nil)
	ga := r.Book().Levels(book.Ask, -1, nil)
	if !equalLevels(gb, eb) || !equalLevels(ga, ea) {
		e.t.Fatalf("%s: decoder book differs from the engine\nbids %v\nwant %v\nasks %v\nwant %v", topic, gb, eb, ga, ea)
	}
	if full := min(depth, 50); len(eb) < full || len(ea) < full {
		e.t.Fatalf("%s: engine has %d/%d levels, want at least %d", topic, len(eb), len(ea), full)
	}
}

func equalLevels(a, b []book.Level) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFeedDecoderSyncs: the project's Bybit decoder, on the simulator's spot and linear
// streams, syncs from the snapshot, applies every delta with consecutive u (no gap, no drop),
// and holds exactly the Engine's top 50 (and top 200 on linear, top 1 from snapshots) after each
// step; publicTrade messages decode into trades.
func TestFeedDecoderSyncs(t *testing.T) {
	e := newEnv(t)
	spot, perp := e.mkt(catSpot, "BTCUSDT"), e.mkt(catLinear, "BTCUSDT")
	fs := e.newFeedClient(catSpot, "orderbook.50.BTCUSDT", "orderbook.1.BTCUSDT", "publicTrade.BTCUSDT")
	fl := e.newFeedClient(catLinear, "orderbook.200.BTCUSDT", "orderbook.50.BTCUSDT", "publicTrade.BTCUSDT")
	steps := 60
	if raceEnabled {
		steps = 25
	}
	for i := 0; i < steps; i++ {
		e.step()
		fs.pump(map[string]uint64{"orderbook.50.BTCUSDT": e.streamU(spot, 50), "orderbook.1.BTCUSDT": e.streamU(spot, 1)})
		fl.pump(map[string]uint64{"orderbook.200.BTCUSDT": e.streamU(perp, 200), "orderbook.50.BTCUSDT": e.streamU(perp, 50)})
		e.checkBook(fs, spot, "orderbook.50.BTCUSDT", 50)
		e.checkBook(fs, spot, "orderbook.1.BTCUSDT", 1)
		e.checkBook(fl, perp, "orderbook.200.BTCUSDT", 200)
		e.checkBook(fl, perp, "orderbook.50.BTCUSDT", 50)
	}
	if fs.evs == 0 || fl.evs == 0 {
		t.Fatalf("no trades decoded (spot %d, linear %d)", fs.evs, fl.evs)
	}
	if n := fs.dec.Anomalies(); n.Total() != 0 {
		t.Fatalf("spot anomalies: %v", n)
	}
	if n := fl.dec.Anomalies(); n.Total() != 0 {
		t.Fatalf("linear anomalies: %v", n)
	}
}

// TestResubscribeGetsSnapshot: unsubscribe then subscribe yields a fresh snapshot at the
// stream's current u, and the book stays live.
func TestResubscribeGetsSnapshot(t *testing.T) {
	e := newEnv(t)
	spot := e.mkt(catSpot, "BTCUSDT")
	const topic = "orderbook.50.BTCUSDT"
	fc := e.newFeedClient(catSpot, topic)
	for range 5 {
		e.step()
	}
	fc.pump(map[string]uint64{topic: e.streamU(spot, 50)})
	fc.w.send(string(feedbybit.AppendUnsubscribe(nil, "u1", topic)))
	fc.w.send(string(feedbybit.AppendSubscribe(nil, "s2", topic)))
	m := fc.w.until(func(m map[string]any) bool { return field(m, "type") == "snapshot" })
	d := m["data"].(map[string]any)
	if u := uint64(d["u"].(float64)); u != e.streamU(spot, 50) {
		t.Fatalf("snapshot u %d, want %d", u, e.streamU(spot, 50))
	}
}

// errDeadline reports a read timeout.
func errDeadline(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

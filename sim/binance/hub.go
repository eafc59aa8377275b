package binance

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"ems/core/book"
	"ems/core/event"
	"ems/sim"
)

// streamKind is what a market-data stream carries.
type streamKind uint8

const (
	kindDiffFast   streamKind = iota // <symbol>@depth@100ms
	kindDiffSlow                     // <symbol>@depth (1000 ms)
	kindTrade                        // <symbol>@trade
	kindBookTicker                   // <symbol>@bookTicker
	kindPart5Slow                    // <symbol>@depth5 (1000 ms)
	kindPart10Slow                   // <symbol>@depth10
	kindPart20Slow                   // <symbol>@depth20
	kindPart5Fast                    // <symbol>@depth5@100ms
	kindPart10Fast                   // <symbol>@depth10@100ms
	kindPart20Fast                   // <symbol>@depth20@100ms
	numKinds
)

// streamSuffixes maps the stream-name suffixes the simulator serves to their kind.
var streamSuffixes = map[string]streamKind{
	"@depth@100ms": kindDiffFast, "@depth": kindDiffSlow, "@depth@1000ms": kindDiffSlow,
	"@trade": kindTrade, "@bookTicker": kindBookTicker,
	"@depth5": kindPart5Slow, "@depth10": kindPart10Slow, "@depth20": kindPart20Slow,
	"@depth5@1000ms": kindPart5Slow, "@depth10@1000ms": kindPart10Slow, "@depth20@1000ms": kindPart20Slow,
	"@depth5@100ms": kindPart5Fast, "@depth10@100ms": kindPart10Fast, "@depth20@100ms": kindPart20Fast,
}

// partialLevels is the depth of a partial-book kind (0 for other kinds).
func (k streamKind) partialLevels() int {
	switch k {
	case kindPart5Slow, kindPart5Fast:
		return 5
	case kindPart10Slow, kindPart10Fast:
		return 10
	case kindPart20Slow, kindPart20Fast:
		return 20
	}
	return 0
}

// parseStream splits a stream name into its symbol (lowercase, as stream names spell it) and
// kind. ok is false for a name the simulator does not serve (another stream type, a name with
// no '@').
func parseStream(name string) (symbol string, k streamKind, ok bool) {
	at := strings.IndexByte(name, '@')
	if at <= 0 {
		return "", 0, false
	}
	k, ok = streamSuffixes[name[at:]]
	return name[:at], k, ok
}

// sub is one connection's subscription to one stream of a market.
type sub struct {
	c    *wsConn
	name string // the stream name as subscribed, for the combined envelope
}

// levelKey identifies a book level in a diff being gathered.
type levelKey struct {
	side  event.Side
	price int64
}

// diffAgg gathers the level changes of one diff-depth stream between two pushes: the last
// quantity per level and the update-id range.
type diffAgg struct {
	first, last uint64 // update ids (venue sequence numbers) gathered; first 0: none
	idx         map[levelKey]int
	bids, asks  []book.Level
}

func (a *diffAgg) add(ev *sim.MarketEvent) {
	if a.first == 0 {
		a.first = ev.Seq
	}
	a.last = ev.Seq
	k := levelKey{ev.Side, ev.Price}
	side := &a.asks
	if ev.Side == event.SideBuy {
		side = &a.bids
	}
	if i, ok := a.idx[k]; ok {
		(*side)[i].Qty = ev.Qty
		return
	}
	a.idx[k] = len(*side)
	*side = append(*side, book.Level{Price: ev.Price, Qty: ev.Qty})
}

func (a *diffAgg) reset() {
	a.first, a.last = 0, 0
	clear(a.idx)
	a.bids, a.asks = a.bids[:0], a.asks[:0]
}

// sortLevels orders a diff's levels as Binance writes them: bids high to low, asks low to high.
func (a *diffAgg) sortLevels() {
	slices.SortFunc(a.bids, func(x, y book.Level) int { return cmp.Compare(y.Price, x.Price) })
	slices.SortFunc(a.asks, func(x, y book.Level) int { return cmp.Compare(x.Price, y.Price) })
}

// mdMarket is one market's market-data state in the hub.
type mdMarket struct {
	mk       *market
	book     *book.Book // the venue's book, mirrored from its level events
	seq      uint64     // latest level event applied to book
	fast     diffAgg
	slow     diffAgg
	top      [2]book.Level // best bid and ask last pushed on bookTicker
	topValid bool
	subs     [numKinds][]sub
	scratch  []book.Level
}

// hub is the market-data fan-out: it mirrors each market's book from the venue's events,
// gathers diffs for the depth streams and pushes every stream to the connections subscribed to
// it. Trades and bookTicker go out as the venue's batches arrive; diff and partial depth on the
// fast (100 ms) and slow (1 s) ticks of run.
//
// Update ids: a depthUpdate's U and u are the venue sequence numbers (sim.MarketEvent.Seq) of the
// first and last level change it carries, a REST snapshot's lastUpdateId the sequence number the
// book stands at, and bookTicker's u the latest one; so U == previous u + 1 on every diff stream,
// and Binance's local-book procedure (venue specs 1.2) works against GET /api/v3/depth.
type hub struct {
	s  *Server
	mu sync.Mutex // guards everything below and the connections' streams lists
	mk []*mdMarket
	by map[string]*mdMarket // by lowercase symbol
}

func newHub(s *Server) *hub {
	h := &hub{s: s, by: map[string]*mdMarket{}}
	for _, mk := range s.markets {
		b, err := book.New(mk.l.Tick, 4096)
		if err != nil {
			panic(err) // the Engine accepted the tick already
		}
		m := &mdMarket{mk: mk, book: b}
		m.fast.idx, m.slow.idx = map[levelKey]int{}, map[levelKey]int{}
		h.mk = append(h.mk, m)
		h.by[mk.lower] = m
	}
	return h
}

// seed copies every market's book and sequence number into the mirrors. REQUIRES: called inside
// the Do call that subscribed onMarket, so the events that follow continue it exactly.
func (h *hub) seed(st *sim.State) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var lv []book.Level
	for _, m := range h.mk {
		eng := st.Engine(m.mk.m)
		m.book.Clear()
		for _, side := range []event.Side{event.SideBuy, event.SideSell} {
			lv = eng.Depth(side, -1, lv[:0])
			for _, l := range lv {
				_, _ = m.book.Set(book.Side(side), l.Price, l.Qty)
			}
		}
		m.seq = st.Seq(m.mk.m)
	}
}

// onMarket is the venue's market-data callback (under the venue lock).
func (h *hub) onMarket(ev sim.MarketEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.mk[ev.Market.Index]
	switch ev.Kind {
	case sim.MarketLevel:
		_, _ = m.book.Set(book.Side(ev.Side), ev.Price, ev.Qty)
		m.seq = ev.Seq
		m.fast.add(&ev)
		m.slow.add(&ev)
	case sim.MarketTrade:
		if len(m.subs[kindTrade]) > 0 && !h.stale(m) {
			h.fanout(m, kindTrade, appendTrade(nil, m.mk, &ev, h.s.nowMs()))
		}
	}
	if ev.Final {
		h.pushTop(m)
	}
}

// stale asks the stale fault for a push of m's market data.
func (h *hub) stale(m *mdMarket) bool { return h.s.v.Fault(sim.FaultStale, m.mk.symbol) }

// pushTop sends bookTicker when the best bid or ask changed since the last one. REQUIRES: h.mu.
func (h *hub) pushTop(m *mdMarket) {
	var top [2]book.Level
	top[0].Price, top[0].Qty, _ = m.book.BestBid()
	top[1].Price, top[1].Qty, _ = m.book.BestAsk()
	if m.topValid && top == m.top {
		return
	}
	if len(m.subs[kindBookTicker]) == 0 || h.stale(m) {
		return
	}
	m.top, m.topValid = top, true
	h.fanout(m, kindBookTicker, appendBookTicker(nil, m.mk, m.seq, top))
}

// fanout queues payload for every subscriber of m's stream kind. REQUIRES: h.mu.
func (h *hub) fanout(m *mdMarket, k streamKind, payload []byte) {
	for _, sb := range m.subs[k] {
		sb.c.send(outMsg{kind: msgStream, stream: sb.name, payload: payload})
	}
}

// run pushes the periodic streams until stop closes.
func (h *hub) run(stop <-chan struct{}) {
	fast := time.NewTicker(h.s.opts.FastInterval)
	slow := time.NewTicker(h.s.opts.SlowInterval)
	defer fast.Stop()
	defer slow.Stop()
	for {
		select {
		case <-stop:
			return
		case <-fast.C:
			h.flush(true)
		case <-slow.C:
			h.flush(false)
		}
	}
}

// flush pushes the diff and partial-depth streams of one period (fast: 100 ms, else 1 s).
//
// Faults, asked per push of a market's stream that has subscribers: stale holds the diff back
// (it keeps gathering, so the stream resumes with no gap once the fault ends) and skips partial
// depth; gap drops the gathered diff, so the next one starts past u + 1.
func (h *hub) flush(fast bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	nowMs := h.s.nowMs()
	diffKind, parts := kindDiffSlow, [3]streamKind{kindPart5Slow, kindPart10Slow, kindPart20Slow}
	if fast {
		diffKind, parts = kindDiffFast, [3]streamKind{kindPart5Fast, kindPart10Fast, kindPart20Fast}
	}
	for _, m := range h.mk {
		agg := &m.slow
		if fast {
			agg = &m.fast
		}
		switch {
		case agg.first == 0:
		case len(m.subs[diffKind]) == 0:
			agg.reset()
		case h.stale(m):
		case h.s.v.Fault(sim.FaultGap, m.mk.symbol):
			agg.reset()
		default:
			agg.sortLevels()
			h.fanout(m, diffKind, appendDepthUpdate(nil, m.mk, agg, nowMs))
			agg.reset()
		}
		for _, k := range parts {
			if len(m.subs[k]) == 0 || h.stale(m) {
				continue
			}
			h.fanout(m, k, appendPartial(nil, m, k.partialLevels()))
		}
	}
}

// subscribe adds stream name to c. A name the simulator does not serve, or of a symbol the
// venue does not list, is accepted and kept (LIST_SUBSCRIPTIONS shows it) but carries nothing,
// as Binance accepts a subscription to a symbol it does not list.
func (h *hub) subscribe(c *wsConn, name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if slices.Contains(c.streams, name) {
		return
	}
	c.streams = append(c.streams, name)
	sym, k, ok := parseStream(name)
	if !ok {
		return
	}
	if m := h.by[strings.ToLower(sym)]; m != nil {
		m.subs[k] = append(m.subs[k], sub{c: c, name: name})
		if k == kindBookTicker {
			m.topValid = false // a new subscriber gets the current top at the next batch
		}
	}
}

// unsubscribe removes stream name from c (every stream when name is "").
func (h *hub) unsubscribe(c *wsConn, name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range h.mk {
		for k := range m.subs {
			m.subs[k] = slices.DeleteFunc(m.subs[k], func(s sub) bool {
				return s.c == c && (name == "" || s.name == name)
			})
		}
	}
	if name == "" {
		c.streams = nil
		return
	}
	c.streams = slices.DeleteFunc(c.streams, func(s string) bool { return s == name })
}

// list returns c's stream names in subscription order.
func (h *hub) list(c *wsConn) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(c.streams)
}

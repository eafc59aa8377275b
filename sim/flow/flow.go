package flow

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim/match"
)

// pcgStream is the second PCG word: the flow's stream, fixed so a Seed alone decides the output.
const pcgStream = 0x5eed_f10e_0000_0001

// Flow drives one Engine with a seeded background market: a ladder of maker quotes on each side
// that follows a random walk of the mid, random requotes, and takers that arrive by the hour's
// share of an intraday volume profile.
//
// A Flow is owned by the goroutine that owns its Engine (the venue's): not safe for concurrent
// use. It places every order under Config.Account and keeps a record of its own quotes; other
// accounts' orders in the same Engine trade with it like any other order.
//
// Determinism: every random choice comes from a PCG seeded with Config.Seed, or (for the mid)
// from a counter-based hash of Config.MidSeed and the time; there is no float, no map and no
// clock inside. The same Config, the same Engine state and the same sequence of Seed and Step
// times give the same Engine calls, hence the same Engine output.
type Flow struct {
	cfg   Config
	e     *match.Engine
	rules match.Rules
	rng   *rand.Rand
	walk  walk
	arr   arrivals

	bids, asks ladder

	seeded  bool
	slot    int64 // the latest slot simulated
	requote int64 // requotes owed, in thousandths (RequotesPerSecond per slot)
	mid     int64 // the current mid, price units
	minQty  int64 // the smallest quantity a quote may have at the current mid
	stats   Stats
}

// Stats counts what a Flow has done.
type Stats struct {
	Orders   uint64 // maker orders placed (initial book, refills, requotes)
	Cancels  uint64 // maker orders canceled
	Replaces uint64 // maker orders replaced in place
	Takers   uint64 // taker orders sent
	Rejects  uint64 // requests the Engine refused (a *match.Error); the flow carries on
}

// New returns a Flow that will drive e under cfg. The book stays empty until Seed.
// It fails with an error wrapping ErrConfig when cfg is unusable.
func New(cfg Config, e *match.Engine) (*Flow, error) {
	if e == nil {
		return nil, fmt.Errorf("%w: nil engine", ErrConfig)
	}
	cfg, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	rules := e.Rules()
	cfg.MidPrice -= cfg.MidPrice % rules.Tick
	if cfg.MidPrice <= int64(cfg.SpreadTicks)*rules.Tick {
		return nil, fmt.Errorf("%w: MidPrice = %d is not above the spread (%d ticks of %d)",
			ErrConfig, cfg.MidPrice, cfg.SpreadTicks, rules.Tick)
	}
	f := &Flow{
		cfg:   cfg,
		e:     e,
		rules: rules,
		rng:   rand.New(rand.NewPCG(cfg.Seed, pcgStream)),
		walk:  newWalk(cfg.MidSeed, cfg.VolatilityBps),
		arr:   newArrivals(cfg.TakersPerSecond, cfg.Profile),
		bids:  newLadder(event.SideBuy, cfg.Levels),
		asks:  newLadder(event.SideSell, cfg.Levels),
		mid:   cfg.MidPrice,
	}
	return f, nil
}

// Config returns the configuration in use (with defaults applied). Its Profile is shared: do
// not modify it.
func (f *Flow) Config() Config { return f.cfg }

// Mid returns the current mid, in price units.
func (f *Flow) Mid() int64 { return f.mid }

// Stats returns the counters.
func (f *Flow) Stats() Stats { return f.stats }

// Seed builds the initial book at simulated time ts (nanoseconds since the Unix epoch): Levels
// quotes on each side around MidPrice. It anchors the mid's walk and the flow's clock at ts.
// It fails when called twice, or with an Engine error that is not a rejection.
func (f *Flow) Seed(ts int64) error {
	if f.seeded {
		return errors.New("flow: Seed called twice")
	}
	f.seeded = true
	f.slot = floorDiv(ts, SlotNanos)
	f.walk.start(floorDiv(f.slot, QuantumSlots))
	f.mid = f.walk.mid(f.cfg.MidPrice)
	return f.refresh(ts)
}

// Step advances the flow to simulated time now. It walks the slots (1 ms) after the previous
// Step: at each quantum (10 ms) boundary the mid takes its walk increment and both ladders follow
// it (stale quotes canceled, consumed levels refilled, the far end kept within Levels ± 1/16);
// in each slot the random requotes due are made and the takers that arrive are sent, with the
// slot's time as their timestamp. A now at or before the previous Step does nothing; a Step more than 10 s
// after the previous one simulates only the last 10 s.
//
// It fails before Seed, or with an Engine error that is not a rejection (rejections are counted
// in Stats and skipped).
func (f *Flow) Step(now int64) error {
	if !f.seeded {
		return errors.New("flow: Step before Seed")
	}
	target := floorDiv(now, SlotNanos)
	if target-f.slot > maxCatchUpSlots {
		f.slot = target - maxCatchUpSlots
	}
	for f.slot < target {
		f.slot++
		t := f.slot * SlotNanos
		if f.slot%QuantumSlots == 0 {
			f.walk.advance(f.slot / QuantumSlots)
			f.mid = f.walk.mid(f.cfg.MidPrice)
			if err := f.refresh(t); err != nil {
				return err
			}
		}
		f.requote += int64(f.cfg.RequotesPerSecond)
		for f.requote >= 1000 {
			f.requote -= 1000
			if err := f.requoteOne(t); err != nil {
				return err
			}
		}
		for n := f.arr.count(t, f.rng.Uint64()); n > 0; n-- {
			if err := f.taker(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// refresh makes both ladders follow the mid at time t.
func (f *Flow) refresh(t int64) error {
	f.minQty = f.minQuoteQty(f.mid)
	tick := f.rules.Tick
	spread := int64(f.cfg.SpreadTicks) * tick
	bidTop := floorDiv(f.mid-spread/2, tick) * tick
	askTop := bidTop + spread
	f.sync(&f.bids)
	f.sync(&f.asks)
	// Cancel what the move made stale on both sides before placing anything, so the flow's new
	// quotes never meet its old ones.
	if err := f.dropBetter(&f.bids, bidTop, t); err != nil {
		return err
	}
	if err := f.dropBetter(&f.asks, askTop, t); err != nil {
		return err
	}
	for _, side := range [2]struct {
		l   *ladder
		top int64
	}{{&f.bids, bidTop}, {&f.asks, askTop}} {
		if err := f.fillFront(side.l, side.top, t); err != nil {
			return err
		}
		if err := f.fillBack(side.l, t); err != nil {
			return err
		}
		if err := f.trim(side.l, t); err != nil {
			return err
		}
	}
	return nil
}

// sync brings the front of l up to date with the Engine: quotes that takers filled are dropped
// and a partly filled one records its fill. Takers consume levels best first, so only a prefix of
// the ladder can have changed: sync stops at the first quote it finds untouched.
func (f *Flow) sync(l *ladder) {
	dead := 0
	for dead < len(l.q) {
		qt := &l.q[dead]
		o, ok := f.e.Order(qt.id)
		if ok && o.Status.Open() {
			qt.qty, qt.filled = o.Qty, o.Filled
			break
		}
		dead++
	}
	l.dropFront(dead)
}

// dropBetter cancels the quotes of l priced better than top.
func (f *Flow) dropBetter(l *ladder, top int64, t int64) error {
	n := 0
	for n < len(l.q) && l.better(l.q[n].price, top) {
		if err := f.cancel(l.q[n].id, t); err != nil {
			return err
		}
		n++
	}
	l.dropFront(n)
	return nil
}

// fillFront quotes the prices from top down to l's current best (exclusive), at random gaps.
func (f *Flow) fillFront(l *ladder, top int64, t int64) error {
	l.tmp = l.tmp[:0]
	p := top
	for tries := 0; tries < f.cfg.Levels && p > 0; tries++ {
		if len(l.q) > 0 && !l.better(p, l.q[0].price) {
			break
		}
		qt, ok, err := f.place(l.side, p, len(l.tmp), t)
		if err != nil {
			return err
		}
		if ok {
			l.tmp = append(l.tmp, qt)
		}
		p = l.deeper(p, f.gap())
	}
	l.prepend()
	return nil
}

// slack is how far a ladder may drift from Levels quotes before fillBack or trim restore it: the
// far end of the book does not change on every small move of the mid.
func (f *Flow) slack() int { return f.cfg.Levels / 16 }

// fillBack extends l away from the touch, at random gaps, up to Levels quotes, once it has
// fewer than Levels - slack.
func (f *Flow) fillBack(l *ladder, t int64) error {
	if len(l.q) == 0 || len(l.q) >= f.cfg.Levels-f.slack() {
		return nil // empty: fillFront starts an empty side
	}
	p := l.q[len(l.q)-1].price
	for tries := f.cfg.Levels - len(l.q) + 8; len(l.q) < f.cfg.Levels && tries > 0; tries-- {
		p = l.deeper(p, f.gap())
		if p <= 0 {
			break
		}
		qt, ok, err := f.place(l.side, p, len(l.q), t)
		if err != nil {
			return err
		}
		if ok {
			l.q = append(l.q, qt)
		}
	}
	return nil
}

// trim cancels quotes from the far end of l down to Levels, once it has more than Levels + slack.
func (f *Flow) trim(l *ladder, t int64) error {
	if len(l.q) <= f.cfg.Levels+f.slack() {
		return nil
	}
	for len(l.q) > f.cfg.Levels {
		if err := f.cancel(l.q[len(l.q)-1].id, t); err != nil {
			return err
		}
		l.q = l.q[:len(l.q)-1]
	}
	return nil
}

// requoteOne picks a level, biased towards the touch, and changes its quantity: in place (a
// Replace) five times in eight, otherwise by a cancel and a new order at the same price, which
// sends the quote to the back of the level's queue.
func (f *Flow) requoteOne(t int64) error {
	l := &f.bids
	if f.rng.Uint64()&1 == 1 {
		l = &f.asks
	}
	n := len(l.q)
	if n == 0 {
		return nil
	}
	// The product of two uniform indexes, over n: density falls off with depth like -ln(x).
	i := int(f.rng.Uint64N(uint64(n)) * f.rng.Uint64N(uint64(n)) / uint64(n))
	qt := &l.q[i]
	qty := f.levelQty(i)
	if f.rng.IntN(8) < 5 {
		o, err := f.e.Replace(f.cfg.Account, qt.id, qt.price, qt.filled+qty, t)
		if err != nil {
			if !isReject(err) {
				return err
			}
			f.stats.Rejects++ // filled since the last sync: the quote is gone
			l.removeAt(i)
			return nil
		}
		f.stats.Replaces++
		if !o.Status.Open() {
			l.removeAt(i)
			return nil
		}
		qt.id, qt.qty, qt.filled = o.ID, o.Qty, o.Filled
		return nil
	}
	price := qt.price
	if err := f.cancel(qt.id, t); err != nil {
		return err
	}
	nq, ok, err := f.place(l.side, price, i, t)
	if err != nil {
		return err
	}
	if ok {
		*qt = nq
	} else {
		l.removeAt(i)
	}
	return nil
}

// taker sends one taker order at time t: a side at random, a quantity from a heavy-tailed
// distribution (most below one level, one in eight two to six levels, one in 64 eight to 24),
// as an IOC limit a few levels through the opposite touch so that a large taker sweeps several
// levels but never the whole book.
func (f *Flow) taker(t int64) error {
	side, opp := event.SideBuy, event.SideSell
	if f.rng.Uint64()&1 == 1 {
		side, opp = event.SideSell, event.SideBuy
	}
	best, _, ok := f.e.Best(opp)
	if !ok {
		return nil
	}
	qty := f.cfg.LevelQty * (4 + f.rng.Int64N(61)) / 64
	switch r := f.rng.IntN(64); {
	case r == 0:
		qty *= 8 + f.rng.Int64N(17)
	case r < 8:
		qty *= 2 + f.rng.Int64N(5)
	}
	qty = f.onLot(qty)
	slip := int64(f.cfg.SpreadTicks+32*f.cfg.GapTicks) * f.rules.Tick
	price := best + slip
	if side == event.SideSell {
		price = max(best-slip, f.rules.Tick)
	}
	f.stats.Takers++
	_, err := f.e.Submit(match.Request{
		Account: f.cfg.Account, Side: side, Type: event.OrderLimit, TIF: event.TIFIOC,
		Price: price, Qty: qty,
	}, t)
	if err != nil {
		if !isReject(err) {
			return err
		}
		f.stats.Rejects++
	}
	return nil
}

// place submits a maker quote at price for the depth-th level of side. ok is false when the
// Engine rejected it or it filled completely at once against another account's order.
func (f *Flow) place(side event.Side, price int64, depth int, t int64) (qt quote, ok bool, err error) {
	o, err := f.e.Submit(match.Request{
		Account: f.cfg.Account, Side: side, Type: event.OrderLimit, TIF: event.TIFGTC,
		Price: price, Qty: f.levelQty(depth),
	}, t)
	if err != nil {
		if !isReject(err) {
			return quote{}, false, err
		}
		f.stats.Rejects++
		return quote{}, false, nil
	}
	f.stats.Orders++
	if !o.Status.Open() {
		return quote{}, false, nil
	}
	return quote{id: o.ID, price: price, qty: o.Qty, filled: o.Filled}, true, nil
}

// cancel cancels one of the flow's quotes. A quote that is already gone (filled since the last
// sync) is a counted rejection, not an error.
func (f *Flow) cancel(id match.OrderID, t int64) error {
	if _, err := f.e.Cancel(f.cfg.Account, id, t); err != nil {
		if !isReject(err) {
			return err
		}
		f.stats.Rejects++
		return nil
	}
	f.stats.Cancels++
	return nil
}

// levelQty returns a random quantity for the depth-th level: 0.25..1.75 × LevelQty, plus up to
// as much again growing linearly with depth, on the lot grid, at least minQty.
func (f *Flow) levelQty(depth int) int64 {
	q := f.cfg.LevelQty * (16 + f.rng.Int64N(97)) / 64
	q += q * int64(min(depth, f.cfg.Levels)) / int64(f.cfg.Levels)
	return f.onLot(q)
}

// onLot rounds q down to the lot grid and raises it to minQty.
func (f *Flow) onLot(q int64) int64 {
	q -= q % f.rules.Lot
	return max(q, f.minQty)
}

// gap returns a random distance between adjacent levels: 1..GapTicks ticks, in price units.
func (f *Flow) gap() int64 {
	if f.cfg.GapTicks <= 1 {
		return f.rules.Tick
	}
	return (1 + f.rng.Int64N(int64(f.cfg.GapTicks))) * f.rules.Tick
}

// minQuoteQty returns the smallest quantity the flow quotes at mid: the Engine's MinQty, one lot,
// and twice the quantity whose notional at mid is MinNotional (twice, so that quotes deep on the
// bid side and a falling mid stay above the minimum), on the lot grid.
func (f *Flow) minQuoteQty(mid int64) int64 {
	lot := f.rules.Lot
	m := max(f.rules.MinQty, lot)
	if f.rules.MinNotional > 0 && mid > 0 {
		if n, err := fixed.MulDiv(f.rules.MinNotional, fixed.Pow10(f.rules.QtyScale), mid); err == nil {
			m = max(m, 2*(n+lot))
		}
	}
	if r := m % lot; r != 0 {
		m += lot - r
	}
	return m
}

// isReject reports whether err is the Engine refusing a request (as opposed to a failure).
func isReject(err error) bool {
	if _, ok := err.(*match.Error); ok {
		return true
	}
	var me *match.Error
	return errors.As(err, &me)
}

// floorDiv returns a / b rounded towards minus infinity. REQUIRES: b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

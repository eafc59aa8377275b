package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"ems/core/event"
)

// diffRules: BTC-like prices (67000.00 on a tick of 0.50) and quantities at scale 3 on a lot of
// 0.002, so fees are hundreds of units and rounding shows; MinNotional is 0.010 at the mid.
var diffRules = Rules{PriceScale: 2, QtyScale: 3, Tick: 50, Lot: 2, MinQty: 4, MinNotional: 67_000,
	MakerFee: -25, TakerFee: 550}

// diffHistory is the engine's history limit in the differential test, small enough that
// eviction happens.
const diffHistory = 2000

// opGen draws random operations: mostly valid orders near a drifting mid, with a share of every
// kind of refusal, cancels and replaces of resting and unknown orders.
type opGen struct {
	rng *rand.Rand
	mid int64
}

func (g *opGen) clientID() string {
	if g.rng.IntN(10) < 4 {
		return ""
	}
	return clientIDs[g.rng.IntN(len(clientIDs))]
}

// clientIDs is the pool of client order ids the generator draws from, small enough to collide.
var clientIDs = func() []string {
	ids := make([]string, 64)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%02d", i)
	}
	return ids
}()

func (g *opGen) price(side event.Side) int64 {
	off := int64(g.rng.IntN(40)-8) * diffRules.Tick // negative crosses
	p := g.mid - off
	if side == event.SideSell {
		p = g.mid + off
	}
	if g.rng.IntN(50) == 0 {
		p++ // off tick
	}
	return p
}

func (g *opGen) qty() int64 {
	switch g.rng.IntN(100) {
	case 0:
		return 0
	case 1:
		return 2 // below MinQty
	case 2, 3:
		return int64(2*g.rng.IntN(100) + 1) // off lot
	}
	return int64(2 * (g.rng.IntN(150) + 2))
}

func (g *opGen) request() Request {
	r := Request{Account: uint32(1 + g.rng.IntN(4)), ClientID: g.clientID(), Side: event.Side(1 + g.rng.IntN(2)), Qty: g.qty()}
	if g.rng.IntN(100) < 12 {
		r.Type = event.OrderMarket
		if g.rng.IntN(5) == 0 {
			r.TIF = event.TIFFOK
		}
		return r
	}
	r.Price = g.price(r.Side)
	switch n := g.rng.IntN(100); {
	case n < 15:
		r.TIF = event.TIFIOC
	case n < 25:
		r.TIF = event.TIFFOK
	case n < 40:
		r.PostOnly = true
	}
	if g.rng.IntN(200) == 0 {
		r.PostOnly, r.TIF = true, event.TIFIOC // invalid combination
	}
	if g.rng.IntN(300) == 0 {
		r.Side = 0
	}
	return r
}

// diffState compares the engine with the reference after every operation.
type diffState struct {
	t    *testing.T
	e    *Engine
	rec  *recorder
	m    *refModel
	op   int
	desc string
}

func (d *diffState) fail(format string, args ...any) {
	d.t.Helper()
	d.t.Fatalf("op %d (%s): %s", d.op, d.desc, fmt.Sprintf(format, args...))
}

func (d *diffState) compare(got Order, gotErr error, want Order, wantReason event.RejectReason) {
	d.t.Helper()
	if r := reasonOf(gotErr); r != wantReason || (gotErr == nil) != (wantReason == 0) {
		d.fail("error %v, want reason %v", gotErr, wantReason)
	}
	if got != want {
		d.fail("order\n got %+v\nwant %+v", got, want)
	}
	gotEvents, gotFills := d.rec.lines, d.rec.fills
	wantEvents, wantFills := d.m.take()
	if !slices.Equal(gotEvents, wantEvents) {
		d.fail("events\n%s\nwant\n%s", strings.Join(gotEvents, "\n"), strings.Join(wantEvents, "\n"))
	}
	if !slices.Equal(gotFills, wantFills) {
		d.fail("fills\n%+v\nwant\n%+v", gotFills, wantFills)
	}
	d.rec.take()
	for _, side := range []event.Side{event.SideBuy, event.SideSell} {
		if got, want := d.e.Depth(side, -1, nil), d.m.levels(side); !levelsEqual(got, want) {
			d.fail("%s levels\n got %v\nwant %v", side, got, want)
		}
	}
	if d.e.OpenCount() != len(d.m.resting) {
		d.fail("%d open, want %d", d.e.OpenCount(), len(d.m.resting))
	}
	for _, r := range d.m.resting {
		if got, ok := d.e.Order(r.o.ID); !ok || got != r.o {
			d.fail("resting order %d\n got %+v\nwant %+v", r.o.ID, got, r.o)
		}
	}
	if err := invariantError(d.e); err != nil {
		d.fail("%v", err)
	}
}

// checkLookups compares Order and OrderByClient for a few ids, and Open of every account every
// 16 operations.
func (d *diffState) checkLookups(rng *rand.Rand) {
	d.t.Helper()
	for range 4 {
		id := OrderID(1 + rng.Uint64N(uint64(d.m.lastID)+3))
		want, known := d.m.all[id]
		got, ok := d.e.Order(id)
		mustFind := known && (d.m.isOpen(id) || d.m.lastID-id < diffHistory)
		if ok && (!known || got != want.o) || mustFind && !ok {
			d.fail("Order(%d) = %+v, %v; reference %+v", id, got, ok, want)
		}
	}
	for acct := uint32(1); acct <= 4; acct++ {
		if d.op%16 == 0 {
			if got, want := d.e.Open(acct, nil), d.m.open(acct); !slices.Equal(got, want) {
				d.fail("Open(%d)\n got %+v\nwant %+v", acct, got, want)
			}
		}
		cid := clientIDs[rng.IntN(len(clientIDs))]
		got, ok := d.e.OrderByClient(acct, cid)
		id, known := d.m.clients[clientKey{acct, cid}]
		mustFind := known && (d.m.isOpen(id) || d.m.lastID-id < diffHistory)
		if ok && (!known || got != d.m.all[id].o) || mustFind && !ok {
			d.fail("OrderByClient(%d, %s) = %+v, %v; reference id %d", acct, cid, got, ok, id)
		}
	}
}

// TestDifferential runs a seeded random mix of submits, cancels and replaces through the engine
// and the brute-force reference, comparing results, events, fills, levels, resting orders and
// lookups after every operation.
func TestDifferential(t *testing.T) {
	ops := 100_000
	if raceEnabled {
		ops = 20_000
	}
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			runDifferential(t, seed, ops/2)
		})
	}
}

func runDifferential(t *testing.T, seed uint64, ops int) {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	e, rec := newTestEngine(t, diffRules)
	if err := e.SetHistory(diffHistory); err != nil {
		t.Fatal(err)
	}
	m := newRefModel(diffRules)
	g := &opGen{rng: rng, mid: 6_700_000}
	d := &diffState{t: t, e: e, rec: rec, m: m}
	var fills, rejects, replaces, resting int
	for d.op = 0; d.op < ops; d.op++ {
		ts := int64(d.op)
		if d.op%200 == 0 {
			g.mid += int64(rng.IntN(5)-2) * diffRules.Tick
		}
		var got, want Order
		var err error
		var reason event.RejectReason
		n := rng.IntN(100)
		if len(m.resting) > 300 {
			n = 70 // keep the book from growing without bound
		}
		switch {
		case n < 65:
			r := g.request()
			d.desc = fmt.Sprintf("submit %+v", r)
			got, err = e.Submit(r, ts)
			want, reason = m.submit(r, ts)
			if reason != 0 {
				rejects++
			}
		case n < 77:
			acct, id := uint32(1+rng.IntN(4)), OrderID(1+rng.Uint64N(uint64(m.lastID)+3))
			if len(m.resting) > 0 && rng.IntN(10) < 8 {
				o := m.resting[rng.IntN(len(m.resting))].o
				id = o.ID
				if rng.IntN(10) != 0 {
					acct = o.Account
				}
			}
			d.desc = fmt.Sprintf("cancel %d %d", acct, id)
			got, err = e.Cancel(acct, id, ts)
			want, reason = m.cancel(acct, id, ts)
		case n < 81:
			acct, cid := uint32(1+rng.IntN(4)), g.clientID()
			d.desc = fmt.Sprintf("cancel client %d %q", acct, cid)
			got, err = e.CancelClient(acct, cid, ts)
			want, reason = m.cancelClient(acct, cid, ts)
		default:
			acct, id := uint32(1+rng.IntN(4)), OrderID(1+rng.Uint64N(uint64(m.lastID)+3))
			price, qty := g.price(event.Side(1+rng.IntN(2))), g.qty()
			if len(m.resting) > 0 && rng.IntN(10) < 9 {
				o := m.resting[rng.IntN(len(m.resting))].o
				acct, id = o.Account, o.ID
				switch rng.IntN(5) {
				case 0, 1:
					price = o.Price
				case 2:
					price = o.Price + int64(rng.IntN(7)-3)*diffRules.Tick
				}
				switch rng.IntN(5) {
				case 0, 1:
					qty = o.Filled + max(0, (o.Qty-o.Filled)/2)&^1
				case 2:
					qty = o.Filled &^ 1
				}
			}
			d.desc = fmt.Sprintf("replace %d %d %d %d", acct, id, price, qty)
			got, err = e.Replace(acct, id, price, qty, ts)
			want, reason = m.replace(acct, id, price, qty, ts)
			replaces++
		}
		fills += len(rec.fills)
		d.compare(got, err, want, reason)
		d.checkLookups(rng)
		resting += len(m.resting)
	}
	t.Logf("%d ops: %d fills, %d refused submits, %d replaces, %d resting on average", ops, fills, rejects, replaces, resting/ops)
	if fills < ops/10 || rejects < ops/100 {
		t.Fatalf("weak mix: %d fills, %d rejects", fills, rejects)
	}
}

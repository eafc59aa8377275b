package okx

import (
	"ems/core/jsontext"
	"hash/crc32"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
)

// The public books and trades channels of one market (venue specs section 3):
//
//	{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot"|"update",
//	 "data":[{"asks":[["30243.5","1.44679","0","1"],...],"bids":[...],"ts":"1652459225453",
//	          "checksum":-652563973,"prevSeqId":10,"seqId":15}]}
//	{"arg":{"channel":"trades","instId":"BTC-USDT"},
//	 "data":[{"instId":"BTC-USDT","tradeId":"7","px":"30236","sz":"0.0002","side":"buy","ts":"1652459224818","count":"1"}]}
//
// A level is [price, size, "0" (deprecated), order count]; the Engine does not expose order
// counts, so a live level says "1" and a deleted one "0" (size "0", as OKX writes deletes).
//
// Sequencing: seqId is the market's book sequence (sim.MarketEvent.Seq) of the latest level
// change a message covers; prevSeqId the seqId of the message before it (-1 for a snapshot).
// A books message is the difference between what was last published and the best Depth levels
// per side of the market's book now: a venue batch (a flow step, or an order) is one update,
// levels that moved in and out of the visible depth included, and a batch that changes nothing
// visible publishes nothing (the seqId then skips its events, which OKX's rules allow). With
// nothing to publish for Heartbeat, an update with empty asks and bids and prevSeqId == seqId
// goes out. The checksum is CRC-32 of the best 25 levels per side interleaved
// (bid:ask:bid:...), as a signed int32 (Options.Checksum; 0 when off, as OKX sends since 2026).
//
// Faults, asked per publication of the market: stale holds everything back while it fires
// (trades are dropped; the book catches up in one update when it stops); gap loses one update
// (the next names it as prevSeqId); bad-checksum corrupts one update's checksum.

// checksumDepth is the number of levels per side the checksum covers.
const checksumDepth = 25

// subRequest is a connection's subscribe or unsubscribe of a market channel.
type subRequest struct {
	c      *wsConn
	trades bool // trades channel, else books
	add    bool
}

// publisher publishes one market's books and trades channels. The venue's callback (onEvent)
// queues events under mu; everything else belongs to the publisher's goroutine (run).
type publisher struct {
	srv *Server
	mk  *market
	sym string // canonical name, for symbol-scoped faults

	mu       sync.Mutex        // guards building, ready and batches
	building []sim.MarketEvent // events of the batch under way
	ready    []sim.MarketEvent // complete batches not yet published
	batches  uint64            // batches queued so far

	published atomic.Uint64 // batches published (or held back) so far: idle when == batches
	stats     pubStats
	wake      chan struct{} // capacity 1: ready is not empty
	ctl       chan subRequest
	stop      chan struct{} // closed by Server.Close

	// Owned by run.
	mirror    *book.Book
	depth     int
	view      [2][]book.Level // what was last published, per side (index side-1), best first
	next      [2][]book.Level // scratch: the visible levels now
	changes   [2][]book.Level // scratch: the levels an update carries
	seq       int64           // seqId of the latest books message published (or lost to a gap)
	bookSubs  []*wsConn
	tradeSubs []*wsConn
	work      []sim.MarketEvent
	buf       []byte
	sumText   []byte
	heartbeat *time.Timer
}

// newPublisher returns the publisher of mk, not yet started.
func newPublisher(srv *Server, mk *market) (*publisher, error) {
	mirror, err := book.New(mk.l.Tick, 4096)
	if err != nil {
		return nil, err
	}
	p := &publisher{
		srv: srv, mk: mk, sym: mk.sm.Name,
		wake: make(chan struct{}, 1), ctl: make(chan subRequest, 64),
		stop:   make(chan struct{}),
		mirror: mirror, depth: srv.opts.Depth,
	}
	for s := range p.view {
		p.view[s] = make([]book.Level, 0, p.depth)
		p.next[s] = make([]book.Level, 0, p.depth)
		p.changes[s] = make([]book.Level, 0, 2*p.depth) // every level gone and replaced
	}
	return p, nil
}

// load sets the initial book (every level of each side, best first) and its sequence number.
// REQUIRES: called before run.
func (p *publisher) load(bids, asks []book.Level, seq uint64) error {
	for _, l := range bids {
		if _, err := p.mirror.Set(book.Bid, l.Price, l.Qty); err != nil {
			return err
		}
	}
	for _, l := range asks {
		if _, err := p.mirror.Set(book.Ask, l.Price, l.Qty); err != nil {
			return err
		}
	}
	for s := range p.view {
		p.view[s] = p.mirror.Levels(book.Side(s+1), p.depth, p.view[s][:0])
	}
	p.seq = int64(seq)
	return nil
}

// onEvent is the venue's market-data callback. It runs with the venue lock held: it only queues.
func (p *publisher) onEvent(ev sim.MarketEvent) {
	p.mu.Lock()
	p.building = append(p.building, ev)
	if ev.Final {
		p.ready = append(p.ready, p.building...)
		p.building = p.building[:0]
		p.batches++
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
	p.mu.Unlock()
}

// subscribe queues a subscription change; the publisher answers a books subscription with a
// snapshot.
func (p *publisher) subscribe(r subRequest) {
	select {
	case p.ctl <- r:
	case <-p.stop:
	}
}

// run is the publisher's goroutine.
func (p *publisher) run() {
	var hb <-chan time.Time
	if d := p.srv.opts.Heartbeat; d > 0 {
		p.heartbeat = time.NewTimer(d)
		defer p.heartbeat.Stop()
		hb = p.heartbeat.C
	}
	for {
		select {
		case <-p.stop:
			return
		case <-p.wake:
			p.process()
		case r := <-p.ctl:
			p.control(r)
		case <-hb:
			p.beat()
		}
	}
}

// process publishes the batches queued since the last call.
func (p *publisher) process() {
	p.mu.Lock()
	p.work, p.ready = p.ready, p.work[:0]
	n := p.batches
	p.mu.Unlock()
	defer p.published.Store(n)
	var lastSeq uint64
	var ts int64
	levels, trades := false, false
	for i := range p.work {
		ev := &p.work[i]
		switch ev.Kind {
		case sim.MarketLevel:
			// The Engine only reports levels on its tick grid; an error would be a bug upstream.
			_, _ = p.mirror.Set(book.Side(ev.Side), ev.Price, ev.Qty)
			lastSeq, ts, levels = ev.Seq, ev.TS, true
		case sim.MarketTrade:
			trades = true
		}
	}
	if !levels && !trades {
		return
	}
	if p.srv.v.Fault(sim.FaultStale, p.sym) {
		p.stats.held.Add(1)
		return // hold back: the mirror moves on, the published view does not
	}
	if trades && len(p.tradeSubs) > 0 {
		for i := range p.work {
			if ev := &p.work[i]; ev.Kind == sim.MarketTrade {
				p.tradeSubs = broadcast(p.tradeSubs, p.encodeTrade(ev), p.sym)
				p.stats.trades.Add(1)
			}
		}
	}
	if levels {
		p.publish(int64(lastSeq), ts)
	}
}

// publish sends the update that brings the published view to the mirror's visible levels, as
// seqId seq. Nothing visible changed: nothing is sent and the seqId does not move.
func (p *publisher) publish(seq, ts int64) {
	if !p.diff() {
		return
	}
	// Faults that damage a message are asked only when someone would receive it.
	gap, bad := false, false
	if len(p.bookSubs) > 0 {
		gap = p.srv.v.Fault(sim.FaultGap, p.sym)
		bad = p.srv.v.Fault(sim.FaultBadChecksum, p.sym)
	}
	msg := p.encodeBook("update", p.changes[1], p.changes[0], ts, p.checksum(bad), p.seq, seq)
	p.seq = seq
	p.rearm()
	if gap {
		p.stats.lost.Add(1)
		return // lost on the way: the next update's prevSeqId names this one
	}
	p.bookSubs = broadcast(p.bookSubs, msg, p.sym)
	p.stats.updates.Add(1)
}

// beat sends the idle heartbeat: no levels, prevSeqId == seqId.
func (p *publisher) beat() {
	p.rearm()
	if len(p.bookSubs) == 0 || p.srv.v.Fault(sim.FaultStale, p.sym) {
		return
	}
	msg := p.encodeBook("update", nil, nil, p.srv.v.Now(), p.checksum(false), p.seq, p.seq)
	p.bookSubs = broadcast(p.bookSubs, msg, p.sym)
	p.stats.heartbeats.Add(1)
}

// rearm restarts the heartbeat timer.
func (p *publisher) rearm() {
	if p.heartbeat == nil {
		return
	}
	if !p.heartbeat.Stop() {
		select {
		case <-p.heartbeat.C:
		default:
		}
	}
	p.heartbeat.Reset(p.srv.opts.Heartbeat)
}

// control applies a subscription change.
func (p *publisher) control(r subRequest) {
	list := &p.bookSubs
	if r.trades {
		list = &p.tradeSubs
	}
	*list = removeConn(*list, r.c)
	if !r.add {
		return
	}
	*list = append(*list, r.c)
	if !r.trades {
		msg := p.encodeBook("snapshot", p.view[1], p.view[0], p.srv.v.Now(), p.checksum(false), -1, p.seq)
		r.c.sendPush(msg, p.sym)
		p.stats.snapshots.Add(1)
	}
}

// diff computes, per side, the levels that turn the published view into the mirror's visible
// levels (into changes, in the side's order, best first), makes that the view, and reports
// whether anything changed.
func (p *publisher) diff() bool {
	any := false
	for s := range p.view {
		side := book.Side(s + 1)
		next := p.mirror.Levels(side, p.depth, p.next[s][:0])
		old := p.view[s]
		ch := p.changes[s][:0]
		i, j := 0, 0
		for i < len(old) && j < len(next) {
			switch o, n := old[i], next[j]; {
			case o.Price == n.Price:
				if o.Qty != n.Qty {
					ch = append(ch, n)
				}
				i++
				j++
			case (side == book.Bid) == (o.Price > n.Price): // the old level comes first: it went away
				ch = append(ch, book.Level{Price: o.Price})
				i++
			default:
				ch = append(ch, n)
				j++
			}
		}
		for ; i < len(old); i++ {
			ch = append(ch, book.Level{Price: old[i].Price})
		}
		ch = append(ch, next[j:]...)
		p.changes[s] = ch
		p.view[s], p.next[s] = next, old
		any = any || len(ch) > 0
	}
	return any
}

// checksum returns the OKX checksum of the published view: 0 when checksums are off; corrupted
// (flipped, never 0) when bad.
func (p *publisher) checksum(bad bool) int32 {
	var sum int32
	if p.srv.opts.Checksum {
		ps, qs := p.mk.l.PriceScale, p.mk.l.QtyScale
		bids, asks := p.view[0], p.view[1]
		t := p.sumText[:0]
		for i := 0; i < checksumDepth; i++ {
			if i < len(bids) {
				t = appendSumLevel(t, bids[i], ps, qs)
			}
			if i < len(asks) {
				t = appendSumLevel(t, asks[i], ps, qs)
			}
		}
		if len(t) > 0 {
			t = t[:len(t)-1]
		}
		p.sumText = t
		sum = int32(crc32.ChecksumIEEE(t))
	}
	if bad {
		sum ^= 0x5a5a5a5a
		if sum == 0 {
			sum = 1
		}
	}
	return sum
}

// appendSumLevel appends "px:sz:" as written on the wire.
func appendSumLevel(dst []byte, l book.Level, ps, qs uint8) []byte {
	dst = fixed.AppendTrim(dst, l.Price, ps)
	dst = append(dst, ':')
	dst = fixed.AppendTrim(dst, l.Qty, qs)
	return append(dst, ':')
}

// encodeBook returns a books message. asks and bids are in the side's order (asks ascending,
// bids descending); a zero quantity is a delete.
func (p *publisher) encodeBook(action string, asks, bids []book.Level, ts int64, sum int32, prev, seq int64) []byte {
	ps, qs := p.mk.l.PriceScale, p.mk.l.QtyScale
	b := p.buf[:0]
	b = append(b, `{"arg":{"channel":"books","instId":`...)
	b = jsontext.AppendString(b, p.mk.instID)
	b = append(b, `},"action":"`...)
	b = append(b, action...)
	b = append(b, `","data":[{"asks":`...)
	b = appendLevels(b, asks, ps, qs)
	b = append(b, `,"bids":`...)
	b = appendLevels(b, bids, ps, qs)
	b = append(b, `,"ts":`...)
	b = appendMillisQ(b, ts)
	b = append(b, `,"checksum":`...)
	b = strconv.AppendInt(b, int64(sum), 10)
	b = append(b, `,"prevSeqId":`...)
	b = strconv.AppendInt(b, prev, 10)
	b = append(b, `,"seqId":`...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, "}]}"...)
	p.buf = b
	return append([]byte(nil), b...) // shared by the subscribers' queues
}

// appendLevels appends [["px","sz","0","n"],...].
func appendLevels(dst []byte, ls []book.Level, ps, qs uint8) []byte {
	dst = append(dst, '[')
	for i, l := range ls {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		dst = appendDec(dst, l.Price, ps)
		dst = append(dst, ',')
		dst = appendDec(dst, l.Qty, qs)
		if l.Qty == 0 {
			dst = append(dst, `,"0","0"]`...)
		} else {
			dst = append(dst, `,"0","1"]`...)
		}
	}
	return append(dst, ']')
}

// encodeTrade returns a trades message for trade ev.
func (p *publisher) encodeTrade(ev *sim.MarketEvent) []byte {
	b := p.buf[:0]
	b = append(b, `{"arg":{"channel":"trades","instId":`...)
	b = jsontext.AppendString(b, p.mk.instID)
	b = append(b, `},"data":[{"instId":`...)
	b = jsontext.AppendString(b, p.mk.instID)
	b = append(b, `,"tradeId":`...)
	b = appendUintQ(b, ev.TradeID)
	b = append(b, `,"px":`...)
	b = appendDec(b, ev.Price, p.mk.l.PriceScale)
	b = append(b, `,"sz":`...)
	b = appendDec(b, ev.Qty, p.mk.l.QtyScale)
	b = append(b, `,"side":`...)
	b = append(b, sideText(ev.Side)...)
	b = append(b, `,"ts":`...)
	b = appendMillisQ(b, ev.TS)
	b = append(b, `,"count":"1"}]}`...)
	p.buf = b
	return append([]byte(nil), b...)
}

// sideText returns the quoted OKX side.
func sideText(s event.Side) string {
	if s == event.SideSell {
		return `"sell"`
	}
	return `"buy"`
}

// broadcast queues msg on every connection of subs and returns subs without the connections
// that are gone.
func broadcast(subs []*wsConn, msg []byte, sym string) []*wsConn {
	n := 0
	for _, c := range subs {
		if c.sendPush(msg, sym) {
			subs[n] = c
			n++
		}
	}
	clear(subs[n:])
	return subs[:n]
}

// idle reports whether every batch queued so far has been published.
func (p *publisher) idle() bool {
	p.mu.Lock()
	n := p.batches
	p.mu.Unlock()
	return p.published.Load() == n
}

// pubStats counts a publisher's messages.
type pubStats struct {
	updates, snapshots, heartbeats, trades, lost, held atomic.Uint64
}

// removeConn returns list without c.
func removeConn(list []*wsConn, c *wsConn) []*wsConn {
	for i, x := range list {
		if x == c {
			copy(list[i:], list[i+1:])
			list[len(list)-1] = nil
			return list[:len(list)-1]
		}
	}
	return list
}

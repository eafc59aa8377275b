package kraken

import (
	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

// book handles the payloads of a book-<depth> frame:
//
//	snapshot  {"as":[[price,volume,timestamp],...],"bs":[...]}
//	update    {"a":[[price,volume,timestamp(,"r")],...]} and/or {"b":[...]}, the last one
//	          carrying "c":"<checksum>" (asks and bids may come as two payloads of one frame)
//
// Prices, volumes and timestamps are strings; "r" marks a republished level, applied like any
// other. The checksum of an update is verified after every payload is applied, before the
// message is committed; a snapshot carries none. ExchTS is the latest level timestamp of the
// message.
func (d *V1) book(payload []*fastjson.Value, name, pair, msg []byte, recvTS int64, out *feed.Batch) error {
	depth, ok := channelDepth(name)
	if !ok || depth < ChecksumLevels {
		d.an.Note(kindBadDepth, msg, errChannelDepth)
		return errChannelDepth
	}
	b, ok, err := d.tab.book(pair, name, depth, depthVenue)
	if err != nil {
		d.an.Note(kindBook, msg, err)
		return err
	}
	if !ok {
		d.an.Note(kindUnknownSymbol, msg, errUnknown)
		return errUnknown
	}
	d.tab.touch(b)
	r := b.r
	snap := payload[0].Get("as") != nil || payload[0].Get("bs") != nil
	if !snap && r.State() != event.BookLive {
		r.Drop()
		return nil
	}
	b.seq++
	start := out.Len()
	r.Begin(out, b.seq, 0, recvTS)
	if snap {
		r.Snapshot()
	}
	var ts int64
	var sum []byte
	for _, p := range payload {
		if p.Type() != fastjson.TypeObject {
			return d.broken(b, msg, errPayload)
		}
		ak, bk := "a", "b"
		if snap {
			ak, bk = "as", "bs"
		}
		if err := d.levelsV1(b, book.Ask, p.Get(ak), &ts); err != nil {
			return d.broken(b, msg, err)
		}
		if err := d.levelsV1(b, book.Bid, p.Get(bk), &ts); err != nil {
			return d.broken(b, msg, err)
		}
		if c := p.Get("c"); c != nil {
			if sum, err = c.StringBytes(); err != nil {
				sum = []byte{} // present but not a string: malformed
			}
		}
	}
	err = d.commit(b, sum, msg)
	stampExch(out, start, ts)
	return err
}

// commit verifies an update's checksum text when there is one, then commits the message.
func (d *V1) commit(b *bookState, sum, msg []byte) error {
	if sum == nil {
		return b.r.Commit()
	}
	want, ok := parseChecksum(sum)
	if !ok {
		return d.badChecksum(b, msg)
	}
	return d.finish(b, want)
}

// levelsV1 applies one side's [price, volume, timestamp, ...] arrays in order (nil: none) and
// raises *ts to the latest level timestamp.
func (d *V1) levelsV1(b *bookState, side book.Side, v *fastjson.Value, ts *int64) error {
	if v == nil {
		return nil
	}
	levels, err := v.Array()
	if err != nil {
		return errPayload
	}
	for _, lv := range levels {
		l, err := lv.Array()
		if err != nil || len(l) < 3 {
			return errBadLevel
		}
		px, err1 := l[0].StringBytes()
		qty, err2 := l[1].StringBytes()
		if err1 != nil || err2 != nil {
			return errBadLevel
		}
		if s, err := l[2].StringBytes(); err == nil {
			if t, ok := parseSeconds(s); ok && t > *ts {
				*ts = t
			}
		}
		if err := b.set(side, px, qty); err != nil {
			return err
		}
	}
	return nil
}

// stampExch sets ExchTS on the events added since start (it is known only once every level of the
// message has been read).
func stampExch(out *feed.Batch, start int, ts int64) {
	evs := out.Events()
	for i := start; i < len(evs); i++ {
		evs[i].ExchTS = ts
	}
}

// channelDepth reads the depth of a v1 book channel name ("book-1000" → 1000).
func channelDepth(name []byte) (int, bool) {
	const prefix = "book-"
	if len(name) <= len(prefix) || len(name) > len(prefix)+7 || string(name[:len(prefix)]) != prefix {
		return 0, false
	}
	n, ok := digits(name[len(prefix):])
	return int(n), ok
}

// trades handles a trade frame's payload [[price, volume, time, side, orderType, misc],...]: one
// Trade event per entry, side being the taker's ("b" buy, "s" sell). v1 trades carry no id:
// TradeID and Seq are 0.
func (d *V1) trades(v *fastjson.Value, pair, msg []byte, recvTS int64, out *feed.Batch) error {
	ii, ok := d.tab.instrument(pair)
	if !ok {
		d.an.Note(kindUnknownSymbol, msg, errUnknown)
		return errUnknown
	}
	d.tab.touchSymbol(ii)
	list, err := v.Array()
	if err != nil {
		d.an.Note(kindBadTrade, msg, errBadTrade)
		return errBadTrade
	}
	start := out.Len()
	var first error
	for _, tv := range list {
		if err := d.trade(tv, ii, recvTS, out); err != nil {
			d.an.Note(kindBadTrade, msg, err)
			if first == nil {
				first = err
			}
		}
	}
	lastInBatch(out, start)
	return first
}

func (d *V1) trade(tv *fastjson.Value, ii int32, recvTS int64, out *feed.Batch) error {
	f, err := tv.Array()
	if err != nil || len(f) < 4 {
		return errBadTrade
	}
	pxT, err1 := f[0].StringBytes()
	qtyT, err2 := f[1].StringBytes()
	tsT, err3 := f[2].StringBytes()
	side, err4 := f[3].StringBytes()
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return errBadTrade
	}
	ps, qs := d.tab.scales(ii, pxT, qtyT)
	px, err1 := fixed.Parse(pxT, ps)
	qty, err2 := fixed.Parse(qtyT, qs)
	if err1 != nil || err2 != nil || px <= 0 || qty <= 0 {
		return errBadTrade
	}
	ts, _ := parseSeconds(tsT)
	t := d.tab.header(out, event.KindTrade, ii, 0, ts, recvTS).Trade()
	t.Price, t.Qty, t.Aggressor = px, qty, aggressor(side)
	return nil
}

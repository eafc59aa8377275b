package coinbase

import (
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// level2 handles an l2_data message: each event is one book message of its product
//
//	{"type":"snapshot"|"update","product_id":"BTC-USD",
//	 "updates":[{"side":"bid"|"offer","event_time":...,"price_level":"px","new_quantity":"qty"},...]}
//
// A snapshot replaces the book; an update applies to a live book and is dropped otherwise (before
// the first snapshot, or after a sequence break until the next snapshot).
func (d *Decoder) level2(v *fastjson.Value, seq uint64, exch, recvTS int64, out *feed.Batch, msg []byte) error {
	evs, ok := array(v.Get("events"))
	if !ok {
		d.anomalies.Note(AnomalyBadBook, msg, errEvents)
		return errEvents
	}
	for _, ev := range evs {
		if err := d.level2Event(ev, seq, exch, recvTS, out, msg); err != nil {
			return err
		}
	}
	return nil
}

func (d *Decoder) level2Event(ev *fastjson.Value, seq uint64, exch, recvTS int64, out *feed.Batch, msg []byte) error {
	if ev.Type() != fastjson.TypeObject {
		d.anomalies.Note(AnomalyBadBook, msg, errEvents)
		return errEvents
	}
	name, ok := feed.StringBytes(ev.Get("product_id"))
	if !ok {
		d.anomalies.Note(AnomalyBadBook, msg, errProduct)
		return errProduct
	}
	p, err := d.reg.lookup(name)
	if err != nil {
		d.anomalies.Note(AnomalyUnknownProd, msg, err)
		return err
	}
	r, err := d.reg.book(p)
	if err != nil {
		d.anomalies.Note(AnomalyBadBook, msg, err)
		return err
	}
	d.reg.count(p)
	var snapshot bool
	switch string(ev.GetStringBytes("type")) {
	case "snapshot":
		snapshot = true
	case "update":
	default:
		d.anomalies.Note(AnomalyBadBook, msg, errBookType)
		return errBookType
	}
	updates, ok := array(ev.Get("updates"))
	if !ok {
		d.anomalies.Note(AnomalyBadBook, msg, errUpdates)
		return errUpdates
	}
	if !snapshot && r.State() != event.BookLive {
		r.Drop()
		return nil
	}
	r.Begin(out, seq, exch, recvTS)
	if snapshot {
		r.Snapshot()
	}
	for _, u := range updates {
		var side book.Side
		switch string(u.GetStringBytes("side")) {
		case "bid":
			side = book.Bid
		case "offer", "ask":
			side = book.Ask
		default:
			return d.broken(r, p, msg, errSide)
		}
		px, ok1 := feed.StringBytes(u.Get("price_level"))
		qty, ok2 := feed.StringBytes(u.Get("new_quantity"))
		if !ok1 || !ok2 {
			return d.broken(r, p, msg, errLevel)
		}
		if err := r.SetText(side, px, qty); err != nil {
			return d.broken(r, p, msg, err)
		}
	}
	if err := r.Commit(); err != nil {
		return d.broken(r, p, msg, err)
	}
	return nil
}

// broken handles a book event that failed half way: the book no longer matches the venue's, so it
// is invalidated and its level2 subscription renewed.
func (d *Decoder) broken(r *feed.Replica, p *product, msg []byte, err error) error {
	err = fmt.Errorf("coinbase: level2 %s: %w", p.name, err)
	d.anomalies.Note(AnomalyBadLevel, msg, err)
	r.Invalidate(event.BookReasonGap)
	d.requests = append(d.requests, feed.Request{Kind: feed.RequestResubscribe, Replica: r})
	return err
}

package coinbase

import (
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// LegacyVenueName is the name, in replay reports and on the command line, of the legacy Coinbase
// Exchange (formerly Pro) WebSocket feed, a different protocol from Advanced Trade.
const LegacyVenueName = "coinbase-legacy"

var (
	errLegacyForeign = fmt.Errorf("coinbase: JSON without a legacy Exchange feed type: %w", feed.ErrForeign)
	errLegacyAT      = fmt.Errorf("coinbase: an Advanced Trade message (channel); replay it with the %s decoder: %w",
		VenueName, feed.ErrForeign)
	errLegacyProduct = errors.New("coinbase: legacy message without a product_id")
	errLegacySide    = errors.New("coinbase: legacy book side is not an array")
	errLegacyLevel   = errors.New("coinbase: legacy level is not [price, size] strings")
	errLegacyChanges = errors.New("coinbase: l2update without a changes array")
	errLegacyChange  = errors.New("coinbase: l2update change is not [buy|sell, price, size]")
	errLegacyMatch   = errors.New("coinbase: match without price, size or trade_id")
)

// LegacyDecoder decodes the legacy Coinbase Exchange feed (ws-feed.exchange.coinbase.com, the
// 2021-era Coinbase Pro protocol): the level2 channel's snapshot and l2update messages, and match
// messages as trades. It implements feed.Decoder, for replaying recordings of that feed; it is not
// the Advanced Trade protocol (Decoder).
//
// The level2 channel carries no sequence number, so no gap can be detected: the book follows
// the venue's "guaranteed delivery" of level2 and is only rebuilt by a new snapshot (after a
// reconnect). Owned by the feed thread; not safe for concurrent use.
type LegacyDecoder struct {
	reg       registry
	parser    fastjson.Parser
	anomalies feed.Anomalies
	requests  []feed.Request
}

var _ feed.Decoder = (*LegacyDecoder)(nil)

// NewLegacy returns a legacy Exchange feed decoder for cfg.
func NewLegacy(cfg feed.Config) *LegacyDecoder {
	d := &LegacyDecoder{reg: newRegistry(cfg)}
	d.anomalies.Log = cfg.Log
	return d
}

// Books returns the replicas in the order their products were first seen; owned by the decoder.
func (d *LegacyDecoder) Books() []*feed.Replica { return d.reg.replicas }

// Anomalies returns the decoder's count of malformed and unexpected messages.
func (d *LegacyDecoder) Anomalies() *feed.Anomalies { return &d.anomalies }

// Requests appends the resubscriptions needed since the last call (books a malformed message
// invalidated) and forgets them.
func (d *LegacyDecoder) Requests(dst []feed.Request) []feed.Request {
	dst = append(dst, d.requests...)
	d.requests = d.requests[:0]
	return dst
}

// Decode handles one legacy feed message received at recvTS (ns), appending its events to out:
//
//	{"type":"snapshot","product_id":"BAND-GBP","bids":[["px","size"],...],"asks":[...]}
//	{"type":"l2update","product_id":"BAND-GBP","changes":[["buy"|"sell","px","size"],...],"time":"..."}
//	{"type":"match","trade_id":881614,"side":"buy","size":"5","price":"14.7646","product_id":...,"sequence":N,"time":...}
//
// A snapshot replaces the book; an l2update applies to a live book (dropped before the first
// snapshot). match is a Trade whose side is the maker's (Exchange docs), so Aggressor is its
// opposite; last_match (the latest trade before subscribing) is counted but produces no event.
// heartbeat, ticker, subscriptions and the full channel's order messages produce nothing. An
// Advanced Trade message, or a JSON object without type, returns an error wrapping
// feed.ErrForeign. msg is only read during the call.
func (d *LegacyDecoder) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
	v, err := d.parser.ParseBytes(msg)
	if err != nil {
		d.anomalies.Note(AnomalyBadJSON, msg, err)
		return fmt.Errorf("coinbase: %w", err)
	}
	if v.Type() != fastjson.TypeObject {
		d.anomalies.Note(AnomalyForeign, msg, errNotObject)
		return errNotObject
	}
	d.reg.line++
	if v.Get("channel") != nil {
		d.anomalies.Note(AnomalyForeign, msg, errLegacyAT)
		return errLegacyAT
	}
	typ, ok := feed.StringBytes(v.Get("type"))
	if !ok {
		d.anomalies.Note(AnomalyForeign, msg, errLegacyForeign)
		return errLegacyForeign
	}
	if string(typ) == "error" {
		err := fmt.Errorf("coinbase: venue error: %q: %q", v.GetStringBytes("message"), v.GetStringBytes("reason"))
		d.anomalies.Note(AnomalyVenueError, msg, err)
		return err
	}
	if string(typ) == "subscriptions" {
		return nil
	}
	name, ok := feed.StringBytes(v.Get("product_id"))
	if !ok {
		switch string(typ) {
		case "snapshot", "l2update", "match", "last_match", "heartbeat", "ticker":
			d.anomalies.Note(AnomalyBadBook, msg, errLegacyProduct)
			return errLegacyProduct
		}
		d.anomalies.Note(AnomalyForeign, msg, errLegacyForeign)
		return errLegacyForeign
	}
	p, err := d.reg.lookup(name)
	if err != nil {
		d.anomalies.Note(AnomalyUnknownProd, msg, err)
		return err
	}
	var exch int64
	if ts, ok := feed.StringBytes(v.Get("time")); ok {
		exch, _ = parseTime(ts)
	}
	switch string(typ) {
	case "snapshot", "l2update":
		r, err := d.reg.book(p)
		if err != nil {
			d.anomalies.Note(AnomalyBadBook, msg, err)
			return err
		}
		d.reg.count(p)
		if string(typ) == "snapshot" {
			return d.snapshot(v, r, p, exch, recvTS, out, msg)
		}
		return d.update(v, r, p, exch, recvTS, out, msg)
	case "match":
		d.reg.count(p)
		return d.match(v, p, exch, recvTS, out, msg)
	}
	d.reg.count(p) // last_match, heartbeat, ticker, full-channel messages
	return nil
}

func (d *LegacyDecoder) snapshot(v *fastjson.Value, r *feed.Replica, p *product, exch, recvTS int64, out *feed.Batch, msg []byte) error {
	r.Begin(out, 0, exch, recvTS)
	r.Snapshot()
	for _, s := range [2]struct {
		key  string
		side book.Side
	}{{"bids", book.Bid}, {"asks", book.Ask}} {
		levels, ok := array(v.Get(s.key))
		if !ok {
			return d.broken(r, p, msg, errLegacySide)
		}
		for _, l := range levels {
			pair, _ := array(l)
			if len(pair) < 2 {
				return d.broken(r, p, msg, errLegacyLevel)
			}
			px, ok1 := feed.StringBytes(pair[0])
			qty, ok2 := feed.StringBytes(pair[1])
			if !ok1 || !ok2 {
				return d.broken(r, p, msg, errLegacyLevel)
			}
			if err := r.SetText(s.side, px, qty); err != nil {
				return d.broken(r, p, msg, err)
			}
		}
	}
	if err := r.Commit(); err != nil {
		return d.broken(r, p, msg, err)
	}
	return nil
}

func (d *LegacyDecoder) update(v *fastjson.Value, r *feed.Replica, p *product, exch, recvTS int64, out *feed.Batch, msg []byte) error {
	changes, ok := array(v.Get("changes"))
	if !ok {
		d.anomalies.Note(AnomalyBadBook, msg, errLegacyChanges)
		return errLegacyChanges
	}
	if r.State() != event.BookLive {
		r.Drop()
		return nil
	}
	r.Begin(out, 0, exch, recvTS)
	for _, c := range changes {
		ch, _ := array(c)
		if len(ch) < 3 {
			return d.broken(r, p, msg, errLegacyChange)
		}
		var side book.Side
		switch string(ch[0].GetStringBytes()) {
		case "buy":
			side = book.Bid
		case "sell":
			side = book.Ask
		default:
			return d.broken(r, p, msg, errLegacyChange)
		}
		px, ok1 := feed.StringBytes(ch[1])
		qty, ok2 := feed.StringBytes(ch[2])
		if !ok1 || !ok2 {
			return d.broken(r, p, msg, errLegacyChange)
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

func (d *LegacyDecoder) match(v *fastjson.Value, p *product, exch, recvTS int64, out *feed.Batch, msg []byte) error {
	px, ok1 := feed.StringBytes(v.Get("price"))
	qty, ok2 := feed.StringBytes(v.Get("size"))
	id, ok3 := uint64Of(v.Get("trade_id"))
	if !ok1 || !ok2 || !ok3 {
		d.anomalies.Note(AnomalyBadTrade, msg, errLegacyMatch)
		return errLegacyMatch
	}
	first := out.Len()
	seq := v.GetUint64("sequence")
	if err := addTrade(out, d.reg.cfg.Venue, p, px, qty, id, takerOfMaker(v.GetStringBytes("side")), seq, exch, recvTS); err != nil {
		err = fmt.Errorf("coinbase: match %s: %w", p.name, err)
		d.anomalies.Note(AnomalyBadTrade, msg, err)
		return err
	}
	out.Events()[first].Flags |= event.FlagLastInBatch
	return nil
}

// broken handles a book message that failed half way: the book is invalidated and its level2
// subscription renewed.
func (d *LegacyDecoder) broken(r *feed.Replica, p *product, msg []byte, err error) error {
	err = fmt.Errorf("coinbase: legacy level2 %s: %w", p.name, err)
	d.anomalies.Note(AnomalyBadLevel, msg, err)
	r.Invalidate(event.BookReasonGap)
	d.requests = append(d.requests, feed.Request{Kind: feed.RequestResubscribe, Replica: r})
	return err
}

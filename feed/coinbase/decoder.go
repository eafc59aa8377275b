package coinbase

import (
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/feed"
)

// VenueName is the Advanced Trade venue's name in replay reports and on the command line.
const VenueName = "coinbase"

// Anomaly kinds noted by the decoders (feed.Anomalies), one per cause.
const (
	AnomalyBadJSON      = "bad json"
	AnomalyForeign      = "not a coinbase message"
	AnomalyLegacy       = "legacy exchange feed message"
	AnomalyVenueError   = "venue error"
	AnomalyNoSequence   = "missing sequence_num"
	AnomalyRepeatedSeq  = "repeated sequence_num"
	AnomalyBadTimestamp = "bad timestamp"
	AnomalyUnknownProd  = "unknown product"
	AnomalyBadBook      = "bad book event"
	AnomalyBadLevel     = "bad level"
	AnomalyBadTrade     = "bad trade"
	AnomalyUnknownType  = "unknown message type"
)

var (
	errNotObject = fmt.Errorf("coinbase: JSON that is not an object: %w", feed.ErrForeign)
	errForeign   = fmt.Errorf("coinbase: JSON without channel: %w", feed.ErrForeign)
	errLegacy    = fmt.Errorf("coinbase: a legacy Exchange feed message (type, no channel); "+
		"replay it with the %s decoder: %w", LegacyVenueName, feed.ErrForeign)
	errChannel  = errors.New("coinbase: channel is not a string")
	errEvents   = errors.New("coinbase: events is not an array of objects")
	errProduct  = errors.New("coinbase: event without a product_id")
	errBookType = errors.New("coinbase: l2_data event type is neither snapshot nor update")
	errUpdates  = errors.New("coinbase: l2_data event without an updates array")
	errLevel    = errors.New("coinbase: update is not {side, price_level, new_quantity}")
	errSide     = errors.New("coinbase: update side is neither bid nor offer")
	errTrades   = errors.New("coinbase: market_trades event without a trades array")
	errTrade    = errors.New("coinbase: trade without price, size, product_id or trade_id")
)

// Decoder decodes the messages of one Coinbase Advanced Trade market-data WebSocket connection
// (wss://advanced-trade-ws.coinbase.com) into events: level2 books (l2_data) and market_trades.
// It implements feed.Decoder. sequence_num is per connection, so a Decoder stands for one
// connection: call ResetSequence when a new connection replaces the old one.
//
// Owned by the feed thread; not safe for concurrent use. Decode allocates nothing in steady
// state (after each product's first message and once its Batch has grown to its largest message).
type Decoder struct {
	reg       registry
	parser    fastjson.Parser
	anomalies feed.Anomalies
	requests  []feed.Request
	lastSeq   uint64
	haveSeq   bool // lastSeq holds the connection's last sequence_num
}

var _ feed.Decoder = (*Decoder)(nil)

// New returns a decoder for cfg. cfg.Depth is not used (level2 books are full depth).
func New(cfg feed.Config) *Decoder {
	d := &Decoder{reg: newRegistry(cfg)}
	d.anomalies.Log = cfg.Log
	return d
}

// Books returns the replicas in the order their products were first seen; owned by the decoder.
func (d *Decoder) Books() []*feed.Replica { return d.reg.replicas }

// Anomalies returns the decoder's count of malformed and unexpected messages.
func (d *Decoder) Anomalies() *feed.Anomalies { return &d.anomalies }

// Requests appends the resyncs needed since the last call and forgets them: RequestReconnect for
// every book a sequence_num break invalidated (the break is the connection's), RequestResubscribe
// (level2 for that product) for a book a malformed update invalidated.
func (d *Decoder) Requests(dst []feed.Request) []feed.Request {
	dst = append(dst, d.requests...)
	d.requests = d.requests[:0]
	return dst
}

// ResetSequence forgets the connection's last sequence_num: call it when a new connection opens
// (its sequence starts again), before its first message.
func (d *Decoder) ResetSequence() { d.haveSeq = false }

// Decode handles one message received at recvTS (ns), appending its events to out. msg is only
// read during the call. Every channel's message takes part in the connection's sequence_num
// check; l2_data updates the books, market_trades become Trade events, others (heartbeats,
// subscriptions, ticker, ...) produce nothing. A legacy Exchange feed message, or any JSON object
// without "channel", returns an error wrapping feed.ErrForeign.
func (d *Decoder) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
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
	cv := v.Get("channel")
	if cv == nil {
		return d.noChannel(v, msg)
	}
	channel, ok := feed.StringBytes(cv)
	if !ok {
		d.anomalies.Note(AnomalyForeign, msg, errChannel)
		return errChannel
	}
	var exch int64
	if ts, ok := feed.StringBytes(v.Get("timestamp")); ok {
		if exch, ok = parseTime(ts); !ok {
			d.anomalies.Note(AnomalyBadTimestamp, msg, nil)
		}
	}
	seq, ok := uint64Of(v.Get("sequence_num"))
	if ok {
		d.sequence(seq, exch, recvTS, out, msg)
	} else {
		d.anomalies.Note(AnomalyNoSequence, msg, nil)
	}
	switch string(channel) {
	case "l2_data":
		return d.level2(v, seq, exch, recvTS, out, msg)
	case "market_trades":
		return d.trades(v, seq, recvTS, out, msg)
	case "ticker", "ticker_batch":
		d.countProducts(v, "tickers")
	case "candles":
		d.countProducts(v, "candles")
	}
	return nil
}

// noChannel handles an object without "channel": an error report, a legacy Exchange message, or
// another venue's.
func (d *Decoder) noChannel(v *fastjson.Value, msg []byte) error {
	typ, ok := feed.StringBytes(v.Get("type"))
	if !ok {
		d.anomalies.Note(AnomalyForeign, msg, errForeign)
		return errForeign
	}
	if string(typ) == "error" {
		err := fmt.Errorf("coinbase: venue error: %q", v.GetStringBytes("message"))
		d.anomalies.Note(AnomalyVenueError, msg, err)
		return err
	}
	d.anomalies.Note(AnomalyLegacy, msg, errLegacy)
	return errLegacy
}

// sequence checks the connection's sequence_num: each message must carry the previous one plus 1.
// A jump or a decrease invalidates every book of the connection and asks for a reconnect; a
// repeated number is noted and the message handled.
func (d *Decoder) sequence(seq uint64, exch, recvTS int64, out *feed.Batch, msg []byte) {
	last, have := d.lastSeq, d.haveSeq
	d.lastSeq, d.haveSeq = seq, true
	switch {
	case !have || seq == last+1:
		return
	case seq == last:
		d.anomalies.Note(AnomalyRepeatedSeq, msg, nil)
		return
	}
	for _, r := range d.reg.replicas {
		if r.State() == event.BookInvalid {
			continue // already waiting for its snapshot
		}
		r.Begin(out, seq, exch, recvTS)
		r.Gap()
		d.requests = append(d.requests, feed.Request{Kind: feed.RequestReconnect, Replica: r})
	}
}

// countProducts counts the line for each product named in events[].<key>[].product_id.
func (d *Decoder) countProducts(v *fastjson.Value, key string) {
	evs, _ := array(v.Get("events"))
	for _, ev := range evs {
		items, _ := array(ev.Get(key))
		for _, it := range items {
			if name, ok := feed.StringBytes(it.Get("product_id")); ok {
				if p, err := d.reg.lookup(name); err == nil {
					d.reg.count(p)
				}
			}
		}
	}
}

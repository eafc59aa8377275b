package binance

import (
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/feed"
)

// Decoder decodes one Binance market's WebSocket market data (raw or combined streams) into
// events and keeps a book per symbol, synced from REST snapshots (LoadSnapshot) and diff-depth
// events by the market's Rule. It implements feed.Decoder and feed.SnapshotLoader.
//
// Owned by the feed thread; not safe for concurrent use. In steady state (a live book, messages
// of known symbols) Decode allocates nothing.
type Decoder struct {
	cfg   feed.Config
	rule  Rule
	venue string

	parser fastjson.Parser // for Decode
	spare  fastjson.Parser // for snapshots, which may be applied inside Decode

	bySymbol map[string]*instrument
	listed   []*instrument
	books    []*feed.Replica
	inferred uint32

	anomalies feed.Anomalies
	requests  []feed.Request

	// A snapshot given for symbol "" before any book was seen waits here for the first diff.
	pending     []byte
	pendingRecv int64
	hasPending  bool
}

var (
	_ feed.Decoder        = (*Decoder)(nil)
	_ feed.SnapshotLoader = (*Decoder)(nil)
)

// New returns a Binance spot decoder.
func New(cfg feed.Config) *Decoder { return NewMarket(cfg, Spot{}) }

// NewMarket returns a decoder for the Binance market whose diff-depth sync rule is rule
// (feed/binanceusdm passes the USD-M futures rule).
func NewMarket(cfg feed.Config, rule Rule) *Decoder {
	d := &Decoder{
		cfg:      cfg,
		rule:     rule,
		venue:    rule.Venue(),
		bySymbol: make(map[string]*instrument),
		requests: make([]feed.Request, 0, 8),
	}
	d.anomalies.Log = cfg.Log
	return d
}

// Books returns the books that received a diff or a snapshot, in the order first seen. Symbols
// seen only in trades or tickers have an instrument but no book and are not listed.
func (d *Decoder) Books() []*feed.Replica { return d.books }

// Anomalies returns the count of malformed and unexpected messages.
func (d *Decoder) Anomalies() *feed.Anomalies { return &d.anomalies }

// Requests appends the snapshot requests queued since the last call and forgets them. Each
// broken or never-synced book asks once until LoadSnapshot is called for it.
func (d *Decoder) Requests(dst []feed.Request) []feed.Request {
	dst = append(dst, d.requests...)
	clear(d.requests)
	d.requests = d.requests[:0]
	return dst
}

// Decode handles one WebSocket text frame (or recorded line) received at recvTS (ns): a
// depthUpdate updates its book, trade and aggTrade become Trade events, bookTicker a TopOfBook
// event; subscription responses, user data, klines, tickers and the like are skipped without
// error. A message that is not Binance's returns an error wrapping feed.ErrForeign; malformed or
// unexpected ones are noted in Anomalies and return an error. msg is only read during the call.
func (d *Decoder) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
	v, err := d.parser.ParseBytes(msg)
	if err != nil {
		d.anomalies.Note("bad json", msg, err)
		return fmt.Errorf("%s: %w", d.venue, err)
	}
	data, _ := Unwrap(v)
	switch classify(data) {
	case shapeEvent:
		return d.event(msg, data, recvTS, out)
	case shapeBookTicker:
		return d.bookTicker(msg, data, recvTS, out)
	case shapePartial, shapeArray, shapeResponse, shapeUserData:
		return nil
	case shapeError:
		d.anomalies.Note("error response", msg, nil)
		return fmt.Errorf("%s: error response: %.200s", d.venue, msg)
	case shapeEnvelopeBad:
		d.anomalies.Note("bad envelope", msg, nil)
		return fmt.Errorf("%s: combined-stream envelope without data: %.200s", d.venue, msg)
	}
	return d.foreign(msg)
}

func (d *Decoder) foreign(msg []byte) error {
	d.anomalies.Note("foreign message", msg, feed.ErrForeign)
	return fmt.Errorf("%s: %.120s: %w", d.venue, msg, feed.ErrForeign)
}

// event dispatches an {"e":...} payload.
func (d *Decoder) event(msg []byte, data *fastjson.Value, recvTS int64, out *feed.Batch) error {
	e := data.GetStringBytes("e")
	switch string(e) {
	case "depthUpdate":
		return d.diff(msg, data, recvTS, out)
	case "trade":
		return d.trade(msg, data, "t", recvTS, out)
	case "aggTrade":
		return d.trade(msg, data, "a", recvTS, out)
	case "bookTicker":
		return d.bookTicker(msg, data, recvTS, out)
	}
	if nonBook(e) {
		if s := data.GetStringBytes("s"); s != nil {
			if in, ok := d.bySymbol[string(s)]; ok {
				in.r.Stats.Messages++
			}
		}
		return nil
	}
	d.anomalies.Note("unknown event", msg, nil)
	return fmt.Errorf("%s: unknown event type %q", d.venue, e)
}

// symbolOf returns the instrument of data's "s", noting an anomaly when there is none.
func (d *Decoder) symbolOf(msg []byte, data *fastjson.Value) (*instrument, error) {
	in, err := d.lookup(data.GetStringBytes("s"))
	if err != nil {
		kind := "book setup"
		switch {
		case errors.Is(err, ErrUnknownSymbol):
			kind = "unknown symbol"
		case errors.Is(err, ErrBadSymbol):
			kind = "bad symbol"
		}
		d.anomalies.Note(kind, msg, err)
		return nil, fmt.Errorf("%s: %q: %w", d.venue, data.GetStringBytes("s"), err)
	}
	return in, nil
}

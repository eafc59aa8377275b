package kraken

import (
	"fmt"

	"github.com/valyala/fastjson"

	"ems/feed"
)

// Decoder decodes Kraken spot WebSocket v2 messages (wss://ws.kraken.com/v2): the book channel
// into book levels and status under the checksum rule, trade into Trade events, ticker into
// TopOfBook events. It implements feed.Decoder.
//
// Owned by the feed thread; not safe for concurrent use. Decode allocates nothing in steady state
// (a known symbol's book message or trade); the first message of a symbol, an anomaly, or a larger
// message than any before allocates.
type Decoder struct {
	base
	depth int       // feed.Config.Depth (0: from the ack, else inferred from the snapshot)
	tick  [4][]byte // ticker number texts
}

// New returns a v2 decoder. cfg.Depth is the subscribed book depth to truncate to (0: the depth
// of each symbol's subscribe ack, or without one the size of its first snapshot rounded up to a
// depth Kraken offers — 10 for a snapshot of at most 10 levels, the venue default). A depth below
// ChecksumLevels is an error: Kraken offers none and the checksum covers 10 levels.
func New(cfg feed.Config) (*Decoder, error) {
	if cfg.Depth != 0 && cfg.Depth < ChecksumLevels {
		return nil, fmt.Errorf("%w: %d", errDepth, cfg.Depth)
	}
	d := &Decoder{base: newBase(&cfg), depth: cfg.Depth}
	for i := range d.tick {
		d.tick[i] = make([]byte, 0, 64)
	}
	return d, nil
}

// Books returns the books in the order first seen; the slice and the replicas stay owned by d.
func (d *Decoder) Books() []*feed.Replica { return d.tab.replicas }

// Anomalies returns d's count of malformed and unexpected messages.
func (d *Decoder) Anomalies() *feed.Anomalies { return &d.an }

// Requests appends the resubscriptions needed since the last call (a checksum failure or a
// malformed level broke a book) and forgets them. The transport unsubscribes and subscribes the
// replica's symbol at its depth (Replica.Config) with snapshot:true.
func (d *Decoder) Requests(dst []feed.Request) []feed.Request {
	return d.requests(dst)
}

// Decode handles one v2 message received at recvTS (ns), appending its events to out. msg is only
// read during the call. A checksum failure is not an error (it is the book's state, reported as a
// BookStatus event and a Request); a malformed message is noted in Anomalies and returned as an
// error; a well-formed message of another venue or of v1 returns an error wrapping
// feed.ErrForeign.
func (d *Decoder) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
	d.tab.line++
	v, err := d.parser.ParseBytes(msg)
	if err != nil {
		d.an.Note(kindBadJSON, msg, err)
		return fmt.Errorf("kraken: %w", err)
	}
	if v.Type() != fastjson.TypeObject {
		return d.foreign(msg)
	}
	ch := v.Get("channel")
	if ch == nil {
		if v.Get("method") != nil && v.Get("success") != nil {
			return d.ack(v, msg)
		}
		return d.foreign(msg)
	}
	name, err := ch.StringBytes()
	if err != nil {
		return d.foreign(msg)
	}
	switch string(name) {
	case "heartbeat", "status":
		return nil
	case "book":
		return d.bookMessage(v, msg, recvTS, out)
	case "trade":
		return d.trades(v, msg, recvTS, out)
	case "ticker":
		return d.tickers(v, msg, recvTS, out)
	case "ohlc", "instrument", "level3", "executions", "balances":
		for _, e := range v.GetArray("data") {
			if sym := e.GetStringBytes("symbol"); sym != nil {
				d.tab.touchName(sym)
			}
		}
		return nil
	}
	return d.foreign(msg)
}

func (d *Decoder) foreign(msg []byte) error {
	d.an.Note(kindForeign, msg, errForeignV2)
	return errForeignV2
}

// ack handles a method response: {"method":"subscribe","result":{"channel":"book","depth":10,
// "snapshot":true,"symbol":"BTC/USD"},"success":true,...}. A book subscription's depth becomes
// the truncation depth of the symbol's book; success:false is an anomaly carrying the venue's
// error text.
func (d *Decoder) ack(v *fastjson.Value, msg []byte) error {
	method := v.GetStringBytes("method")
	if v.Get("success").Type() != fastjson.TypeTrue {
		err := fmt.Errorf("kraken: %s rejected: %s", method, v.GetStringBytes("error"))
		d.an.Note(kindRejected, msg, err)
		return err
	}
	res := v.Get("result")
	sym := res.GetStringBytes("symbol")
	if string(method) == "subscribe" && string(res.GetStringBytes("channel")) == "book" && len(sym) > 0 {
		depth := res.GetInt("depth")
		if depth < ChecksumLevels {
			err := fmt.Errorf("%w: ack depth %d", errDepth, depth)
			d.an.Note(kindBadDepth, msg, err)
			return err
		}
		d.tab.setDepth(sym, nil, depth, depthVenue)
		return nil
	}
	if sym != nil {
		d.tab.touchName(sym)
	}
	return nil
}

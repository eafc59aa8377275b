package bybit

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/feed"
)

// VenueName is the venue's name in replay reports and on the command line.
const VenueName = "bybit"

// Anomaly kinds noted by the decoder (feed.Anomalies), one per cause.
const (
	AnomalyBadJSON      = "bad json"
	AnomalyForeign      = "not a bybit message"
	AnomalyBadTopic     = "bad topic"
	AnomalyUnknownSym   = "unknown symbol"
	AnomalyBadBook      = "bad book message"
	AnomalyBadLevel     = "bad level"
	AnomalyDeepBook     = "book deeper than its channel"
	AnomalyBadTrade     = "bad trade"
	AnomalyRequestError = "request refused"
)

var (
	errForeign     = fmt.Errorf("bybit: JSON without topic or op: %w", feed.ErrForeign)
	errNotObject   = fmt.Errorf("bybit: JSON that is not an object: %w", feed.ErrForeign)
	errTopic       = errors.New("bybit: topic is not a string")
	errBookTopic   = errors.New("bybit: orderbook topic without depth and symbol")
	errBookData    = errors.New("bybit: book message without a data object")
	errBookType    = errors.New("bybit: book message type is neither snapshot nor delta")
	errBookU       = errors.New("bybit: book message without an integer u")
	errLevel       = errors.New("bybit: level is not a [price, size] pair of strings")
	errSide        = errors.New("bybit: book side is not an array")
	errTradeData   = errors.New("bybit: publicTrade message without a data array")
	errTradeSymbol = errors.New("bybit: publicTrade topic without a symbol")
	errTradeEntry  = errors.New("trade entry is not an object")
	errTradePrice  = errors.New("trade price p is not a string")
	errTradeSize   = errors.New("trade size v is not a string")
)

// Decoder decodes the messages of Bybit v5 public WebSocket connections (any number of books and
// symbols) into events. It implements feed.Decoder. Owned by the feed thread; not safe for
// concurrent use. Decode allocates nothing in steady state (after each book's first message and
// once its Batch has grown to its largest message).
type Decoder struct {
	cfg       feed.Config
	parser    fastjson.Parser
	symbols   map[string]*symbol
	books     map[string]*bookState // by topic
	replicas  []*feed.Replica       // in first-seen order
	anomalies feed.Anomalies
	requests  []feed.Request
	nextID    uint32 // the last instrument id assigned to a symbol Resolve did not know
}

var _ feed.Decoder = (*Decoder)(nil)

// New returns a decoder for cfg. cfg.Depth is not used: each book's depth is its topic's.
func New(cfg feed.Config) *Decoder {
	d := &Decoder{
		cfg:     cfg,
		symbols: make(map[string]*symbol),
		books:   make(map[string]*bookState),
	}
	d.anomalies.Log = cfg.Log
	return d
}

// Books returns the replicas in the order their books were first seen; owned by the decoder.
func (d *Decoder) Books() []*feed.Replica { return d.replicas }

// Anomalies returns the decoder's count of malformed and unexpected messages.
func (d *Decoder) Anomalies() *feed.Anomalies { return &d.anomalies }

// Requests appends the resubscriptions needed since the last call (one per book that went invalid)
// and forgets them. The topic to unsubscribe and subscribe again is AppendReplicaTopic of the
// request's replica.
func (d *Decoder) Requests(dst []feed.Request) []feed.Request {
	dst = append(dst, d.requests...)
	d.requests = d.requests[:0]
	return dst
}

// Decode handles one message (a WebSocket text frame or a line of a recording) received at recvTS
// (ns), appending its events to out. Book messages follow the rules of the package comment; trades
// become Trade events; acknowledgements, pongs and other topics produce nothing. A message that is
// not Bybit's (well-formed JSON without topic or op) returns an error wrapping feed.ErrForeign.
// msg is only read during the call.
func (d *Decoder) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
	v, err := d.parser.ParseBytes(msg)
	if err != nil {
		d.anomalies.Note(AnomalyBadJSON, msg, err)
		return fmt.Errorf("bybit: %w", err)
	}
	if v.Type() != fastjson.TypeObject {
		d.anomalies.Note(AnomalyForeign, msg, errNotObject)
		return errNotObject
	}
	if t := v.Get("topic"); t != nil {
		topic, ok := feed.StringBytes(t)
		if !ok {
			d.anomalies.Note(AnomalyBadTopic, msg, errTopic)
			return errTopic
		}
		switch {
		case hasPrefix(topic, topicBook):
			return d.book(v, topic, msg, recvTS, out)
		case hasPrefix(topic, topicTrade):
			return d.trades(v, topic, msg, recvTS, out)
		}
		// Another public topic (tickers.X, kline.1.X, ...): the symbol is the last element.
		if i := bytes.LastIndexByte(topic, '.'); i >= 0 && i+1 < len(topic) {
			d.lookupSymbol(topic[i+1:]).countLine()
		}
		return nil
	}
	if v.Get("op") != nil {
		return d.ack(v, msg)
	}
	d.anomalies.Note(AnomalyForeign, msg, errForeign)
	return errForeign
}

// Topic prefixes of the channels the decoder reads.
const (
	topicBook  = "orderbook."
	topicTrade = "publicTrade."
)

// hasPrefix reports whether b starts with s, without converting either.
func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

// ack handles a reply to a request: {"success":bool,"ret_msg":...,"op":...} or {"op":"pong",...}.
func (d *Decoder) ack(v *fastjson.Value, msg []byte) error {
	op := v.GetStringBytes("op")
	s := v.Get("success")
	if s == nil {
		if string(op) == "pong" || string(op) == "ping" {
			return nil
		}
		d.anomalies.Note(AnomalyForeign, msg, errForeign)
		return errForeign
	}
	if ok, err := s.Bool(); err == nil && ok {
		return nil
	}
	err := fmt.Errorf("bybit: %s refused: %q", op, v.GetStringBytes("ret_msg"))
	d.anomalies.Note(AnomalyRequestError, msg, err)
	return err
}

package okx

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/feed"
)

// VenueName is the venue's name in replay reports.
const VenueName = "okx"

// ErrVenue is wrapped by the error Decode returns for an {"event":"error"} message: OKX refused a
// request (the code and message follow in the error text).
var ErrVenue = errors.New("okx: venue error")

// Decoder decodes OKX v5 public market data (books, books-l2-tbt, books50-l2-tbt, books5, bbo-tbt,
// trades, trades-all) into events, keeping one Replica per (instId, book channel). It implements
// feed.Decoder. Owned by the feed thread; not safe for concurrent use.
type Decoder struct {
	cfg       feed.Config
	parser    fastjson.Parser
	symbols   map[string]*symbol
	replicas  []*feed.Replica
	anomalies feed.Anomalies
	requests  []feed.Request
	nextID    uint32 // the last instrument id assigned without a Resolver
	sum       checksummer
	errKinds  map[string]string // venue error code -> anomaly kind, interned once per code
}

// symbol is one instId seen on the connection.
type symbol struct {
	name    string
	id      event.InstrumentID
	scales  feed.Scales // Known false: inferred from text, per symbol, for trades
	skip    bool        // unknown to the Resolver and not inferred: its data is skipped
	lines   int64       // messages seen for the symbol
	books   []*bookState
	tradePx uint8 // inferred trade scales (scales.Known false)
	tradeSz uint8
}

// bookState is one book: its replica and its sequence state.
type bookState struct {
	r       *feed.Replica
	ch      channel
	lastSeq int64 // seqId of the last applied message
	hasSeq  bool  // lastSeq is meaningful (the recording carries seqIds)
	texts   textTable
}

var _ feed.Decoder = (*Decoder)(nil)

// New returns a decoder for cfg.
func New(cfg feed.Config) *Decoder {
	d := &Decoder{
		cfg:      cfg,
		symbols:  make(map[string]*symbol),
		sum:      newChecksummer(),
		errKinds: make(map[string]string),
		requests: make([]feed.Request, 0, 8),
	}
	d.anomalies.Log = cfg.Log
	return d
}

// Books returns the replicas in the order their books were first seen; they stay owned by d.
func (d *Decoder) Books() []*feed.Replica { return d.replicas }

// Anomalies returns d's count of malformed and unexpected messages.
func (d *Decoder) Anomalies() *feed.Anomalies { return &d.anomalies }

// Requests appends the resubscriptions needed since the last call and forgets them.
func (d *Decoder) Requests(dst []feed.Request) []feed.Request {
	dst = append(dst, d.requests...)
	d.requests = d.requests[:0]
	return dst
}

// pong is the server's answer to the text keepalive Ping.
var pong = []byte(Pong)

// Decode handles one OKX message received at recvTS (ns), appending its events to out. msg is
// only read during the call. See the package documentation for the rules applied.
func (d *Decoder) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
	if bytes.Equal(msg, pong) {
		return nil
	}
	v, err := d.parser.ParseBytes(msg)
	if err != nil {
		d.anomalies.Note("bad json", msg, err)
		return fmt.Errorf("okx: bad json: %w", err)
	}
	if v.Type() != fastjson.TypeObject {
		d.anomalies.Note("foreign message", msg, nil)
		return fmt.Errorf("okx: %w: top level is %s, not an object", feed.ErrForeign, v.Type())
	}
	if ev := v.Get("event"); ev != nil {
		return d.event(v, ev, msg)
	}
	arg := v.Get("arg")
	if arg == nil || arg.Type() != fastjson.TypeObject {
		d.anomalies.Note("foreign message", msg, nil)
		return fmt.Errorf("okx: %w: no \"arg\" object and no \"event\"", feed.ErrForeign)
	}
	ch := lookupChannel(arg.GetStringBytes("channel"))
	inst := arg.GetStringBytes("instId")
	if len(inst) == 0 {
		if ch == chanOther {
			return nil // private or instrument-family channels: not market data of one book
		}
		d.anomalies.Note("missing instId", msg, nil)
		return errors.New("okx: market data message without arg.instId")
	}
	sym := d.symbol(inst)
	d.count(sym)
	if ch == chanOther {
		return nil
	}
	if sym.skip {
		d.anomalies.Note("unknown symbol", msg, nil)
		return fmt.Errorf("okx: unknown instrument %q", inst)
	}
	data := v.Get("data")
	if data == nil || data.Type() != fastjson.TypeArray {
		d.anomalies.Note("missing data", msg, nil)
		return errors.New("okx: push without a \"data\" array")
	}
	items, _ := data.Array()
	if ch.isTrades() {
		return d.trades(sym, items, msg, recvTS, out)
	}
	bs, err := d.book(sym, ch)
	if err != nil {
		d.anomalies.Note("book", msg, err)
		return err
	}
	action := v.GetStringBytes("action")
	for _, item := range items {
		if err := d.bookMessage(bs, action, item, msg, recvTS, out); err != nil {
			return err
		}
	}
	return nil
}

// event handles {"event":...}: acks, notices and errors.
func (d *Decoder) event(v, ev *fastjson.Value, msg []byte) error {
	name, err := ev.StringBytes()
	if err != nil {
		d.anomalies.Note("bad event", msg, err)
		return errors.New("okx: \"event\" is not a string")
	}
	switch string(name) {
	case "subscribe", "unsubscribe":
		if inst := v.GetStringBytes("arg", "instId"); len(inst) > 0 {
			d.count(d.symbol(inst))
		}
		return nil
	case "login", "notice", "channel-conn-count":
		return nil
	case "error", "channel-conn-count-error":
		code := v.GetStringBytes("code")
		d.anomalies.Note(d.errKind(code), msg, nil)
		return fmt.Errorf("%w %s: %s", ErrVenue, code, v.GetStringBytes("msg"))
	}
	d.anomalies.Note("unknown event", msg, nil)
	return fmt.Errorf("okx: unknown event %q", name)
}

// errKind returns the anomaly kind of a venue error code, interned so that counting a code seen
// before allocates nothing.
func (d *Decoder) errKind(code []byte) string {
	if k, ok := d.errKinds[string(code)]; ok {
		return k
	}
	k := "error " + string(code)
	d.errKinds[string(code)] = k
	return k
}

// symbol returns the state of instId inst, creating it on first sight (the only allocation).
func (d *Decoder) symbol(inst []byte) *symbol {
	if s, ok := d.symbols[string(inst)]; ok {
		return s
	}
	s := &symbol{name: string(inst)}
	if d.cfg.Resolve != nil {
		if id, sc, ok := d.cfg.Resolve(inst); ok {
			s.id, s.scales = event.InstrumentID(id), sc
		}
	}
	if s.id == 0 {
		if d.cfg.Resolve != nil && !d.cfg.InferUnknown {
			s.skip = true
		} else {
			d.nextID++
			s.id = event.InstrumentID(d.nextID)
			s.scales = feed.Scales{}
		}
	}
	d.symbols[s.name] = s
	return s
}

// count records one message of sym: for the symbol and for every book of it.
func (d *Decoder) count(s *symbol) {
	s.lines++
	for _, b := range s.books {
		b.r.Stats.Messages++
	}
}

// book returns sym's book on ch, creating its replica on first sight.
func (d *Decoder) book(s *symbol, ch channel) (*bookState, error) {
	for _, b := range s.books {
		if b.ch == ch {
			return b, nil
		}
	}
	depth := ch.depth()
	if d.cfg.Depth > 0 && ch.incremental() {
		depth = d.cfg.Depth
	}
	capacity := 0 // book.DefaultCapacity
	if !ch.incremental() {
		capacity = 2 * depth
	}
	r, err := feed.NewReplica(feed.ReplicaConfig{
		Venue: event.VenueID(d.cfg.Venue), Instrument: s.id, Symbol: s.name, Channel: ch.name(),
		Depth: depth, Scales: s.scales, Capacity: capacity,
	})
	if err != nil {
		return nil, fmt.Errorf("okx: %w", err)
	}
	// The symbol's messages so far (acks, trades) count for the book too, and so does this one.
	r.Stats.Messages = s.lines
	b := &bookState{r: r, ch: ch}
	s.books = append(s.books, b)
	d.replicas = append(d.replicas, r)
	return b, nil
}

// request queues a resubscription of b.
func (d *Decoder) request(b *bookState) {
	d.requests = append(d.requests, feed.Request{Kind: feed.RequestResubscribe, Replica: b.r})
}

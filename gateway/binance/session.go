package binance

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gobwas/ws"
	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway"
)

// Config configures a Session.
type Config struct {
	URL         string              // WebSocket API endpoint: wss://ws-api.binance.com:443/ws-api/v3
	RESTURL     string              // REST base for reconciliation (myTrades): https://api.binance.com
	Credentials gateway.Credentials // key and HMAC secret; never logged
	Prefix      string              // client order id prefix (gateway.CheckPrefix)
	Master      *instrument.Master  // the instrument master (Binance spot listings are used)
	// Now returns the time in ns since the Unix epoch: request timestamps, rate-limit windows and
	// event RecvTS. nil: the wall clock.
	Now         func() int64
	RespType    string        // newOrderRespType: "ACK" (default) or "RESULT"
	RecvWindow  time.Duration // 0: not sent (the venue's 5 s)
	Limits      Limits        // zero fields: Binance's limits; ignored when Limiter is set
	DialTimeout time.Duration // handshake and subscription answer; 0: 10 s
	// Limiter, when set, is the budget this session draws from, shared with the other sessions
	// of the same account in the process (Binance counts orders per account). nil: a limiter of
	// the session's own, built from Limits.
	Limiter *Limiter
	// Automatic reconnect (reconnect.go): after a dropped connection the session re-dials,
	// reconciles and reports connected by itself, retrying with Backoff. NoAutoReconnect leaves
	// that to the owner (Reconnect).
	NoAutoReconnect bool
	Backoff         Backoff
	// Seed seeds the PCG generator of the back-off jitter; Rand, when set, is used instead (it
	// must not be used elsewhere while the session runs).
	Seed uint64
	Rand *rand.Rand
}

// Stats are a session's counters.
type Stats struct {
	Sent          uint64 // requests written
	Refused       uint64 // requests refused before sending (rate limit, disconnected, invalid)
	Responses     uint64
	Reports       uint64 // executionReports parsed
	Duplicates    uint64 // fills dropped as already seen
	ParseErrors   uint64
	Unanswered    uint64 // requests outstanding when the connection dropped: state unknown
	ThrottleHits  uint64 // throttle answers (429/418) from the venue
	StaleAnswers  uint64 // responses to ids no longer pending
	ForeignOrders uint64 // reports of orders placed outside this session
	Reconnects    uint64 // successful reconnects (Reconnect calls and automatic ones)
	RetryFailures uint64 // automatic reconnect attempts that failed
	Reconciled    uint64 // orders whose state was queried by reconciliation
	Recovered     uint64 // fills recovered by reconciliation (not seen live)
}

// pendingSlots bounds the requests in flight that the session can match answers to: an answer to
// a request older than the last pendingSlots is dropped (counted in StaleAnswers).
const pendingSlots = 1024

type reqKind uint8

const (
	reqNone reqKind = iota
	reqPlace
	reqCancel
	reqSubscribe
	reqReplace
)

type pending struct {
	id       uint64
	kind     reqKind
	order    event.OrderID // the order placed or canceled; a replace's order to cancel
	newOrder event.OrderID // a replace's new order
	parent   event.ParentID
	instr    event.InstrumentID
}

// Session is one Binance spot order-entry connection: the WebSocket API, with the account's
// execution reports on the same connection (userDataStream.subscribe.signature). Send encodes,
// rate-limits and writes order events; a reader goroutine parses answers and reports and passes
// the resulting events to the sink.
//
// The sink is called with the session's lock held, from the reader goroutine, from the
// goroutine calling Send (for requests refused before sending), or from the one reconnecting
// (Reconnect's caller or the retry loop, during reconciliation); it must not call the session, and
// the slice it gets is valid only during the call. Send may be called from any goroutine; the
// session serializes it with the reader. Credentials never appear in errors or events.
type Session struct {
	cfg     Config
	now     func() int64
	markets *Markets
	enc     *Encoder
	parser  *Parser // reader goroutine only
	sink    func([]event.Event)

	connMu sync.Mutex // serializes connecting (Start, Reconnect, the retry loop); taken before mu
	// life ends the automatic reconnects: the Start context, canceled by Close. Set once by
	// Start under mu.
	life    context.Context
	stop    context.CancelFunc
	retries sync.WaitGroup // the retry loop
	backoff backoff        // retry loop only (at most one runs)

	mu           sync.Mutex // guards everything below
	conn         *wsConn
	connected    bool
	closing      bool // Close was called: the session never connects again
	throttled    bool
	reconnecting bool // the retry loop runs
	nextID       uint64
	limiter      *Limiter
	pending      [pendingSlots]pending
	wbuf         []byte
	sout         [2]event.Event
	stats        Stats
	done         chan struct{} // closed when the reader exits
	// live holds the session's orders believed open (sent, acked or partly filled), with the
	// quantity seen filled; reconciliation queries them after a reconnect.
	live map[event.OrderID]liveOrder

	rout []event.Event // reader goroutine only
}

// NewSession returns an unconnected session; Start connects it.
func NewSession(cfg Config, sink func([]event.Event)) (*Session, error) {
	if cfg.Master == nil || sink == nil {
		return nil, errors.New("binance: session needs a master and a sink")
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 10 * time.Second
	}
	now := cfg.Now
	if now == nil {
		now = func() int64 { return time.Now().UnixNano() }
	}
	enc, err := NewEncoder(cfg.Credentials, EncoderConfig{Prefix: cfg.Prefix, RespType: cfg.RespType,
		RecvWindow: cfg.RecvWindow.Milliseconds()})
	if err != nil {
		return nil, err
	}
	ms := NewMarkets(cfg.Master)
	p, err := NewParser(ms, ParserConfig{Prefix: cfg.Prefix})
	if err != nil {
		return nil, err
	}
	lim := cfg.Limiter
	if lim == nil {
		lim = NewLimiter(cfg.Limits)
	}
	bo, err := newBackoff(cfg.Backoff, cfg.Seed, cfg.Rand)
	if err != nil {
		return nil, err
	}
	cfg.Credentials = gateway.Credentials{} // the encoder holds what it needs; keep no copy
	return &Session{cfg: cfg, now: now, markets: ms, enc: enc, parser: p, sink: sink, backoff: bo,
		limiter: lim, wbuf: make([]byte, 0, 1024), rout: make([]event.Event, 0, 4),
		live: make(map[event.OrderID]liveOrder, 4096)}, nil
}

// ErrSessionClosed is returned by Start and Reconnect after Close.
var ErrSessionClosed = errors.New("binance: session closed")

// Start dials the WebSocket API, subscribes to the account's execution reports, waits for the
// subscription's answer, emits VenueStatus connected and starts the reader. It fails, without
// leaving anything running, when the venue refuses the subscription (bad key or signature).
//
// ctx bounds the dial and, afterwards, the session's automatic reconnects: once ctx is done, a
// dropped session is left disconnected (Reconnect still works). Start is called once.
func (s *Session) Start(ctx context.Context) error {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	s.mu.Lock()
	if s.life == nil {
		s.life, s.stop = context.WithCancel(ctx)
	}
	s.mu.Unlock()
	err := s.connect(ctx, false)
	if err != nil {
		s.stop()
	}
	return err
}

// Reconnect re-establishes a dropped session: it waits for the old reader to exit, dials,
// subscribes, reconciles the orders the session believed open (see reconcile.go), and only then
// emits VenueStatus connected and accepts orders again. Until it succeeds, Send refuses orders
// (RejectVenueUnavailable). It does nothing when the session is connected, and is serialized
// with the automatic reconnects (which stop once a Reconnect succeeded).
func (s *Session) Reconnect(ctx context.Context) error {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	s.mu.Lock()
	if s.connected {
		s.mu.Unlock()
		return nil
	}
	done := s.done
	s.mu.Unlock()
	if done != nil {
		<-done
	}
	return s.connect(ctx, true)
}

// connect dials, subscribes and reconciles; again counts a reconnect, with the status event.
// REQUIRES: s.connMu held.
func (s *Session) connect(ctx context.Context, again bool) error {
	c, err := dialWS(ctx, s.cfg.URL, s.cfg.DialTimeout)
	if err != nil {
		return err
	}
	c.onPing = func(p []byte) { s.pong(p) }
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		c.close()
		return ErrSessionClosed
	}
	if !s.limiter.Take(s.now(), WeightWSConnect+WeightSubscribe, false) {
		s.mu.Unlock()
		c.close()
		return errors.New("binance: request weight exhausted; not connecting")
	}
	s.conn = c
	id := s.newID()
	s.wbuf = s.enc.AppendSubscribe(s.wbuf[:0], id, s.now()/int64(time.Millisecond))
	err = c.write(ws.OpText, s.wbuf)
	s.mu.Unlock()
	if err != nil {
		c.close()
		return fmt.Errorf("binance: subscribe: %w", err)
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(s.cfg.DialTimeout))
	if err := s.call(c, id, func(r *Response, _ *fastjson.Value) error {
		if r.Status != 200 {
			return fmt.Errorf("binance: subscription refused: status %d code %d: %s", r.Status, r.Code, r.Msg)
		}
		return nil
	}); err != nil {
		c.close()
		return err
	}
	if err := s.reconcile(ctx, c); err != nil {
		c.close()
		return err
	}
	_ = c.nc.SetReadDeadline(time.Time{})
	s.mu.Lock()
	if s.closing { // Close came during reconciliation
		s.mu.Unlock()
		c.close()
		return ErrSessionClosed
	}
	s.connected = true
	if again {
		s.stats.Reconnects++
	}
	s.done = make(chan struct{})
	s.emitStatus(event.VenueConnected, event.VenueReasonConnect, 0)
	s.mu.Unlock()
	go s.readLoop(c, s.done)
	return nil
}

// call reads c until the answer to request id and hands it to fn, with its result (valid
// during the call). Execution reports read meanwhile are emitted as usual, so none is lost while
// the reader is not running. REQUIRES: the reader goroutine is not running.
func (s *Session) call(c *wsConn, id uint64, fn func(r *Response, result *fastjson.Value) error) error {
	for {
		_, msg, err := c.read()
		if err != nil {
			return fmt.Errorf("binance: waiting for answer %d: %w", id, err)
		}
		now := s.now()
		out, kind, err := s.parser.Parse(msg, now, s.rout[:0])
		if err != nil {
			s.mu.Lock()
			s.stats.ParseErrors++
			s.mu.Unlock()
			continue
		}
		if kind == MsgExecReport && len(out) > 0 {
			s.mu.Lock()
			s.stats.Reports++
			s.track(out)
			s.sink(out)
			s.mu.Unlock()
			continue
		}
		if kind != MsgResponse {
			continue
		}
		r := s.parser.Response()
		s.mu.Lock()
		s.observe(r)
		s.mu.Unlock()
		if r.HasID && r.ID == id {
			return fn(r, s.parser.result)
		}
	}
}

// newID returns the next request id. REQUIRES: s.mu held.
func (s *Session) newID() uint64 {
	s.nextID++
	return s.nextID
}

// pong answers a ping (reader goroutine).
func (s *Session) pong(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		_ = s.conn.write(ws.OpPong, p)
	}
}

// Send sends a KindNewOrder, KindCancel or KindReplace event (its header's Instrument names the
// market). Whatever happens is reported as events to the sink: a request refused before sending
// gives a Reject with VenueCode 0 (and, for a rate limit, a VenueStatus throttled when the
// session was not throttled already). Send returns an error only for an event kind it does not
// send.
//
// A KindReplace is sent as order.cancelReplace (STOP_ON_FAILURE) of an order this session
// placed and believes open: the new order takes that order's side, type, time in force and
// post-only flag. A replace of an order the session does not hold as open (never sent by it,
// already canceled or filled, or known only from reconciliation) is refused before sending:
// Rejects for Order and NewOrder with RejectUnknownOrder and VenueCode 0.
//
// Steady state allocates nothing; the live-order table (a map sized for 4096 open orders) may
// allocate when it grows past that.
func (s *Session) Send(ev *event.Event) error {
	var p pending
	switch ev.Kind {
	case event.KindNewOrder:
		o := ev.Order()
		p = pending{kind: reqPlace, order: o.Order, parent: o.Parent}
	case event.KindCancel:
		c := ev.Cancel()
		p = pending{kind: reqCancel, order: c.Order, parent: c.Parent}
	case event.KindReplace:
		r := ev.Replace()
		p = pending{kind: reqReplace, order: r.Order, newOrder: r.NewOrder, parent: r.Parent}
	default:
		return fmt.Errorf("binance: cannot send a %s event", ev.Kind)
	}
	p.instr = ev.Instrument
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.connected {
		s.refusePending(&p, event.RejectVenueUnavailable)
		return nil
	}
	mk, ok := s.markets.ByInstrument(ev.Instrument)
	if !ok {
		s.refusePending(&p, event.RejectUnknownSymbol)
		return nil
	}
	now := s.now()
	ms := now / int64(time.Millisecond)
	id := s.nextID + 1
	var (
		err  error
		prev liveOrder
	)
	switch p.kind {
	case reqPlace:
		s.wbuf, err = s.enc.AppendPlace(s.wbuf[:0], id, ev.Order(), mk, ms)
	case reqCancel:
		s.wbuf = s.enc.AppendCancel(s.wbuf[:0], id, ev.Cancel(), mk, ms)
	case reqReplace:
		var known bool
		prev, known = s.live[p.order]
		if !known || !prev.shaped || prev.instr != p.instr {
			s.refusePending(&p, event.RejectUnknownOrder)
			return nil
		}
		shape := event.Order{Side: prev.side, Type: prev.typ, TIF: prev.tif, PostOnly: prev.postOnly}
		s.wbuf, err = s.enc.AppendReplace(s.wbuf[:0], id, ev.Replace(), &shape, mk, ms)
	}
	if err != nil {
		s.refusePending(&p, event.RejectInvalidRequest)
		return nil
	}
	// cancel and cancel-replace weigh 1 like a new order; a cancel-replace counts as an order
	if !s.limiter.Take(now, WeightOrderPlace, p.kind != reqCancel) {
		s.refusePending(&p, event.RejectRateLimit)
		if !s.throttled {
			s.throttled = true
			s.emitStatus(event.VenueThrottled, event.VenueReasonRateLimit, now)
		}
		return nil
	}
	s.nextID = id
	p.id = id
	s.pending[id%pendingSlots] = p
	if err := s.conn.write(ws.OpText, s.wbuf); err != nil {
		s.pending[id%pendingSlots] = pending{}
		s.refusePending(&p, event.RejectVenueUnavailable)
		s.dropLocked(event.VenueReasonError)
		return nil
	}
	s.stats.Sent++
	switch p.kind {
	case reqPlace:
		o := ev.Order()
		lo := s.live[p.order]
		lo.instr = p.instr
		lo.side, lo.typ, lo.tif, lo.postOnly, lo.shaped = o.Side, o.Type, o.TIF, o.PostOnly, true
		s.live[p.order] = lo
	case reqReplace:
		lo := s.live[p.newOrder]
		lo.instr = p.instr
		lo.side, lo.typ, lo.tif, lo.postOnly, lo.shaped = prev.side, prev.typ, prev.tif, prev.postOnly, true
		s.live[p.newOrder] = lo
	}
	if s.throttled {
		s.throttled = false
		s.emitStatus(event.VenueConnected, event.VenueReasonNone, now)
	}
	return nil
}

// refusePending refuses p before sending: a Reject for its order, and for a replace one for
// the new order too. REQUIRES: s.mu held.
func (s *Session) refusePending(p *pending, r event.RejectReason) {
	s.refuse(p.instr, p.order, p.parent, r)
	if p.kind == reqReplace {
		s.refuse(p.instr, p.newOrder, p.parent, r)
	}
}

// refuse emits a gateway Reject (VenueCode 0). REQUIRES: s.mu held.
func (s *Session) refuse(instr event.InstrumentID, order event.OrderID, parent event.ParentID, r event.RejectReason) {
	s.stats.Refused++
	s.emitReject(instr, order, parent, 0, r, s.now())
}

func (s *Session) emitReject(instr event.InstrumentID, order event.OrderID, parent event.ParentID, code int64, r event.RejectReason, now int64) {
	e := &s.sout[0]
	*e = event.Event{Kind: event.KindReject, Venue: instrument.VenueBinance, Instrument: instr, RecvTS: now}
	*e.Reject() = event.Reject{Order: order, Parent: parent, VenueCode: code, Reason: r}
	s.sink(s.sout[:1])
}

func (s *Session) emitStatus(st event.VenueState, r event.VenueReason, now int64) {
	if now == 0 {
		now = s.now()
	}
	e := &s.sout[1]
	*e = event.Event{Kind: event.KindVenueStatus, Venue: instrument.VenueBinance, RecvTS: now}
	*e.VenueStatus() = event.VenueStatus{State: st, Reason: r}
	s.sink(s.sout[1:2])
}

// readLoop parses every message of c until it fails or the session closes.
func (s *Session) readLoop(c *wsConn, done chan struct{}) {
	defer close(done)
	for {
		_, msg, err := c.read()
		if err != nil {
			s.mu.Lock()
			if !s.closing && s.conn == c {
				reason := event.VenueReasonError
				if errors.Is(err, ErrClosed) {
					reason = event.VenueReasonClosed
				}
				s.dropLocked(reason)
			}
			s.mu.Unlock()
			return
		}
		s.handle(msg)
	}
}

// handle parses one message and emits its events (reader goroutine).
func (s *Session) handle(msg []byte) {
	now := s.now()
	out, kind, perr := s.parser.Parse(msg, now, s.rout[:0])
	s.rout = out[:0]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Duplicates = s.parser.Duplicates
	s.stats.ForeignOrders = s.parser.Foreign
	switch {
	case perr != nil:
		s.stats.ParseErrors++
	case kind == MsgExecReport:
		s.stats.Reports++
	case kind == MsgResponse:
		out = s.answer(s.parser.Response(), out, now)
		s.rout = out[:0]
	}
	if len(out) > 0 {
		s.track(out)
		s.sink(out)
	}
}

// observe applies a response's rateLimits and throttle answer. REQUIRES: s.mu held.
func (s *Session) observe(r *Response) {
	now := s.now()
	for i := 0; i < r.NLimits; i++ {
		s.limiter.Observe(now, r.Limits[i])
	}
	if r.Status == 429 || r.Status == 418 {
		s.stats.ThrottleHits++
		s.limiter.Throttled(now, r.Status, r.RetryAfterMs)
	}
}

// answer handles a response: rate limits, and a Reject for a refused order or cancel.
// REQUIRES: s.mu held.
func (s *Session) answer(r *Response, out []event.Event, now int64) []event.Event {
	s.stats.Responses++
	s.observe(r)
	if r.Status == 429 || r.Status == 418 {
		if !s.throttled {
			s.throttled = true
			e := event.Event{Kind: event.KindVenueStatus, Venue: instrument.VenueBinance, RecvTS: now}
			*e.VenueStatus() = event.VenueStatus{State: event.VenueThrottled, Reason: event.VenueReasonRateLimit}
			out = append(out, e)
		}
	}
	if !r.HasID {
		return out
	}
	p := &s.pending[r.ID%pendingSlots]
	if p.id != r.ID || p.kind == reqNone {
		s.stats.StaleAnswers++
		return out
	}
	done := *p
	*p = pending{}
	if r.Status == 200 || (done.kind != reqPlace && done.kind != reqCancel && done.kind != reqReplace) {
		return out
	}
	if done.kind == reqReplace {
		return s.replaceRefused(r, &done, out, now)
	}
	if done.kind == reqPlace && r.Code != CodeTimeout { // -1007: the order may exist
		delete(s.live, done.order)
	}
	e := event.Event{Kind: event.KindReject, Venue: instrument.VenueBinance, Instrument: done.instr, RecvTS: now}
	*e.Reject() = event.Reject{Order: done.order, Parent: done.parent, VenueCode: r.Code, Reason: RejectReason(r.Code, r.Msg)}
	return append(out, e)
}

// dropLocked marks the connection lost: requests still pending are counted as unanswered
// (their orders' state is unknown) and VenueStatus disconnected is emitted. REQUIRES: s.mu held.
func (s *Session) dropLocked(reason event.VenueReason) {
	if !s.connected {
		return
	}
	s.connected = false
	for i := range s.pending { // never answered now: their orders wait for reconciliation
		if k := s.pending[i].kind; k == reqPlace || k == reqCancel || k == reqReplace {
			s.stats.Unanswered++
		}
		s.pending[i] = pending{}
	}
	_ = s.conn.close()
	s.emitStatus(event.VenueDisconnected, reason, 0)
	s.retryLocked()
}

// Connected reports whether the session is connected and subscribed.
func (s *Session) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connected
}

// Stats returns a copy of the session's counters.
func (s *Session) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Close closes the connection, stops the automatic reconnects and waits for the reader and the
// retry loop to exit. No event is emitted. The session cannot be started again.
func (s *Session) Close() error {
	s.mu.Lock()
	c, stop := s.conn, s.stop
	s.closing = true
	s.connected = false
	if c != nil {
		_ = c.write(ws.OpClose, []byte{0x03, 0xe8}) // 1000 normal closure
		_ = c.close()
	}
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
	s.retries.Wait()
	s.mu.Lock()
	c, done := s.conn, s.done
	s.mu.Unlock()
	if c != nil {
		_ = c.close() // one a reconnect attempt was setting up
	}
	if done != nil {
		<-done
	}
	return nil
}

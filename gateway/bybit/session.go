package bybit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/core/intern"
	"ems/feed/transport"
	"ems/gateway"
)

// Config configures a Session.
type Config struct {
	TradeURL   string // wss://stream.bybit.com/v5/trade
	PrivateURL string // wss://stream.bybit.com/v5/private
	RESTURL    string // https://api.bybit.com: reconciliation queries

	Credentials gateway.Credentials // Key and Secret
	Prefix      string              // client order id prefix (gateway.CheckPrefix)
	Master      *instrument.Master

	// Sink receives the events: acks, rejects, fills, cancel acks and VenueStatus changes. It is
	// called from the Session's goroutines and from Submit, one call at a time (under the
	// Session's lock); the slice is valid only during the call. It must not call the Session.
	Sink func([]event.Event)

	// Clock is the time requests are stamped with and limits are counted in, ns since the Unix
	// epoch (nil: the wall clock). Bybit refuses a request stamped outside its receive window.
	Clock      func() int64
	RecvWindow time.Duration // X-BAPI-RECV-WINDOW (0: 5 s)
	Limits     Limits        // zero fields: Bybit's limits (see Limits); ignored when Limiter is set
	// Limiter is the account's Limiter, shared by every Session of the account in the process
	// (NewLimiter); nil: the Session makes its own from Limits.
	Limiter  *Limiter
	QueueLen int // requests waiting for the trade connection (0: 1024)
	// PingInterval is the keep-alive period of both connections (0: 20 s, Bybit's advice).
	PingInterval time.Duration
	// HandshakeTimeout bounds dial, auth and subscribe (0: 10 s).
	HandshakeTimeout time.Duration
	Backoff          transport.Backoff // reconnect delays
	Conn             transport.Config  // WebSocket settings (Clock is set from Clock)
	HTTPClient       *http.Client      // reconciliation (nil: a keep-alive client with a 10 s timeout)
	// VenueOrders and Assets are the intern tables of venue order ids and fee assets (nil: the
	// Session's own).
	VenueOrders, Assets *intern.Table
	MaxOrders           int // orders in flight (0: 4096)
	Log                 io.Writer
}

// Session is a Bybit order session: the trade WebSocket carries order.create, order.cancel and
// order.amend; the private WebSocket carries the order and execution streams; REST answers the
// reconciliation queries after a reconnect.
//
// # Goroutines
//
// Run's goroutine owns the trade connection: it takes the requests Submit queued, applies the
// rate limits, encodes and sends them, and reads the answers. A second goroutine owns the
// private connection. Both parse under the Session's lock, which also guards the Parser (orders
// in flight, fill de-duplication, intern tables) and serializes the Sink. Submit may be called
// from any goroutine.
//
// # Connection states
//
// Submit refuses requests (Reject RejectVenueUnavailable) until the Session is up: connected,
// authenticated, subscribed and reconciled. When either connection fails, both are closed, the
// Sink gets VenueStatus Disconnected, requests are refused, and Run reconnects with backoff; it
// reconciles (reconcile.go) before it reports VenueStatus Connected and takes requests again.
type Session struct {
	cfg     Config
	enc     *Encoder
	tradeW  waker
	privW   waker
	up      atomic.Bool
	closed  atomic.Bool
	done    chan struct{} // closed by Close
	once    sync.Once
	rng     *rand.Rand
	httpc   *http.Client
	linears []string // settle coins of the linear listings, for open-order queries

	mu     sync.Mutex // guards parser, the Sink and status below
	parser *Parser
	evs    []event.Event // Session-made events (statuses, local rejects)

	// Owned by Run's goroutine.
	lim       *Limiter // possibly shared with other sessions; has its own lock
	throttled bool
	seq       uint64
	wbuf      []byte
	batch     []event.Event
	tradeSig  *Signer
	privSig   *Signer
	trade     *transport.Conn
	priv      *transport.Conn
	connected int64 // time of the latest connect
}

// ErrClosed is returned by Run after Close.
var ErrClosed = errors.New("bybit: session closed")

// NewSession checks cfg and returns a Session; Run connects it.
func NewSession(cfg Config) (*Session, error) {
	switch {
	case cfg.TradeURL == "" || cfg.PrivateURL == "" || cfg.RESTURL == "":
		return nil, errors.New("bybit: TradeURL, PrivateURL and RESTURL are required")
	case cfg.Credentials.Key == "" || cfg.Credentials.Secret == "":
		return nil, errors.New("bybit: credentials need a key and a secret")
	case cfg.Sink == nil:
		return nil, errors.New("bybit: no sink")
	}
	if cfg.Clock == nil {
		cfg.Clock = func() int64 { return time.Now().UnixNano() }
	}
	if cfg.RecvWindow <= 0 {
		cfg.RecvWindow = DefaultRecvWindow * time.Millisecond
	}
	if cfg.QueueLen <= 0 {
		cfg.QueueLen = 1024
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 20 * time.Second
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	enc, err := NewEncoder(cfg.Prefix, cfg.Master, cfg.RecvWindow.Milliseconds())
	if err != nil {
		return nil, err
	}
	p, err := NewParser(ParserConfig{Prefix: cfg.Prefix, Master: cfg.Master, VenueOrders: cfg.VenueOrders,
		Assets: cfg.Assets, MaxOrders: cfg.MaxOrders})
	if err != nil {
		return nil, err
	}
	s := &Session{cfg: cfg, enc: enc, parser: p, lim: cfg.Limiter,
		rng:   rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x62796269)),
		httpc: cfg.HTTPClient, done: make(chan struct{}), wbuf: make([]byte, 0, 1024), evs: make([]event.Event, 0, 4),
		tradeSig: NewSigner(cfg.Credentials.Key, []byte(cfg.Credentials.Secret)),
		privSig:  NewSigner(cfg.Credentials.Key, []byte(cfg.Credentials.Secret)),
	}
	if s.lim == nil {
		s.lim = NewLimiter(cfg.Limits)
	}
	if s.httpc == nil {
		s.httpc = &http.Client{Timeout: 10 * time.Second}
	}
	seen := map[string]bool{}
	for _, in := range cfg.Master.Instruments() {
		if l, ok := in.Listing(instrument.VenueBybit); ok && l.Segment == instrument.SegmentDerivatives && !seen[in.Quote] {
			seen[in.Quote] = true
			s.linears = append(s.linears, in.Quote)
		}
	}
	cc := cfg.Conn
	cc.Clock = clockFunc(cfg.Clock)
	s.trade, s.priv = transport.NewConn(cc), transport.NewConn(cc)
	return s, nil
}

// clockFunc adapts a func to transport.Clock.
type clockFunc func() int64

func (f clockFunc) Now() int64 { return f() }

// Up reports whether the Session takes requests.
func (s *Session) Up() bool { return s.up.Load() }

// Submit queues an order request (KindNewOrder, KindCancel or KindReplace) for the trade
// connection. While the Session is not up, or when the queue is full, the request is refused
// at once: the Sink gets a Reject (RejectVenueUnavailable) before Submit returns.
func (s *Session) Submit(e *event.Event) {
	if s.up.Load() && s.tradeW.push(e, s.cfg.QueueLen) {
		return
	}
	s.mu.Lock()
	s.rejectLocked(e, event.RejectVenueUnavailable, 0)
	s.mu.Unlock()
}

// Close stops Run and closes the connections (Run returns ErrClosed).
func (s *Session) Close() {
	s.closed.Store(true)
	s.once.Do(func() { close(s.done) })
	s.tradeW.halt()
	s.privW.halt()
}

// Run connects and serves until ctx is done or Close is called, reconnecting after failures.
// It returns ErrClosed or ctx's error.
func (s *Session) Run(ctx context.Context) error {
	stop := context.AfterFunc(ctx, s.Close)
	defer stop()
	attempt := 0
	for {
		if s.closed.Load() {
			return s.stopped(ctx)
		}
		err := s.connect(ctx)
		if err == nil {
			s.connected = s.cfg.Clock()
			err = s.serve()
		}
		s.down(err)
		if s.closed.Load() {
			return s.stopped(ctx)
		}
		resetAfter := s.cfg.Backoff.ResetAfter
		if resetAfter <= 0 {
			resetAfter = transport.DefaultBackoffResetAfter
		}
		if err == nil || s.cfg.Clock()-s.connected >= int64(resetAfter) {
			attempt = 0
		}
		d := s.cfg.Backoff.Delay(attempt, s.rng)
		attempt++
		fmt.Fprintf(s.cfg.Log, "bybit: reconnecting in %v after: %v\n", d, err)
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return s.stopped(ctx)
		case <-s.done:
			return s.stopped(ctx)
		}
	}
}

func (s *Session) stopped(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return ErrClosed
}

// connect dials both connections, authenticates them, subscribes the private one, reconciles
// and marks the Session up.
func (s *Session) connect(ctx context.Context) error {
	s.tradeW.attach(nil)
	s.privW.attach(nil)
	s.tradeW.reset()
	s.privW.reset()
	if err := s.trade.Dial(ctx, s.cfg.TradeURL); err != nil {
		return err
	}
	if err := s.handshake(s.trade, s.tradeSig, false); err != nil {
		s.trade.Close()
		return err
	}
	if err := s.priv.Dial(ctx, s.cfg.PrivateURL); err != nil {
		s.trade.Close()
		return err
	}
	if err := s.handshake(s.priv, s.privSig, true); err != nil {
		s.trade.Close()
		s.priv.Close()
		return err
	}
	s.tradeW.attach(s.trade)
	s.privW.attach(s.priv)
	if err := s.reconcile(ctx); err != nil {
		s.trade.Close()
		s.priv.Close()
		return err
	}
	s.mu.Lock()
	s.statusLocked(event.VenueConnected, event.VenueReasonConnect)
	s.up.Store(true)
	s.mu.Unlock()
	return nil
}

// handshake authenticates c (and subscribes a private connection), waiting for each answer.
func (s *Session) handshake(c *transport.Conn, sig *Signer, private bool) error {
	deadline := time.Now().Add(s.cfg.HandshakeTimeout)
	c.SetReadDeadline(deadline)
	expires := s.cfg.Clock()/1e6 + s.cfg.HandshakeTimeout.Milliseconds()
	if err := c.WriteText(AppendAuth(s.wbuf[:0], sig, expires)); err != nil {
		return err
	}
	if err := s.await(c, OpAuth, "auth"); err != nil {
		return err
	}
	if !private {
		return nil
	}
	if err := c.WriteText([]byte(subscribeMsg)); err != nil {
		return err
	}
	return s.await(c, OpSubscribe, "subscribe")
}

// await reads c until the answer op arrives; other messages are handled as usual.
func (s *Session) await(c *transport.Conn, op Op, what string) error {
	for {
		msg, ts, err := c.ReadMessage()
		if err != nil {
			return fmt.Errorf("bybit: waiting for %s: %w", what, err)
		}
		s.mu.Lock()
		r, _ := s.parser.Parse(msg, ts)
		s.emitLocked(r.Events)
		s.mu.Unlock()
		if r.Op != op {
			continue
		}
		if !r.OK {
			return fmt.Errorf("bybit: %s refused (retCode %d)", what, r.Code)
		}
		return nil
	}
}

// down marks the Session down after a connection ended with err, refusing what is queued.
func (s *Session) down(err error) {
	wasUp := s.up.Swap(false)
	s.batch, _ = s.tradeW.take(s.batch[:0])
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.batch {
		s.rejectLocked(&s.batch[i], event.RejectVenueUnavailable, 0)
	}
	if wasUp {
		reason := event.VenueReasonError
		var ce *transport.CloseError
		if errors.As(err, &ce) || errors.Is(err, transport.ErrClosed) || errors.Is(err, errHalted) {
			reason = event.VenueReasonClosed
		}
		s.statusLocked(event.VenueDisconnected, reason)
	}
}

// rejectLocked emits a Reject of request e made by the gateway (VenueCode 0 unless code).
func (s *Session) rejectLocked(e *event.Event, reason event.RejectReason, code int64) {
	r := event.Event{Kind: event.KindReject, Venue: instrument.VenueBybit, Instrument: e.Instrument,
		RecvTS: s.cfg.Clock()}
	rj := r.Reject()
	switch e.Kind {
	case event.KindNewOrder:
		rj.Order, rj.Parent = e.Order().Order, e.Order().Parent
	case event.KindCancel:
		rj.Order, rj.Parent = e.Cancel().Order, e.Cancel().Parent
	case event.KindReplace:
		rj.Order, rj.Parent = e.Replace().Order, e.Replace().Parent
	}
	rj.Reason, rj.VenueCode = reason, code
	s.evs = append(s.evs[:0], r)
	s.cfg.Sink(s.evs)
}

// statusLocked emits a VenueStatus.
func (s *Session) statusLocked(state event.VenueState, reason event.VenueReason) {
	e := event.Event{Kind: event.KindVenueStatus, Venue: instrument.VenueBybit, RecvTS: s.cfg.Clock()}
	st := e.VenueStatus()
	st.State, st.Reason = state, reason
	s.evs = append(s.evs[:0], e)
	s.cfg.Sink(s.evs)
}

// emitLocked hands parsed events to the Sink.
func (s *Session) emitLocked(evs []event.Event) {
	if len(evs) > 0 {
		s.cfg.Sink(evs)
	}
}

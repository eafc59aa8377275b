package okx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gobwas/ws"

	"ems/core/event"
	"ems/core/instrument"
	"ems/core/intern"
	"ems/gateway"
)

// Config configures a Session.
type Config struct {
	URL         string // private WebSocket ("wss://ws.okx.com:8443/ws/v5/private")
	RESTURL     string // REST base for reconciliation ("https://www.okx.com")
	Credentials gateway.Credentials
	Prefix      string // client order id prefix (gateway.CheckPrefix)
	Master      *instrument.Master
	// Sink receives every event the session produces: parsed venue events, refusals, and
	// VenueStatus changes. Calls are serialized (never concurrent) and the slice is only valid
	// during the call.
	Sink   func([]event.Event)
	Clock  func() int64 // ns since the epoch (nil: the wall clock)
	Limits Limits       // budgets of the session's own limiter (ignored when Limiter is set)
	// Limiter is the account's limiter shared by every Session of the account in the process
	// (NewLimiter with at least as many instruments as the master's OKX listings); nil: the
	// session makes its own from Limits.
	Limiter     *Limiter
	VenueOrders *intern.Table // nil: the session's own
	Assets      *intern.Table // nil: the session's own
	HTTPClient  *http.Client  // nil: a client with a 10 s timeout
	// Timeout bounds the dial, the login and subscribe answers and each REST query (0: 10 s).
	Timeout time.Duration
	// PingInterval is how long the connection may be quiet before the text "ping" (0: 20 s; OKX
	// closes a connection idle for 30 s).
	PingInterval time.Duration
	// Reconnect is the pause before redialling a dropped connection (0: 500 ms, doubled up to
	// 10 s while dials fail).
	Reconnect time.Duration
}

// Session errors.
var (
	ErrNotReady = errors.New("okx: session not ready (connecting or reconciling)")
	ErrLogin    = errors.New("okx: login refused")
)

// Stats counts a session's activity.
type Stats struct {
	Connects    int // successful logins
	Sent        int // requests written
	Refused     int // orders and cancels refused locally (rate limit or not ready)
	Throttles   int // 50011 / 60014 answers
	Skipped     int // order objects of another prefix or unknown instrument
	Pongs       int // answers to the keep-alive "ping"
	Reconciled  int // events produced by reconciliation
	UnknownLeft int // orders whose state reconciliation could not learn (still tracked)
}

// Session is one OKX private-WebSocket order-entry connection: it logs in, subscribes to the
// orders channel, sends orders and cancels, and turns answers and pushes into events for Sink.
// Run keeps it connected: after a drop it redials, logs in, reconciles over REST (open orders,
// recent fills, and the state of every order it had in flight), and only then accepts orders
// again.
//
// Goroutines: Run's goroutine reads the socket; Send is called by the gateway thread. Both take
// the session lock (mu) for everything past reading a frame: encoding, writing, parsing, the
// limiter and Sink. Credentials never appear in logs or errors.
type Session struct {
	cfg    Config
	enc    *Encoder
	signer *Signer

	mu      sync.Mutex // guards everything below
	parser  *Parser
	lim     *Limiter
	conn    *wsConn
	ready   bool
	throt   bool // a VenueThrottled status is in force
	wbuf    []byte
	evs     []event.Event
	stats   Stats
	closed  bool
	stopped chan struct{}
}

// NewSession checks cfg and returns an unconnected session.
func NewSession(cfg Config) (*Session, error) {
	if err := gateway.CheckPrefix(cfg.Prefix); err != nil {
		return nil, err
	}
	switch {
	case cfg.Master == nil:
		return nil, errors.New("okx: session needs an instrument master")
	case cfg.Sink == nil:
		return nil, errors.New("okx: session needs a sink")
	case cfg.URL == "":
		return nil, errors.New("okx: session needs the private WebSocket URL")
	case cfg.Credentials.Key == "" || cfg.Credentials.Secret == "" || cfg.Credentials.Passphrase == "":
		return nil, fmt.Errorf("%w: OKX needs key, secret and passphrase", gateway.ErrCredentials)
	}
	if cfg.Clock == nil {
		cfg.Clock = func() int64 { return time.Now().UnixNano() }
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 20 * time.Second
	}
	if cfg.Reconnect <= 0 {
		cfg.Reconnect = 500 * time.Millisecond
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: cfg.Timeout}
	}
	if cfg.Assets == nil {
		cfg.Assets = intern.New(64, 1024, 0)
	}
	p, err := NewParser(ParserConfig{Prefix: cfg.Prefix, Master: cfg.Master, VenueOrders: cfg.VenueOrders, Assets: cfg.Assets})
	if err != nil {
		return nil, err
	}
	lim := cfg.Limiter
	if lim == nil {
		lim = NewLimiter(len(p.mk.list), cfg.Limits)
	} else if lim.Instruments() < len(p.mk.list) {
		return nil, fmt.Errorf("okx: shared limiter has %d instruments, the master lists %d", lim.Instruments(), len(p.mk.list))
	}
	return &Session{cfg: cfg, enc: &Encoder{prefix: cfg.Prefix, mk: p.mk}, signer: NewSigner([]byte(cfg.Credentials.Secret)),
		parser: p, lim: lim, wbuf: make([]byte, 0, 4096),
		evs: make([]event.Event, 0, 4), stopped: make(chan struct{})}, nil
}

// Stats returns the session's counters.
func (s *Session) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	return st
}

// Ready reports whether the session accepts orders (logged in and reconciled).
func (s *Session) Ready() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ready
}

// Live returns the number of orders sent and not known to be finished.
func (s *Session) Live() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.parser.Live()
}

// Send sends ev (KindNewOrder, KindCancel or KindReplace, an amend-order). A request the session cannot send is answered
// through Sink: a Reject with RejectRateLimit (and a VenueThrottled status when the throttle
// starts) when the instrument's budget is spent or the venue asked to back off; a Reject with
// RejectVenueUnavailable (and ErrNotReady) while connecting or reconciling. An encoding error
// (unknown instrument, a replace without a positive quantity) is answered with RejectInvalidRequest or RejectUnknownSymbol
// and returned.
func (s *Session) Send(ev *event.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, parent := requestIDs(ev)
	if !s.ready {
		s.refuse(ev.Instrument, id, parent, event.RejectVenueUnavailable)
		return ErrNotReady
	}
	var err error
	s.wbuf, err = s.enc.AppendRequest(s.wbuf[:0], ev)
	if err != nil {
		r := event.RejectInvalidRequest
		if errors.Is(err, ErrUnknownInstrument) {
			r = event.RejectUnknownSymbol
		}
		s.refuse(ev.Instrument, id, parent, r)
		return err
	}
	mk, _ := s.enc.mk.byID(ev.Instrument)
	now := s.cfg.Clock()
	var ok bool
	switch ev.Kind {
	case event.KindNewOrder:
		ok = s.lim.AllowPlace(mk.index, 1, now)
	case event.KindReplace:
		ok = s.lim.AllowAmend(mk.index, 1, now)
	default:
		ok = s.lim.AllowCancel(mk.index, 1, now)
	}
	if !ok {
		s.throttle(now, false)
		s.refuse(ev.Instrument, id, parent, event.RejectRateLimit)
		return nil
	}
	s.unthrottle(now)
	if ev.Kind == event.KindNewOrder {
		s.parser.Track(id, ev.Instrument)
	}
	return s.write()
}

// SendBatch sends up to MaxBatch new orders in one batch-orders request; the budget of each
// order's instrument must hold it, else every order is refused as Send refuses one.
func (s *Session) SendBatch(evs []event.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	refuseAll := func(r event.RejectReason) {
		for i := range evs {
			id, parent := requestIDs(&evs[i])
			s.refuse(evs[i].Instrument, id, parent, r)
		}
	}
	if !s.ready {
		refuseAll(event.RejectVenueUnavailable)
		return ErrNotReady
	}
	var err error
	s.wbuf, err = s.enc.AppendBatch(s.wbuf[:0], evs)
	if err != nil {
		refuseAll(event.RejectInvalidRequest)
		return err
	}
	now := s.cfg.Clock()
	// Take each instrument's share at once; give back what was taken if one is refused.
	for i := range evs {
		if firstOf(evs, i) {
			mk, _ := s.enc.mk.byID(evs[i].Instrument)
			if !s.lim.AllowPlace(mk.index, countOf(evs, i), now) {
				for j := 0; j < i; j++ {
					if firstOf(evs, j) {
						mj, _ := s.enc.mk.byID(evs[j].Instrument)
						s.lim.RefundPlace(mj.index, countOf(evs, j))
					}
				}
				s.throttle(now, false)
				refuseAll(event.RejectRateLimit)
				return nil
			}
		}
	}
	s.unthrottle(now)
	for i := range evs {
		s.parser.Track(evs[i].Order().Order, evs[i].Instrument)
	}
	return s.write()
}

// firstOf reports whether evs[i] is the first order of its instrument in evs.
func firstOf(evs []event.Event, i int) bool {
	for j := 0; j < i; j++ {
		if evs[j].Instrument == evs[i].Instrument {
			return false
		}
	}
	return true
}

// countOf returns the number of orders of evs[i]'s instrument in evs.
func countOf(evs []event.Event, i int) int {
	n := 0
	for j := range evs {
		if evs[j].Instrument == evs[i].Instrument {
			n++
		}
	}
	return n
}

// write sends s.wbuf. REQUIRES: s.mu held.
func (s *Session) write() error {
	if err := s.conn.writeFrame(ws.OpText, s.wbuf); err != nil {
		return fmt.Errorf("okx: write: %w", err) // the reader sees the broken connection and reconnects
	}
	s.stats.Sent++
	return nil
}

func requestIDs(ev *event.Event) (event.OrderID, event.ParentID) {
	switch ev.Kind {
	case event.KindNewOrder:
		return ev.Order().Order, ev.Order().Parent
	case event.KindCancel:
		return ev.Cancel().Order, ev.Cancel().Parent
	case event.KindReplace:
		return ev.Replace().Order, ev.Replace().Parent
	}
	return 0, 0
}

// refuse emits a gateway Reject (VenueCode 0). REQUIRES: s.mu held.
func (s *Session) refuse(inst event.InstrumentID, id event.OrderID, parent event.ParentID, r event.RejectReason) {
	s.stats.Refused++
	s.evs = append(s.evs[:0], event.Event{Kind: event.KindReject, Venue: instrument.VenueOKX, Instrument: inst, RecvTS: s.cfg.Clock()})
	*s.evs[0].Reject() = event.Reject{Order: id, Parent: parent, Reason: r}
	s.cfg.Sink(s.evs)
}

// status emits a VenueStatus. REQUIRES: s.mu held.
func (s *Session) status(st event.VenueState, r event.VenueReason) {
	s.evs = append(s.evs[:0], event.Event{Kind: event.KindVenueStatus, Venue: instrument.VenueOKX, RecvTS: s.cfg.Clock()})
	*s.evs[0].VenueStatus() = event.VenueStatus{State: st, Reason: r}
	s.cfg.Sink(s.evs)
}

// throttle notes a throttle (the venue's answer when venue is true, else the local budget) and
// emits VenueThrottled when it starts. REQUIRES: s.mu held.
func (s *Session) throttle(now int64, venue bool) {
	if venue {
		s.stats.Throttles++
		s.lim.Throttle(now)
	}
	if !s.throt {
		s.throt = true
		s.status(event.VenueThrottled, event.VenueReasonRateLimit)
	}
}

// unthrottle lifts a VenueThrottled status once a request passes. REQUIRES: s.mu held.
func (s *Session) unthrottle(now int64) {
	if s.throt && !s.lim.Throttled(now) {
		s.throt = false
		s.status(event.VenueConnected, event.VenueReasonNone)
	}
}

// Close stops Run and closes the connection.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.ready = false
	if s.conn != nil {
		return s.conn.close()
	}
	return nil
}

// Run connects and keeps the session connected until ctx is done or Close is called. It
// returns the last connection error when it stops.
func (s *Session) Run(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { _ = s.Close() })
	defer stop()
	pause := s.cfg.Reconnect
	var lastErr error
	for {
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		if closed || ctx.Err() != nil {
			return lastErr
		}
		err := s.connect(ctx)
		if err == nil {
			pause = s.cfg.Reconnect
			err = s.serve()
		}
		lastErr = err
		s.mu.Lock()
		wasReady := s.ready
		s.ready = false
		if s.conn != nil {
			_ = s.conn.nc.Close()
		}
		closed = s.closed
		if !closed && wasReady {
			s.status(event.VenueDisconnected, event.VenueReasonClosed)
		}
		s.mu.Unlock()
		if closed || errors.Is(err, ErrLogin) {
			return lastErr // a refused login: credentials or clock, redialling will not help
		}
		select {
		case <-ctx.Done():
			return lastErr
		case <-time.After(pause):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

// connect dials, logs in, subscribes to the orders channel and reconciles; the session is ready
// when it returns nil.
func (s *Session) connect(ctx context.Context) error {
	c, err := dialWS(ctx, s.cfg.URL, s.cfg.Timeout)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = c.nc.Close()
		return ErrNotReady
	}
	s.conn = c
	ts := string(AppendLoginTimestamp(nil, time.Unix(0, s.cfg.Clock())))
	s.wbuf = AppendLogin(s.wbuf[:0], s.signer, s.cfg.Credentials.Key, s.cfg.Credentials.Passphrase, ts)
	err = c.writeFrame(ws.OpText, s.wbuf)
	clear(s.wbuf[:cap(s.wbuf)]) // the login held the passphrase
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("okx: login write: %w", err)
	}
	deadline := time.Now().Add(s.cfg.Timeout)
	_ = c.nc.SetReadDeadline(deadline)
	if err := s.await(c, MsgLogin); err != nil {
		return err
	}
	s.mu.Lock()
	err = c.writeFrame(ws.OpText, []byte(`{"id":"s1","op":"subscribe","args":[{"channel":"orders","instType":"ANY"}]}`))
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("okx: subscribe write: %w", err)
	}
	if err := s.await(c, MsgSubscribe); err != nil {
		return err
	}
	_ = c.nc.SetReadDeadline(time.Time{})
	if err := s.reconcile(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Connects++
	s.ready = true
	s.status(event.VenueConnected, event.VenueReasonConnect)
	return nil
}

// await reads until a message of type want (login or subscribe answer); pushes read meanwhile
// are handled as usual.
func (s *Session) await(c *wsConn, want MsgType) error {
	for {
		op, msg, err := c.readMessage()
		if err != nil {
			return fmt.Errorf("okx: awaiting %s: %w", msgName(want), err)
		}
		if op == ws.OpClose {
			return fmt.Errorf("okx: awaiting %s: closed by the venue (%d)", msgName(want), closeCode(msg))
		}
		if op != ws.OpText && op != ws.OpBinary {
			continue
		}
		info, err := s.handle(msg)
		if err != nil {
			continue
		}
		switch {
		case info.Type == want && info.Code == 0:
			return nil
		case info.Type == MsgError, info.Type == want:
			if want == MsgLogin {
				return fmt.Errorf("%w: code %d", ErrLogin, info.Code)
			}
			return fmt.Errorf("okx: %s refused: code %d", msgName(want), info.Code)
		}
	}
}

func msgName(t MsgType) string {
	if t == MsgLogin {
		return "login"
	}
	return "subscribe"
}

func closeCode(p []byte) int {
	if len(p) < 2 {
		return 1005
	}
	return int(p[0])<<8 | int(p[1])
}

// serve reads until the connection fails or is closed.
func (s *Session) serve() error {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	for {
		_ = c.nc.SetReadDeadline(time.Now().Add(s.cfg.PingInterval))
		op, msg, err := c.readMessage()
		if err != nil {
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() {
				s.mu.Lock()
				err = c.writeFrame(ws.OpText, []byte("ping"))
				s.mu.Unlock()
				if err == nil {
					continue
				}
			}
			return fmt.Errorf("okx: read: %w", err)
		}
		switch op {
		case ws.OpClose:
			return fmt.Errorf("okx: closed by the venue (%d)", closeCode(msg))
		case ws.OpPing:
			s.mu.Lock()
			err = c.writeFrame(ws.OpPong, msg)
			s.mu.Unlock()
			if err != nil {
				return fmt.Errorf("okx: pong: %w", err)
			}
			continue
		}
		_, _ = s.handle(msg) // a malformed message is skipped
	}
}

// handle parses one message under the lock and emits its events.
func (s *Session) handle(msg []byte) (Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Clock()
	evs, info, err := s.parser.Parse(msg, now)
	s.stats.Skipped += info.Skipped
	if info.Type == MsgPong {
		s.stats.Pongs++
	}
	if len(evs) > 0 {
		s.cfg.Sink(evs)
	}
	if info.Throttled {
		s.throttle(now, true)
	}
	return info, err
}

package okx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"

	"ems/core/book"
	"ems/core/event"
	"ems/sim"
)

// Options tune a Server. The zero value of a field means its default, except Checksum: start
// from DefaultOptions, which turns it on.
type Options struct {
	// Checksum fills the books channel's "checksum" with the CRC-32 of the top 25 levels, as
	// OKX did until June 2026; false sends 0 in every message, as OKX does since.
	Checksum bool
	// Depth is the number of levels per side of the books channel (0: 400, OKX's).
	Depth int
	// Heartbeat is how long a books subscription goes without an update before the empty
	// heartbeat update (0: 60 s, about what OKX waits; negative: never).
	Heartbeat time.Duration
	// IdleTimeout closes a WebSocket connection (4004) after this long without a frame either
	// way (0: 30 s, OKX's; negative: never).
	IdleTimeout time.Duration
	// MaxSkew is how far a request's or a login's timestamp may be from the venue's clock
	// (0: 30 s, OKX's; negative: not checked).
	MaxSkew time.Duration
	// SendQueue is the number of frames a WebSocket connection may have queued before it is
	// closed as a slow reader (0: 16384).
	SendQueue int
	// OrderHistory is the number of terminal orders remembered for order queries (0: 100000).
	OrderHistory int
	// FillHistory is the number of fills remembered per account for fill queries (0: 10000).
	FillHistory int
}

// errClosed is returned by Start after Close.
var errClosed = errors.New("okx: server closed")

// Defaults of Options.
const (
	DefaultDepth        = 400
	DefaultHeartbeat    = 60 * time.Second
	DefaultIdleTimeout  = 30 * time.Second
	DefaultMaxSkew      = 30 * time.Second
	DefaultSendQueue    = 16384
	DefaultOrderHistory = 100_000
	DefaultFillHistory  = 10_000
)

// DefaultOptions returns the options of a faithful venue: checksums on, the defaults above.
func DefaultOptions() Options { return Options{Checksum: true} }

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		switch {
		case *v == 0:
			*v = d
		case *v < 0:
			*v = 0
		}
	}
	if o.Depth <= 0 {
		o.Depth = DefaultDepth
	}
	def(&o.Heartbeat, DefaultHeartbeat)
	def(&o.IdleTimeout, DefaultIdleTimeout)
	def(&o.MaxSkew, DefaultMaxSkew)
	if o.SendQueue <= 0 {
		o.SendQueue = DefaultSendQueue
	}
	if o.OrderHistory <= 0 {
		o.OrderHistory = DefaultOrderHistory
	}
	if o.FillHistory <= 0 {
		o.FillHistory = DefaultFillHistory
	}
	return o
}

// URL paths served.
const (
	PathPublic  = "/ws/v5/public"
	PathPrivate = "/ws/v5/private"
)

// Server is the OKX v5 protocol server of one simulated venue: REST under /api/v5/ and the
// public and private WebSockets, on loopback. See the package documentation for what it serves.
//
// Goroutines: one per market publishing its books and trades; per WebSocket connection a
// reader and a writer; net/http's per request. Order state (orders, fills) belongs to the venue
// lock: it is touched only inside Venue.Do and in the venue's order callbacks.
type Server struct {
	v       *sim.Venue
	opts    Options
	markets []*market
	byInst  map[string]*market
	keys    map[string]sim.APIKey

	trade tradeState // guarded by the venue lock

	connSeq atomic.Uint64

	mu      sync.Mutex // guards everything below
	started bool
	closed  bool
	ln      net.Listener
	http    *http.Server
	base    string
	conns   map[*wsConn]struct{}
	unsubs  []func()
	wg      sync.WaitGroup
}

// New returns a server for v, not yet listening.
func New(v *sim.Venue, opts Options) (*Server, error) {
	if v == nil {
		return nil, errors.New("okx: nil venue")
	}
	s := &Server{
		v: v, opts: opts.withDefaults(),
		byInst: map[string]*market{},
		keys:   map[string]sim.APIKey{},
		conns:  map[*wsConn]struct{}{},
	}
	for _, sm := range v.Markets() {
		m := newMarket(sm)
		if _, dup := s.byInst[m.instID]; dup {
			return nil, fmt.Errorf("okx: venue %s lists instId %s twice", v.Name(), m.instID)
		}
		pub, err := newPublisher(s, m)
		if err != nil {
			return nil, fmt.Errorf("okx: %s: %w", m.instID, err)
		}
		m.pub = pub
		s.markets = append(s.markets, m)
		s.byInst[m.instID] = m
	}
	for _, k := range v.Config().Keys {
		s.keys[k.Key] = k
	}
	s.trade.init(s)
	return s, nil
}

// Start subscribes to the venue, listens on addr (a loopback address such as "127.0.0.1:0")
// and serves until Close. It returns the REST base URL ("http://127.0.0.1:PORT"); the
// WebSockets are at PublicURL and PrivateURL.
func (s *Server) Start(addr string) (baseURL string, err error) {
	if err := sim.CheckLoopback("okx", addr); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return "", errClosed
	case s.started:
		return "", errors.New("okx: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("okx: listen %s: %w", addr, err)
	}
	if err := s.attach(); err != nil {
		ln.Close()
		s.detach()
		return "", err
	}
	for _, m := range s.markets {
		s.wg.Add(1)
		go func(p *publisher) {
			defer s.wg.Done()
			p.run()
		}(m.pub)
	}
	s.started, s.ln = true, ln
	s.base = "http://" + ln.Addr().String()
	s.http = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.http.Serve(ln)
	}()
	return s.base, nil
}

// attach subscribes every market's publisher (with its starting book) and every key's account
// to the venue. REQUIRES: s.mu held.
func (s *Server) attach() error {
	var errs []error
	for _, m := range s.markets {
		var bids, asks []book.Level
		var seq uint64
		var unsub func()
		var err error
		s.v.Do(func(st *sim.State) {
			e := st.Engine(m.sm)
			bids = e.Depth(event.SideBuy, -1, nil)
			asks = e.Depth(event.SideSell, -1, nil)
			seq = st.Seq(m.sm)
			unsub, err = st.Subscribe(m.sm.Name, m.pub.onEvent)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("okx: subscribe %s: %w", m.instID, err))
			continue
		}
		s.unsubs = append(s.unsubs, unsub)
		if err := m.pub.load(bids, asks, seq); err != nil {
			errs = append(errs, fmt.Errorf("okx: %s: %w", m.instID, err))
		}
	}
	seen := map[uint32]bool{}
	for _, k := range s.keys {
		if !seen[k.Account] {
			seen[k.Account] = true
			s.unsubs = append(s.unsubs, s.v.OrderEvents(k.Account, s.trade.onOrderEvent))
		}
	}
	return errors.Join(errs...)
}

// detach removes the venue subscriptions. REQUIRES: s.mu held; not inside Do.
func (s *Server) detach() {
	for _, u := range s.unsubs {
		u()
	}
	s.unsubs = nil
}

// URL returns the REST base URL ("" before Start).
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// PublicURL returns the public WebSocket URL (ws://127.0.0.1:PORT/ws/v5/public).
func (s *Server) PublicURL() string { return s.wsURL(PathPublic) }

// PrivateURL returns the private WebSocket URL (ws://127.0.0.1:PORT/ws/v5/private).
func (s *Server) PrivateURL() string { return s.wsURL(PathPrivate) }

func (s *Server) wsURL(path string) string {
	base := s.URL()
	if base == "" {
		return ""
	}
	return "ws" + base[len("http"):] + path
}

// Close stops serving: it closes the listener and every WebSocket (close frame 1001), stops
// the publishers and leaves the venue. The venue itself keeps running.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	started := s.started
	conns := make([]*wsConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.detach()
	s.mu.Unlock()
	if !started {
		return nil
	}
	var err error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = s.http.Shutdown(ctx)
		cancel()
	}
	for _, c := range conns {
		c.close(ws.StatusGoingAway, reasonShutdown)
		_ = c.nc.SetDeadline(time.Now().Add(2 * time.Second))
	}
	for _, m := range s.markets {
		close(m.pub.stop)
	}
	s.wg.Wait()
	if errors.Is(err, context.DeadlineExceeded) {
		err = nil // hijacked WebSockets are closed above
	}
	return err
}

// addConn registers a WebSocket connection; false when the server is closing.
func (s *Server) addConn(c *wsConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

// dropConn forgets a closed connection.
func (s *Server) dropConn(c *wsConn) {
	s.trade.dropConn(c)
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// upgrade turns an HTTP request into a WebSocket connection served by handler.
func (s *Server) upgrade(w http.ResponseWriter, r *http.Request, handler func(*wsConn, []byte)) {
	nc, rw, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		return // UpgradeHTTP has answered with the HTTP error
	}
	c := s.newConn(nc, rw.Reader, handler)
	if !s.addConn(c) {
		_ = nc.Close()
		return
	}
	c.serve()
}

// Stats are a server's market-data counters since Start, over every market.
type Stats struct {
	BookUpdates uint64 // books updates published (heartbeats excluded)
	Snapshots   uint64 // books snapshots sent to new subscriptions
	Heartbeats  uint64 // empty heartbeat updates
	Trades      uint64 // trades messages published
	Lost        uint64 // updates dropped by the gap fault
	Held        uint64 // publications held back by the stale fault
}

// Stats returns the market-data counters. Safe for concurrent use.
func (s *Server) Stats() Stats {
	var st Stats
	for _, m := range s.markets {
		p := &m.pub.stats
		st.BookUpdates += p.updates.Load()
		st.Snapshots += p.snapshots.Load()
		st.Heartbeats += p.heartbeats.Load()
		st.Trades += p.trades.Load()
		st.Lost += p.lost.Load()
		st.Held += p.held.Load()
	}
	return st
}

// Idle reports whether every venue batch received so far has been published (tests and
// benchmarks pace the venue with it).
func (s *Server) Idle() bool {
	for _, m := range s.markets {
		if !m.pub.idle() {
			return false
		}
	}
	return true
}

// market returns the market with OKX instId id.
func (s *Server) market(id string) (*market, bool) {
	m, ok := s.byInst[id]
	return m, ok
}

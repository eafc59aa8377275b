package binance

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"ems/core/instrument"
	"ems/sim"
)

// Options tune a Server. The zero value gives Binance's own timings.
type Options struct {
	// FastInterval is the period of the @100ms streams (<symbol>@depth@100ms, @depthN@100ms);
	// 0: 100 ms.
	FastInterval time.Duration
	// SlowInterval is the period of the 1000 ms streams (<symbol>@depth, @depthN); 0: 1 s.
	SlowInterval time.Duration
	// PingInterval is how often the server pings each WebSocket connection; 0: 20 s.
	PingInterval time.Duration
	// PongTimeout drops a connection that has not answered a ping for this long; 0: 1 minute.
	PongTimeout time.Duration
	// MaxQueue is the number of messages a connection may have waiting to be written before it
	// is dropped as a slow consumer; 0: 16384.
	MaxQueue int
	// TradeHistory is the number of an account's trades kept per market for GET
	// /api/v3/myTrades; 0: 10000.
	TradeHistory int
}

func (o Options) withDefaults() Options {
	if o.FastInterval <= 0 {
		o.FastInterval = 100 * time.Millisecond
	}
	if o.SlowInterval <= 0 {
		o.SlowInterval = time.Second
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 20 * time.Second
	}
	if o.PongTimeout <= 0 {
		o.PongTimeout = time.Minute
	}
	if o.MaxQueue <= 0 {
		o.MaxQueue = 1 << 14
	}
	if o.TradeHistory <= 0 {
		o.TradeHistory = 10_000
	}
	return o
}

// market is one of the venue's instruments as the wire names it.
type market struct {
	m           *sim.Market
	symbol      string // "BTCUSDT", as REST and the WS API spell it
	lower       string // "btcusdt", as stream names spell it
	base, quote string // "BTC", "USDT"
	l           *instrument.Listing
}

// Server is the Binance spot protocol server of one simulated venue: REST under /api/v3, market
// data WebSocket streams under /ws and /stream, and the WebSocket API at /ws-api/v3, all on one
// loopback listener. See the package documentation for what is served.
//
// # Concurrency
//
// HTTP handlers and WebSocket connections run on their own goroutines and reach the venue's
// engines only through Venue.Do. The venue's event callbacks (market data, order events) run
// under the venue lock and only queue messages: each connection has a writer goroutine. Lock
// order: the venue lock, then hub.mu or Server.udMu, then a connection's queue lock; nothing
// takes the venue lock while holding another of these.
type Server struct {
	v       *sim.Venue
	opts    Options
	markets []*market // by sim.Market.Index
	bySym   map[string]*market
	creds   map[string]*credential

	hub    *hub
	ledger *ledger
	usage  *usage

	// Guarded by the venue lock: written only inside Do functions and venue callbacks.
	orderState orderState

	udMu   sync.Mutex
	udSubs map[uint32][]*userSub // user data stream subscriptions by account

	mu      sync.Mutex
	started bool
	closed  bool
	ln      net.Listener
	httpSrv *http.Server
	base    string
	conns   map[*wsConn]struct{}
	unsubs  []func()
	stop    chan struct{}
	wg      sync.WaitGroup
}

// New returns a server for v, which must be a "binance" venue. It does not listen until Start.
func New(v *sim.Venue, opts Options) (*Server, error) {
	if v == nil {
		return nil, errors.New("binance: New: nil venue")
	}
	if v.Name() != "binance" {
		return nil, fmt.Errorf("binance: New: venue %q is not binance (spot)", v.Name())
	}
	s := &Server{
		v:      v,
		opts:   opts.withDefaults(),
		bySym:  map[string]*market{},
		creds:  map[string]*credential{},
		usage:  newUsage(),
		udSubs: map[uint32][]*userSub{},
		conns:  map[*wsConn]struct{}{},
		stop:   make(chan struct{}),
	}
	for _, m := range v.Markets() {
		base, quote, ok := strings.Cut(m.Name, "-")
		if !ok || m.Listing.Segment != instrument.SegmentSpot {
			return nil, fmt.Errorf("binance: New: instrument %q is not a spot pair", m.Name)
		}
		mk := &market{m: m, symbol: m.Symbol, lower: strings.ToLower(m.Symbol), base: base, quote: quote, l: m.Listing}
		if mk.l.PriceScale > wireScale || mk.l.QtyScale > wireScale {
			return nil, fmt.Errorf("binance: New: %s scales %d/%d exceed the wire's %d decimals",
				m.Name, mk.l.PriceScale, mk.l.QtyScale, wireScale)
		}
		s.markets = append(s.markets, mk)
		s.bySym[mk.symbol] = mk
	}
	for _, k := range v.Config().Keys {
		c, err := newCredential(k)
		if err != nil {
			return nil, err
		}
		s.creds[k.Key] = c
	}
	s.ledger = newLedger(len(s.markets), s.opts.TradeHistory)
	s.hub = newHub(s)
	s.orderState.init()
	return s, nil
}

// Start listens on addr, which must be a loopback address ("127.0.0.1:0"), subscribes to the
// venue's events (seeding its books if no Step ran yet) and serves until Close. It returns the
// base URL, "http://127.0.0.1:PORT".
func (s *Server) Start(addr string) (baseURL string, err error) {
	if err := sim.CheckLoopback("binance", addr); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return "", errors.New("binance: Start after Close")
	case s.started:
		return "", errors.New("binance: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("binance: listen: %w", err)
	}
	if err := s.subscribe(); err != nil {
		ln.Close()
		return "", err
	}
	s.started = true
	s.ln = ln
	s.base = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		_ = s.httpSrv.Serve(ln)
	}()
	go func() {
		defer s.wg.Done()
		s.hub.run(s.stop)
	}()
	return s.base, nil
}

// subscribe hooks the server to the venue: market data for the hub (its mirror books seeded in
// the same Do call, so the sequence numbers follow on exactly) and the order events of every
// account a key trades as.
func (s *Server) subscribe() error {
	var err error
	s.v.Do(func(st *sim.State) {
		var unsub func()
		unsub, err = st.Subscribe("", s.hub.onMarket)
		if err != nil {
			return
		}
		s.unsubs = append(s.unsubs, unsub)
		s.hub.seed(st)
	})
	if err != nil {
		return fmt.Errorf("binance: subscribing to the venue: %w", err)
	}
	seen := map[uint32]bool{}
	for _, k := range s.v.Config().Keys {
		if seen[k.Account] {
			continue
		}
		seen[k.Account] = true
		s.unsubs = append(s.unsubs, s.v.OrderEvents(k.Account, s.onOrderEvent))
	}
	return nil
}

// Close stops serving: it unsubscribes from the venue, closes every WebSocket connection with a
// close frame (1001 going away) and the listener, and waits for the server's goroutines.
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
	unsubs := s.unsubs
	s.unsubs = nil
	s.mu.Unlock()
	if !started {
		return nil
	}
	for _, u := range unsubs {
		u()
	}
	close(s.stop)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	err := s.httpSrv.Shutdown(ctx)
	cancel()
	for _, c := range conns {
		c.closeWith(statusGoingAway, "server closing")
	}
	s.wg.Wait()
	if err != nil {
		return fmt.Errorf("binance: shutting down HTTP: %w", err)
	}
	return nil
}

// BaseURL returns the REST base URL ("http://127.0.0.1:PORT"), or "" before Start.
func (s *Server) BaseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// StreamURL returns the market-data WebSocket base ("ws://127.0.0.1:PORT"): append
// "/ws/<stream>", "/stream?streams=<a>/<b>" or "/ws".
func (s *Server) StreamURL() string { return wsURL(s.BaseURL()) }

// WSAPIURL returns the WebSocket API URL ("ws://127.0.0.1:PORT/ws-api/v3").
func (s *Server) WSAPIURL() string { return wsURL(s.BaseURL()) + "/ws-api/v3" }

func wsURL(base string) string {
	if base == "" {
		return ""
	}
	return "ws" + strings.TrimPrefix(base, "http")
}

// track registers a WebSocket connection for Close; it reports false when the server is closing.
func (s *Server) track(c *wsConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(c *wsConn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// ServeHTTP routes a request: the WebSocket API, market-data streams, REST, or the venue's error
// for an unknown path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/ws-api/v3":
		s.serveWSAPI(w, r)
	case p == "/ws" || strings.HasPrefix(p, "/ws/") || p == "/stream" || p == "/stream/":
		s.serveStreams(w, r)
	case strings.HasPrefix(p, "/api/"):
		s.serveREST(w, r)
	default:
		s.pause(s.v.Latency())
		s.writeError(w, r, errNotFound)
	}
}

// pause sleeps for d unless the server closes first.
func (s *Server) pause(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.stop:
	}
}

// nowMs returns the venue's clock in milliseconds.
func (s *Server) nowMs() int64 { return s.v.Now() / 1e6 }

// clientIP is the rate-limit key of public requests: the client's address without its port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

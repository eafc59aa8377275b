package coinbase

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	cbgw "ems/gateway/coinbase"
	"ems/sim"
)

// Options tunes a Server. The zero value is the venue's behaviour.
type Options struct {
	// HeartbeatInterval is the period of the heartbeats channel (0: 1 s, as the venue).
	HeartbeatInterval time.Duration
	// QueueLimit bounds the messages waiting to be written to one WebSocket connection; a
	// client that falls further behind is disconnected with a close frame (0: 16384).
	QueueLimit int
	// TradeSnapshot is the number of recent trades a market_trades subscription starts with
	// (0: 50).
	TradeSnapshot int
	// History is the number of orders and of fills kept per account for the historical REST
	// endpoints (0: 10000). Older ones are forgotten (the engine keeps its own bounded history).
	History int
	// ClockSkew is the leeway on a JWT's nbf and exp (0: 5 s).
	ClockSkew time.Duration
	// StalePoll is how often a connection held back by the stale fault asks again (0: 10 ms).
	StalePoll time.Duration
}

func (o Options) withDefaults() Options {
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = time.Second
	}
	if o.QueueLimit <= 0 {
		o.QueueLimit = 16384
	}
	if o.TradeSnapshot <= 0 {
		o.TradeSnapshot = 50
	}
	if o.History <= 0 {
		o.History = 10_000
	}
	if o.ClockSkew <= 0 {
		o.ClockSkew = 5 * time.Second
	}
	if o.StalePoll <= 0 {
		o.StalePoll = 10 * time.Millisecond
	}
	return o
}

// Server serves one simulated Coinbase venue on loopback: the Advanced Trade REST API under
// /api/v3/brokerage/ and the Advanced Trade WebSocket at / (market data and the user channel),
// both on one port. See the package comment for what it serves.
//
// # Concurrency
//
// HTTP handlers and WebSocket connections run on their own goroutines. Engine access goes
// through the venue (sim.Venue.Do). The server's own state (subscriptions, order metadata,
// fills, recent trades) is guarded by mu; the venue's event callbacks take mu while they run
// under the venue lock, so the lock order is venue lock, then mu: mu is never held across a
// Do call. Each connection's outbound queue has its own lock, taken last.
type Server struct {
	v    *sim.Venue
	opts Options
	keys map[string]*apiKey // by key name (JWT kid)

	mu       sync.Mutex // guards everything below until the listener fields
	conns    map[*conn]struct{}
	level2   [][]*conn // by market index: level2 subscribers
	trades   [][]*conn // by market index: market_trades subscribers
	users    map[uint32][]*conn
	accounts map[uint32]*account
	recent   [][]tradeRecord // by market index: the last TradeSnapshot trades, oldest first
	volume   []int64         // by market index: quantity traded since Start
	closed   bool

	batches []marketBatch // by market index: events of the batch in progress (venue lock)
	unsub   []func()

	ln      net.Listener
	http    *http.Server
	baseURL string
	wsURL   string
	wg      sync.WaitGroup // connection goroutines
}

// New returns a server for v. It parses the venue's Coinbase keys (each key's PublicKeyPEM, or
// the public half of its Secret) and fails on a key it cannot use.
func New(v *sim.Venue, opts Options) (*Server, error) {
	if v == nil {
		return nil, errors.New("coinbase: New: nil venue")
	}
	s := &Server{
		v:        v,
		opts:     opts.withDefaults(),
		keys:     map[string]*apiKey{},
		conns:    map[*conn]struct{}{},
		users:    map[uint32][]*conn{},
		accounts: map[uint32]*account{},
	}
	n := len(v.Markets())
	s.level2 = make([][]*conn, n)
	s.trades = make([][]*conn, n)
	s.recent = make([][]tradeRecord, n)
	s.volume = make([]int64, n)
	s.batches = make([]marketBatch, n)
	for _, k := range v.Config().Keys {
		text := k.PublicKeyPEM
		if text == "" {
			text = k.Secret
		}
		pub, err := cbgw.ParsePublicKey(text)
		if err != nil {
			return nil, fmt.Errorf("coinbase: venue %s: key %q: %w", v.Name(), k.Key, err)
		}
		s.keys[k.Key] = &apiKey{name: k.Key, pub: pub, account: k.Account}
		if _, ok := s.accounts[k.Account]; !ok {
			s.accounts[k.Account] = newAccount(k.Account, s.opts.History)
		}
	}
	return s, nil
}

// Start listens on addr, which must be a loopback address ("127.0.0.1:0" picks a port),
// subscribes to the venue's market data and order events, and serves until Close. It returns
// the REST base URL ("http://127.0.0.1:PORT"); WSURL gives the WebSocket URL. Start does not
// start the venue's stepping loop (sim.Venue.Start or Step drive the market).
func (s *Server) Start(addr string) (baseURL string, err error) {
	if err := sim.CheckLoopback("coinbase", addr); err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.ln != nil || s.closed {
		s.mu.Unlock()
		return "", errors.New("coinbase: server already started or closed")
	}
	s.mu.Unlock()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("coinbase: %w", err)
	}
	unsub, err := s.v.Subscribe("", s.onMarket)
	if err != nil {
		ln.Close()
		return "", fmt.Errorf("coinbase: %w", err)
	}
	unsubs := []func(){unsub}
	for acct := range s.accounts {
		unsubs = append(unsubs, s.v.OrderEvents(acct, s.onOrder))
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.ln, s.http, s.unsub = ln, srv, unsubs
	s.baseURL = "http://" + ln.Addr().String()
	s.wsURL = "ws://" + ln.Addr().String() + "/"
	s.mu.Unlock()
	go srv.Serve(ln)
	return s.baseURL, nil
}

// RESTURL returns the REST base URL ("http://127.0.0.1:PORT"; "" before Start). Paths are the
// venue's: RESTURL() + "/api/v3/brokerage/orders".
func (s *Server) RESTURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// WSURL returns the WebSocket URL ("ws://127.0.0.1:PORT/"; "" before Start), which serves both
// the market data channels and the user channel.
func (s *Server) WSURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wsURL
}

// Close stops listening, closes every WebSocket connection with a close frame (1001 going
// away), unsubscribes from the venue and waits for the connection goroutines. It is safe to call
// more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	srv, unsubs := s.http, s.unsub
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	var err error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = srv.Shutdown(ctx)
		cancel()
		if err != nil {
			err = srv.Close()
		}
	}
	for _, c := range conns {
		c.closeWith(closeGoingAway, "server closing")
	}
	for _, u := range unsubs {
		u()
	}
	s.wg.Wait()
	return err
}

// ServeHTTP serves a WebSocket upgrade at / and the REST API everywhere else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" && r.Method == http.MethodGet && headerHas(r.Header, "Upgrade", "websocket") {
		s.serveWS(w, r)
		return
	}
	s.serveREST(w, r)
}

// delay sleeps for the venue's latency.
func (s *Server) delay() {
	if d := s.v.Latency(); d > 0 {
		time.Sleep(d)
	}
}

// nowSeconds returns the venue's clock in Unix seconds.
func (s *Server) nowSeconds() int64 { return s.v.Now() / int64(time.Second) }

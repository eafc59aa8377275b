package bybit

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"

	"ems/sim"
)

// Options tune a Server. The zero value is usable.
type Options struct {
	// QueueLen is the number of frames a WebSocket connection may have waiting before it is
	// closed as a slow consumer (0: DefaultQueueLen).
	QueueLen int
	// Log receives one line per failed upgrade or refused connection (nil: silent).
	Log io.Writer
}

// DefaultQueueLen is Options.QueueLen's default.
const DefaultQueueLen = 1 << 14

var errClosed = errors.New("bybit: server closed")

// Server serves one simulated Bybit venue on loopback: the v5 REST API and the public, private
// and trade WebSockets (see the package documentation for what is served).
//
// # Concurrency
//
// net/http runs the REST handlers and each WebSocket's reader on their own goroutines; each
// WebSocket also has a writer goroutine. Engine calls go through Venue.Do. The venue's callbacks
// (market data, order events) run under the venue lock and take mu; request handlers take mu
// alone. Lock order: the venue lock, then mu; nothing holding mu calls into the Venue except
// Fault and the rate limiters, which have their own locks.
type Server struct {
	v        *sim.Venue
	opts     Options
	mkts     []*mkt                // by sim.Market.Index; fixed at New
	bySym    [3]map[string]*mkt    // by category, then symbol; fixed at New
	accts    map[uint32]*account   // the keys' accounts; the map is fixed at New
	keyOf    map[uint32]sim.APIKey // an API key of each account (user query); fixed at New
	start    atomic.Int64          // venue time of Start (ns), for the key's creation time
	life     sync.Mutex            // Start and Close
	connSeq  atomic.Uint64
	traceSeq atomic.Uint64 // trade WebSocket answers' Traceid

	mu       sync.Mutex // everything below, and the state listed on mkt, account and wsConn
	closed   bool
	conns    map[*wsConn]struct{}
	suppress map[orderKey]struct{} // orders refused synchronously: their rejection is not pushed
	meta     metaStore
	msgSeq   uint64 // private message ids
	pushed   pushStats

	ln    net.Listener
	hs    *http.Server
	base  string
	unsub []func()
	wg    sync.WaitGroup // connection writers and the HTTP server
}

// pushStats count the market data pushed (per subscriber: a message to two connections counts
// twice). Guarded by mu.
type pushStats struct {
	messages, levels, bytes uint64
}

// New returns a server for v. It serves nothing until Start.
func New(v *sim.Venue, opts Options) (*Server, error) {
	if v == nil {
		return nil, errors.New("bybit: New: nil venue")
	}
	if v.Name() != "bybit" {
		return nil, fmt.Errorf("bybit: New: venue %q is not bybit", v.Name())
	}
	if opts.QueueLen <= 0 {
		opts.QueueLen = DefaultQueueLen
	}
	s := &Server{
		v: v, opts: opts,
		accts:    map[uint32]*account{},
		keyOf:    map[uint32]sim.APIKey{},
		conns:    map[*wsConn]struct{}{},
		suppress: map[orderKey]struct{}{},
		meta:     newMetaStore(metaCap),
	}
	for c := range s.bySym {
		s.bySym[c] = map[string]*mkt{}
	}
	for _, m := range v.Markets() {
		k := newMkt(m)
		s.mkts = append(s.mkts, k)
		s.bySym[k.cat][k.sym] = k
	}
	for _, key := range v.Config().Keys {
		if _, ok := s.accts[key.Account]; !ok {
			s.accts[key.Account] = newAccount(key.Account)
			s.keyOf[key.Account] = key
		}
	}
	return s, nil
}

// market returns the market of symbol in category c.
func (s *Server) market(c category, symbol string) (*mkt, bool) {
	if c != catSpot && c != catLinear {
		return nil, false
	}
	k, ok := s.bySym[c][symbol]
	return k, ok
}

// Start listens on addr, which must be a loopback address ("127.0.0.1:0" picks a port), starts
// serving and returns the REST base URL ("http://127.0.0.1:port"). It subscribes to the venue's
// market data and order events first, so the books are seeded (Venue.Do) if they were not yet.
func (s *Server) Start(addr string) (string, error) {
	s.life.Lock()
	defer s.life.Unlock()
	if s.ln != nil || s.isClosed() {
		return "", errors.New("bybit: Start: already started or closed")
	}
	if err := sim.CheckLoopback("bybit", addr); err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("bybit: listen %s: %w", addr, err)
	}
	if err := s.attach(); err != nil {
		ln.Close()
		return "", err
	}
	s.ln = ln
	s.base = "http://" + ln.Addr().String()
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.hs.Serve(ln)
	}()
	return s.base, nil
}

// attach subscribes to the venue: the market data of every market (with a consistent snapshot
// of each book as the starting mirror) and the order events of every key's account.
func (s *Server) attach() error {
	var err error
	var unsub func()
	s.v.Do(func(st *sim.State) {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, k := range s.mkts {
			if err = k.initMirror(st); err != nil {
				return
			}
		}
		unsub, err = st.Subscribe("", s.onMarket)
	})
	if err != nil {
		return fmt.Errorf("bybit: subscribe to venue %s: %w", s.v.Name(), err)
	}
	s.start.Store(s.v.Now())
	s.unsub = append(s.unsub, unsub)
	for id := range s.accts {
		s.unsub = append(s.unsub, s.v.OrderEvents(id, s.onOrder))
	}
	return nil
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close stops serving: the listener and every REST connection close, every WebSocket gets a
// close frame (1001), and the venue subscriptions end. It waits for the connections' goroutines.
func (s *Server) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	conns := make([]*wsConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	var err error
	if s.hs != nil {
		err = s.hs.Close()
	}
	for _, c := range conns {
		c.shutdown(ws.StatusGoingAway, "server closing")
	}
	for _, u := range s.unsub {
		u()
	}
	s.unsub = nil
	s.wg.Wait()
	return err
}

// URL returns the REST base URL ("http://127.0.0.1:port"), "" before Start.
func (s *Server) URL() string { return s.base }

// PublicURL returns the public WebSocket URL of category "spot" or "linear".
func (s *Server) PublicURL(category string) string { return s.wsBase() + "/v5/public/" + category }

// PrivateURL returns the private WebSocket URL (order and execution streams).
func (s *Server) PrivateURL() string { return s.wsBase() + "/v5/private" }

// TradeURL returns the trade WebSocket URL (order entry).
func (s *Server) TradeURL() string { return s.wsBase() + "/v5/trade" }

func (s *Server) wsBase() string {
	if s.ln == nil {
		return ""
	}
	return "ws://" + s.ln.Addr().String()
}

// logf writes one line to Options.Log.
func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "bybit: "+format+"\n", args...)
	}
}

// ServeHTTP routes a request: the WebSocket endpoints, then the REST API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/v5/public/spot":
		s.servePublic(w, r, catSpot)
	case "/v5/public/linear":
		s.servePublic(w, r, catLinear)
	case "/v5/private":
		s.servePrivate(w, r)
	case "/v5/trade":
		s.serveTrade(w, r)
	default:
		s.serveREST(w, r)
	}
}

package coinbase

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/core/intern"
	"ems/feed/transport"
	"ems/gateway"
)

// Market is one listing the Session trades.
type Market struct {
	Listing *instrument.Listing
	Quote   string // the quote asset: the asset of fill commissions
}

// MarketsOf returns the markets of venue in master.
func MarketsOf(master *instrument.Master, venue event.VenueID) []Market {
	var out []Market
	for i := range master.Instruments() {
		in := &master.Instruments()[i]
		if l, ok := in.Listing(venue); ok {
			out = append(out, Market{Listing: l, Quote: in.Quote})
		}
	}
	return out
}

// Config configures a Session.
type Config struct {
	Venue  event.VenueID
	Prefix string // client order id prefix (gateway.CheckPrefix)
	// Credentials: Key is the API key name ("organizations/{org}/apiKeys/{id}"), PrivateKey (or
	// Secret) its private key as ParseKey reads it.
	Credentials gateway.Credentials
	RESTURL     string // "https://api.coinbase.com" or "http://127.0.0.1:PORT"
	WSURL       string // "wss://advanced-trade-ws-user.coinbase.com" or the simulator's
	Markets     []Market
	// VenueOrders interns venue order ids, Assets fee asset names (nil: the Session's own).
	VenueOrders *intern.Table
	Assets      *intern.Table
	Limits      Limits // budgets of the Session's own Limiter (ignored when Limiter is set)
	// Limiter is the account's Limiter, shared by every Session of the account in the process
	// (NewLimiter); nil: the Session makes its own from Limits.
	Limiter *Limiter
	// Clock returns the time in nanoseconds since the Unix epoch (nil: the wall clock). It stamps
	// events, dates JWTs and drives the rate limiter.
	Clock      func() int64
	MaxOrders  int           // live orders tracked (0: 4096)
	TradeIDs   int           // trade ids remembered for de-duplication (0: 65536)
	Timeout    time.Duration // per HTTP request and WebSocket read of the handshake (0: 5 s)
	Reconnect  transport.Backoff
	FillsLimit int // fills asked per order (0: 100)
}

// Session is one Coinbase Advanced Trade account's order entry: orders and cancels over a
// keep-alive HTTP connection, order updates from the WebSocket user channel, fills from
// orders/historical/fills, reconciliation after a reconnect.
//
// # Goroutines and state
//
// Send runs on the caller's goroutine (one at a time: the gateway's ring consumer) and owns the
// sending side (its Encoder, HTTP connection and Parser). A reader goroutine started by Start
// owns the WebSocket and a second HTTP connection for fills and reconciliation. The order table,
// the trade-id set and the interning tables are shared and guarded by mu (the rate Limiter has
// its own lock, as it may be shared with the account's other Sessions); the
// sink is called with mu held, so the two sides' events never interleave within one call and
// reach the sink in the order the Session decided them.
type Session struct {
	cfg      Config
	sink     func([]event.Event)
	markets  []Market
	byInstr  map[event.InstrumentID]int32
	feeAsset []uint32
	restAddr string
	tls      bool

	mu       sync.Mutex
	orders   orderTable
	trades   tradeSet
	lim      *Limiter // possibly shared with other sessions; has its own lock
	venueIDs *intern.Table
	assets   *intern.Table
	ready    bool
	closed   bool

	tx side // Send's
	rx side // the reader's

	ws       *transport.Conn // the reader's
	wsMu     sync.Mutex      // held by the reader while it dials ws; by others to interrupt a read
	seq      int64           // the user channel's last sequence_num (reader)
	seqKnown bool
	gen      uint32          // reconciliation generation (guarded by mu)
	lost     []event.OrderID // reconciliation scratch (guarded by mu)
	cancel   context.CancelFunc
	done     chan struct{}
}

// side is one goroutine's request machinery.
type side struct {
	enc  *Encoder
	http *httpConn
	p    *Parser // answers to create, cancel and orders/historical/batch
	up   *Parser // user channel messages (reader side only)
	fp   *Parser // answers to orders/historical/fills
	req  []byte
	vid  []byte // a venue order id copied out of the interning table
	out  []event.Event
}

// ErrConfig is wrapped by configuration errors.
var ErrConfig = errors.New("coinbase: session config")

// NewSession checks cfg and returns a Session that will emit to sink. sink receives events in a
// slice valid only during the call, with the Session's lock held: it must copy them out and must
// not call the Session.
func NewSession(cfg Config, sink func([]event.Event)) (*Session, error) {
	if sink == nil {
		return nil, fmt.Errorf("%w: nil sink", ErrConfig)
	}
	if cfg.Clock == nil {
		cfg.Clock = func() int64 { return time.Now().UnixNano() }
	}
	if cfg.MaxOrders <= 0 {
		cfg.MaxOrders = 4096
	}
	if cfg.TradeIDs <= 0 {
		cfg.TradeIDs = 65536
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.FillsLimit <= 0 {
		cfg.FillsLimit = 100
	}
	u, err := url.Parse(cfg.RESTURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: RESTURL %q", ErrConfig, cfg.RESTURL)
	}
	s := &Session{cfg: cfg, sink: sink, byInstr: map[event.InstrumentID]int32{}, tls: u.Scheme == "https"}
	s.restAddr = u.Host
	if u.Port() == "" {
		if s.tls {
			s.restAddr += ":443"
		} else {
			s.restAddr += ":80"
		}
	}
	s.venueIDs, s.assets = cfg.VenueOrders, cfg.Assets
	if s.venueIDs == nil {
		s.venueIDs = intern.New(cfg.MaxOrders*4, cfg.MaxOrders*4*36, 0)
	}
	if s.assets == nil {
		s.assets = intern.New(16, 128, 0)
	}
	for _, m := range cfg.Markets {
		if m.Listing == nil {
			return nil, fmt.Errorf("%w: market without listing", ErrConfig)
		}
		a, err := s.assets.Intern([]byte(m.Quote))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		s.byInstr[m.Listing.Instrument] = int32(len(s.markets))
		s.markets = append(s.markets, m)
		s.feeAsset = append(s.feeAsset, a)
	}
	secret := cfg.Credentials.PrivateKey
	if secret == "" {
		secret = cfg.Credentials.Secret
	}
	for _, sd := range []*side{&s.tx, &s.rx} {
		k, err := ParseKey(cfg.Credentials.Key, secret)
		if err != nil {
			return nil, err
		}
		if sd.enc, err = NewEncoder(cfg.Prefix, k, u.Host); err != nil {
			return nil, err
		}
		sd.http = newHTTPConn(s.restAddr, cfg.Timeout, s.tls, u.Hostname())
		sd.p, sd.up, sd.fp = NewParser(), NewParser(), NewParser()
		sd.req = make([]byte, 0, 2048)
		sd.out = make([]event.Event, 0, 16)
	}
	s.orders = newOrderTable(cfg.MaxOrders)
	s.trades = newTradeSet(cfg.TradeIDs)
	if s.lim = cfg.Limiter; s.lim == nil {
		s.lim = NewLimiter(cfg.Limits)
	}
	return s, nil
}

// Start connects the user channel, waits for its snapshot, and starts the reader goroutine.
// Orders are accepted once Start has returned nil.
func (s *Session) Start(ctx context.Context) error {
	if s.cfg.WSURL == "" {
		return fmt.Errorf("%w: no WSURL", ErrConfig)
	}
	s.ws = transport.NewConn(transport.Config{MaxFrameSize: 16 << 20, HandshakeTimeout: s.cfg.Timeout})
	if err := s.connectUser(ctx); err != nil {
		return err
	}
	rctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.done = make(chan struct{})
	s.mu.Lock()
	s.ready = true
	s.status(&s.rx, event.VenueConnected, event.VenueReasonConnect)
	s.flush(&s.rx)
	s.mu.Unlock()
	go s.readLoop(rctx)
	return nil
}

// Close stops the reader and closes the connections. Send refuses orders afterwards.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed, s.ready = true, false
	s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
	if s.done != nil {
		// Interrupt the reader's read (again, in case it had just set a new deadline).
		for stopped := false; !stopped; {
			s.interrupt()
			select {
			case <-s.done:
				stopped = true
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	if s.ws != nil {
		s.ws.Close()
	}
	s.tx.http.close()
	s.rx.http.close()
	return nil
}

// interrupt makes the reader's blocked read return.
func (s *Session) interrupt() {
	s.wsMu.Lock()
	s.ws.SetReadDeadline(time.Unix(1, 0))
	s.wsMu.Unlock()
}

func (s *Session) now() int64 { return s.cfg.Clock() }

// Send sends one core request: KindNewOrder, KindCancel or KindReplace (orders/edit, see
// sendReplace). Every outcome is an event to the sink (OrderAck, Reject,
// VenueStatus); Send returns an error only for an event kind it does not take.
//
// REQUIRES: one caller at a time.
func (s *Session) Send(ev *event.Event) error {
	switch ev.Kind {
	case event.KindNewOrder:
		s.sendOrder(ev)
	case event.KindCancel:
		s.sendCancel(ev)
	case event.KindReplace:
		s.sendReplace(ev)
	default:
		return fmt.Errorf("coinbase: Send: event kind %s is not a request", ev.Kind)
	}
	return nil
}

func (s *Session) sendOrder(ev *event.Event) {
	o := ev.Order()
	now := s.now()
	sd := &s.tx
	s.mu.Lock()
	mi, known := s.byInstr[ev.Instrument]
	refused := true
	switch {
	case !known:
		s.reject(sd, ev.Instrument, o.Order, o.Parent, 0, event.RejectUnknownSymbol)
	case !s.ready:
		s.reject(sd, ev.Instrument, o.Order, o.Parent, 0, event.RejectVenueUnavailable)
	case s.orders.get(o.Order) != nil:
		s.reject(sd, ev.Instrument, o.Order, o.Parent, 0, event.RejectDuplicate)
	case !s.lim.allow(now, true):
		s.rateLimited(sd, ev.Instrument, o.Order, o.Parent, 0)
	case s.orders.add(orderState{id: o.Order, parent: o.Parent, instrument: ev.Instrument, market: mi,
		price: o.Price, qty: o.Qty, inflight: true}) == nil:
		s.reject(sd, ev.Instrument, o.Order, o.Parent, 0, event.RejectInvalidRequest) // table full
	default:
		refused = false
	}
	if refused {
		s.flush(sd)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	req, err := sd.enc.AppendNewOrder(sd.req[:0], o, s.markets[mi].Listing, now/int64(time.Second))
	sd.req = req
	if err != nil {
		s.mu.Lock()
		s.orders.remove(o.Order)
		s.reject(sd, ev.Instrument, o.Order, o.Parent, 0, event.RejectInvalidRequest)
		s.flush(sd)
		s.mu.Unlock()
		return
	}
	status, body, err := sd.http.roundTrip(req)
	var res CreateResult
	if err == nil {
		res, err = sd.p.ParseCreate(status, body)
	}
	s.mu.Lock()
	st := s.orders.get(o.Order)
	if st == nil {
		// The user channel was faster: it acknowledged and finished the order (an IOC that
		// filled at once) before this answer came.
		s.mu.Unlock()
		return
	}
	st.inflight = false
	if err != nil {
		// No answer: the venue may have the order. The user channel or reconciliation decides.
		st.unknown = true
		s.mu.Unlock()
		s.reconcile(sd)
		return
	}
	switch {
	case res.OK:
		s.lim.ok()
		s.ack(sd, st, res.VenueOrder, now)
	case status == 429:
		s.orders.remove(o.Order)
		s.rateLimited(sd, ev.Instrument, o.Order, o.Parent, res.Failure.VenueCode)
		s.lim.throttled(now)
	default:
		s.lim.ok()
		s.orders.remove(o.Order)
		s.reject(sd, ev.Instrument, o.Order, o.Parent, res.Failure.VenueCode, res.Failure.Reason)
	}
	s.flush(sd)
	s.mu.Unlock()
}

func (s *Session) sendCancel(ev *event.Event) {
	c := ev.Cancel()
	now := s.now()
	sd := &s.tx
	s.mu.Lock()
	st := s.orders.get(c.Order)
	switch {
	case st == nil || st.venue == 0:
		// Unknown, finished, or not acknowledged yet (no venue order id to cancel).
		s.reject(sd, ev.Instrument, c.Order, c.Parent, 0, event.RejectUnknownOrder)
	case !s.ready:
		s.reject(sd, ev.Instrument, c.Order, c.Parent, 0, event.RejectVenueUnavailable)
	case !s.lim.allow(now, false):
		s.rateLimited(sd, ev.Instrument, c.Order, c.Parent, 0)
	default:
		sd.vid = append(sd.vid[:0], s.venueIDs.Name(uint32(st.venue))...)
	}
	if len(sd.out) > 0 { // refused
		s.flush(sd)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	req, err := sd.enc.AppendCancel(sd.req[:0], sd.vid, now/int64(time.Second))
	sd.req = req
	var status int
	var body []byte
	if err == nil {
		status, body, err = sd.http.roundTrip(req)
	}
	var results []CancelResult
	var fail Failure
	if err == nil {
		results, fail, err = sd.p.ParseCancel(status, body)
	}
	if err != nil {
		// No answer: the cancel may have happened. Ask the venue; an order still open after
		// that was not cancelled.
		rerr := s.reconcile(sd)
		s.mu.Lock()
		if rerr != nil || s.orders.get(c.Order) != nil {
			s.reject(sd, ev.Instrument, c.Order, c.Parent, 0, event.RejectVenueUnavailable)
			s.flush(sd)
		}
		s.mu.Unlock()
		return
	}
	s.mu.Lock()
	switch {
	case status == 429:
		s.rateLimited(sd, ev.Instrument, c.Order, c.Parent, fail.VenueCode)
		s.lim.throttled(now)
	case status != 200:
		s.lim.ok()
		s.reject(sd, ev.Instrument, c.Order, c.Parent, fail.VenueCode, fail.Reason)
	case len(results) != 1:
		s.reject(sd, ev.Instrument, c.Order, c.Parent, 0, event.RejectUnknown)
	case results[0].OK:
		s.lim.ok()
		if st := s.orders.get(c.Order); st != nil {
			st.cancelSent = true // the CancelAck comes with the order's CANCELLED update
		}
	default:
		s.lim.ok()
		f := results[0].Failure
		s.reject(sd, ev.Instrument, c.Order, c.Parent, f.VenueCode, f.Reason)
	}
	s.flush(sd)
	s.mu.Unlock()
}

// sendReplace edits an acknowledged order with orders/edit. Coinbase keeps the order's id, so
// the order stays r.Order (r.NewOrder is not used). A success answers OrderAck{Order: r.Order,
// the same VenueOrder, the new Price and Qty, Leaves: Qty less the fills seen}; a refusal
// answers Reject{Order: r.Order} with the edit failure mapped, and the order stays as it was.
// An edit whose answer was lost is reconciled: the order's state stays as the Session knew it
// and a Reject(RejectVenueUnavailable) reports that the outcome is unknown.
func (s *Session) sendReplace(ev *event.Event) {
	r := ev.Replace()
	now := s.now()
	sd := &s.tx
	s.mu.Lock()
	st := s.orders.get(r.Order)
	switch {
	case st == nil || st.venue == 0 || st.cancelSent:
		// Unknown, finished, being cancelled, or not acknowledged yet (no venue order id).
		s.reject(sd, ev.Instrument, r.Order, r.Parent, 0, event.RejectUnknownOrder)
	case !s.ready:
		s.reject(sd, ev.Instrument, r.Order, r.Parent, 0, event.RejectVenueUnavailable)
	case !s.lim.allow(now, true):
		s.rateLimited(sd, ev.Instrument, r.Order, r.Parent, 0)
	default:
		sd.vid = append(sd.vid[:0], s.venueIDs.Name(uint32(st.venue))...)
		st.editQty = r.Qty
	}
	var l *instrument.Listing
	if st != nil {
		l = s.markets[st.market].Listing
	}
	if len(sd.out) > 0 { // refused
		s.flush(sd)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	req, err := sd.enc.AppendEdit(sd.req[:0], sd.vid, r, l, now/int64(time.Second))
	sd.req = req
	if err != nil {
		s.mu.Lock()
		s.endEdit(r.Order)
		s.reject(sd, ev.Instrument, r.Order, r.Parent, 0, event.RejectInvalidRequest)
		s.flush(sd)
		s.mu.Unlock()
		return
	}
	status, body, err := sd.http.roundTrip(req)
	var res EditResult
	if err == nil {
		res, err = sd.p.ParseEdit(status, body)
	}
	if err != nil {
		s.reconcile(sd)
		s.mu.Lock()
		s.endEdit(r.Order)
		s.reject(sd, ev.Instrument, r.Order, r.Parent, 0, event.RejectVenueUnavailable)
		s.flush(sd)
		s.mu.Unlock()
		return
	}
	s.mu.Lock()
	s.endEdit(r.Order)
	switch {
	case status == 429:
		s.rateLimited(sd, ev.Instrument, r.Order, r.Parent, res.Failure.VenueCode)
		s.lim.throttled(now)
	case !res.OK:
		s.lim.ok()
		s.reject(sd, ev.Instrument, r.Order, r.Parent, res.Failure.VenueCode, res.Failure.Reason)
	default:
		s.lim.ok()
		// An order the edit traded out is already finished (its fills and terminal event
		// stand for the answer); a live one is acknowledged with its new figures.
		if st := s.orders.get(r.Order); st != nil {
			st.price, st.qty = r.Price, r.Qty
			e := s.header(sd, event.KindOrderAck, st.instrument)
			*e.OrderAck() = event.OrderAck{Order: st.id, VenueOrder: st.venue, Price: st.price, Qty: st.qty,
				Leaves: max(st.qty-st.filled, 0)}
		}
	}
	s.flush(sd)
	s.mu.Unlock()
}

// endEdit clears the order's edit in flight. REQUIRES: s.mu.
func (s *Session) endEdit(id event.OrderID) {
	if st := s.orders.get(id); st != nil {
		st.editQty = 0
	}
}

// Events. Each appends to sd.out; flush hands sd.out to the sink. REQUIRES: s.mu.

func (s *Session) header(sd *side, kind event.Kind, instr event.InstrumentID) *event.Event {
	sd.out = append(sd.out, event.Event{Kind: kind, Venue: s.cfg.Venue, Instrument: instr, RecvTS: s.now()})
	return &sd.out[len(sd.out)-1]
}

func (s *Session) reject(sd *side, instr event.InstrumentID, id event.OrderID, parent event.ParentID, code int64, reason event.RejectReason) {
	e := s.header(sd, event.KindReject, instr)
	*e.Reject() = event.Reject{Order: id, Parent: parent, VenueCode: code, Reason: reason}
}

// rateLimited refuses a request for the rate limit and says the venue is throttled.
func (s *Session) rateLimited(sd *side, instr event.InstrumentID, id event.OrderID, parent event.ParentID, code int64) {
	s.reject(sd, instr, id, parent, code, event.RejectRateLimit)
	s.status(sd, event.VenueThrottled, event.VenueReasonRateLimit)
}

func (s *Session) status(sd *side, state event.VenueState, reason event.VenueReason) {
	e := s.header(sd, event.KindVenueStatus, 0)
	*e.VenueStatus() = event.VenueStatus{State: state, Reason: reason}
}

// ack emits st's OrderAck once, interning its venue order id.
func (s *Session) ack(sd *side, st *orderState, venueOrder []byte, now int64) {
	if st.acked {
		return
	}
	if st.venue == 0 {
		id, err := s.venueIDs.Intern(venueOrder)
		if err != nil {
			return // interning table full: the order stays unacknowledged
		}
		st.venue = event.VenueOrderID(id)
	}
	st.acked, st.unknown = true, false
	e := s.header(sd, event.KindOrderAck, st.instrument)
	*e.OrderAck() = event.OrderAck{Order: st.id, VenueOrder: st.venue, Price: st.price, Qty: st.qty,
		Leaves: st.qty - st.filled}
}

func (s *Session) flush(sd *side) {
	if len(sd.out) > 0 {
		s.sink(sd.out)
		sd.out = sd.out[:0]
	}
}

// parseQty reads decimal text at the scale of market mi's quantities; 0 on error.
func (s *Session) parseQty(mi int32, b []byte) int64 {
	v, err := fixed.Parse(b, s.markets[mi].Listing.QtyScale)
	if err != nil {
		return 0
	}
	return v
}

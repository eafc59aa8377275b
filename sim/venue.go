package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/sim/flow"
	"ems/sim/match"
)

// Venue is one simulated exchange: a matching Engine and a background Flow per instrument, the
// accounts' credentials, rate limits and fault settings. Protocol servers translate wire requests
// into calls on it and its events into wire messages.
//
// # Concurrency
//
// The Engines, Flows and subscriber lists are guarded by one mutex, the venue lock: Do runs a
// function with it held, Step (and the Start loop) hold it while the flows trade, and event
// callbacks run under it at the end of each batch. A mutex is enough here: the simulator stands
// in for a remote exchange and is not the EMS's hot path; it keeps each Engine single-threaded
// as the Engine requires while protocol handlers run on their own goroutines. Fault, Allow and
// AllowOrder have their own locks and may be called anywhere; Market, Markets, Key and the
// other accessors read immutable data.
type Venue struct {
	cfg     VenueConfig
	id      event.VenueID
	name    string
	seed    uint64
	clock   func() int64
	markets []*Market
	byKey   map[string]*Market // canonical names, and venue symbols (nil when two markets share one)
	keys    map[string]APIKey

	mu       sync.Mutex // the venue lock: everything below until faults
	state    State
	seeded   bool
	seedErr  error // a seeding failure in Do, returned by the next Step
	batchTS  int64
	subs     subscribers
	pendingM []MarketEvent
	pendingO []OrderEvent
	final    []bool // by Market.Index, scratch of flush

	faults faults
	limit  *Limiter // request weight
	orders *Limiter // order count

	run struct {
		mu     sync.Mutex
		cancel context.CancelFunc
		done   chan struct{}
		err    error
	}
}

// NewVenue builds the venue cfg describes from the instrument master: for each instrument the
// master's listing on the venue gives the symbol and the Engine rules (tick, lot, minimums,
// scales, fees), and cfg's market entry the Flow. seed is the simulator's seed: the venue derives
// its flows' and faults' seeds from it and its id, and the mid's walk of each instrument from it
// and the instrument alone, so every venue of one simulator moves together.
//
// The books are empty until the first Step or Do, which seeds them at its time.
func NewVenue(cfg VenueConfig, master *instrument.Master, seed uint64) (*Venue, error) {
	if master == nil {
		return nil, errors.New("sim: NewVenue: nil instrument master")
	}
	cfg.Instruments = slices.Clone(cfg.Instruments)
	cfg.Faults = slices.Clone(cfg.Faults)
	cfg.Keys = slices.Clone(cfg.Keys)
	cfg.Markets = slices.Clone(cfg.Markets)
	path := cfg.Name
	if path == "" {
		path = "venue"
	}
	if err := cfg.validate(path); err != nil {
		return nil, err
	}
	id, _ := instrument.VenueByName(cfg.Name)
	v := &Venue{
		cfg:    cfg,
		id:     id,
		name:   cfg.Name,
		seed:   derive(seed, 1, uint64(id)),
		clock:  cfg.Clock,
		byKey:  map[string]*Market{},
		keys:   map[string]APIKey{},
		limit:  NewLimiter(cfg.RateLimit.Weight, cfg.RateLimit.Window),
		orders: NewLimiter(cfg.RateLimit.Orders, cfg.RateLimit.OrderWindow),
	}
	if v.clock == nil {
		v.clock = func() int64 { return time.Now().UnixNano() }
	}
	v.state.v = v
	v.subs.accounts = map[uint32][]subscriber[OrderEvent]{}
	symbols := map[string]int{}
	for i, name := range cfg.Instruments {
		m, err := v.newMarket(i, name, master, seed)
		if err != nil {
			return nil, err
		}
		v.markets = append(v.markets, m)
		v.byKey[name] = m
		symbols[m.Symbol]++
	}
	for _, m := range v.markets {
		if _, isName := v.byKey[m.Symbol]; !isName && symbols[m.Symbol] == 1 {
			v.byKey[m.Symbol] = m
		}
	}
	v.subs.market = make([][]subscriber[MarketEvent], len(v.markets))
	v.final = make([]bool, len(v.markets))
	for i, f := range cfg.Faults {
		fs := faultState{Fault: f, market: -1,
			rng: rand.New(rand.NewPCG(derive(v.seed, 3, uint64(i)), 0))}
		if f.Symbol != "" {
			m, ok := v.Market(f.Symbol)
			if !ok {
				return nil, configErr(fmt.Sprintf("%s.faults[%d].symbol", path, i), nil,
					"%q is not one of the venue's instruments (or is an ambiguous symbol: use the canonical name)", f.Symbol)
			}
			fs.market = m.Index
		}
		v.faults.list = append(v.faults.list, fs)
	}
	for _, k := range cfg.Keys {
		v.keys[k.Key] = k
	}
	return v, nil
}

// newMarket builds market i of the venue: instrument name, its listing, Engine and Flow.
func (v *Venue) newMarket(i int, name string, master *instrument.Master, seed uint64) (*Market, error) {
	in, ok := master.ByName(name)
	if !ok {
		return nil, fmt.Errorf("%w: venue %s: instrument %q is not in the instrument master", ErrConfig, v.name, name)
	}
	l, ok := in.Listing(v.id)
	if !ok {
		return nil, fmt.Errorf("%w: venue %s: instrument %q has no %s listing in the instrument master",
			ErrConfig, v.name, name, v.name)
	}
	mi := slices.IndexFunc(v.cfg.Markets, func(mc MarketConfig) bool { return mc.Instrument == name })
	mc := &v.cfg.Markets[mi] // validate guarantees one
	m := &Market{Name: name, Symbol: l.Symbol, Index: i, Listing: l}
	rules, err := rulesOf(l)
	if err != nil {
		return nil, marketErr(v.name, name, err)
	}
	if m.engine, err = match.New(l.Symbol, rules, &listener{v: v, m: m}); err != nil {
		return nil, marketErr(v.name, name, err)
	}
	fc, err := flowConfig(mc, l, &v.cfg, fmt.Sprintf("%s.markets[%d]", v.name, mi))
	if err != nil {
		return nil, err
	}
	fc.Seed = derive(v.seed, 2, uint64(in.ID))
	fc.MidSeed = derive(seed, 4, uint64(in.ID))
	if m.flow, err = flow.New(fc, m.engine); err != nil {
		return nil, marketErr(v.name, name, err)
	}
	return m, nil
}

// NewVenues validates cfg (Config.Validate, on a copy) and builds its venues in order.
func NewVenues(cfg Config, master *instrument.Master) ([]*Venue, error) {
	cfg.Venues = slices.Clone(cfg.Venues)
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	vs := make([]*Venue, 0, len(cfg.Venues))
	for _, vc := range cfg.Venues {
		v, err := NewVenue(vc, master, cfg.Seed)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// Name returns the venue's name ("binance").
func (v *Venue) Name() string { return v.name }

// ID returns the venue's id in the instrument master.
func (v *Venue) ID() event.VenueID { return v.id }

// Config returns the venue's configuration with defaults applied. Its slices are the venue's:
// read only.
func (v *Venue) Config() VenueConfig { return v.cfg }

// Latency returns the delay protocol servers add before each response and push.
func (v *Venue) Latency() time.Duration { return v.cfg.Latency }

// Now returns the venue's clock (VenueConfig.Clock, or the wall clock), ns since the Unix epoch.
func (v *Venue) Now() int64 { return v.clock() }

// Markets returns the venue's markets in configuration order (read only).
func (v *Venue) Markets() []*Market { return v.markets }

// Market returns the market called key: a canonical instrument name, or a venue symbol that
// names one market of the venue (Bybit's "BTCUSDT" is ambiguous when the venue lists both the
// spot pair and the perpetual: use MarketIn or the canonical name).
func (v *Venue) Market(key string) (*Market, bool) {
	m, ok := v.byKey[key]
	return m, ok
}

// MarketIn returns the market with venue symbol symbol in segment seg.
func (v *Venue) MarketIn(seg instrument.Segment, symbol string) (*Market, bool) {
	for _, m := range v.markets {
		if m.Symbol == symbol && m.Listing.Segment == seg {
			return m, true
		}
	}
	return nil, false
}

// Key returns the credential with API key key.
func (v *Venue) Key(key string) (APIKey, bool) {
	k, ok := v.keys[key]
	return k, ok
}

// Do runs fn with exclusive access to the venue's state (the venue lock), then delivers the
// events fn's Engine calls produced to the subscribers. The first Do or Step seeds the books.
//
// REQUIRES: fn does not call Do, Step, Subscribe, OrderEvents or an unsubscribe function, and
// does not keep s.
func (v *Venue) Do(fn func(s *State)) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.clock()
	if err := v.seedLocked(now); err != nil {
		v.seedErr = err // Do has no error to return: the next Step returns it
	}
	v.batchTS, v.state.now = now, now
	fn(&v.state)
	v.flush()
}

// Step advances every market's flow to simulated time now and delivers the events. The first
// Step (or Do) seeds the books at its time and starts the fault clock; later Steps are
// deterministic: two venues built from the same configuration and seed, given the same Steps
// and Do calls, produce the same events.
func (v *Venue) Step(now int64) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.seeded {
		return v.seedLocked(now)
	}
	if err := v.seedErr; err != nil {
		v.seedErr = nil
		return err
	}
	v.batchTS = now
	var first error
	for _, m := range v.markets {
		if err := m.flow.Step(now); err != nil && first == nil {
			first = marketErr(v.name, m.Name, err)
		}
	}
	v.flush()
	return first
}

// seedLocked seeds every market's book at ts unless done already. REQUIRES: the venue lock.
func (v *Venue) seedLocked(ts int64) error {
	if v.seeded {
		return nil
	}
	v.seeded = true
	v.faults.begin(ts)
	v.batchTS = ts
	var first error
	for _, m := range v.markets {
		if err := m.flow.Seed(ts); err != nil && first == nil {
			first = marketErr(v.name, m.Name, err)
		}
	}
	v.flush()
	return first
}

// Start runs Step every StepInterval on its own goroutine, at the venue's clock, until ctx ends
// or Close is called; the first Step runs at once. It fails when the venue is already running.
// A Step error stops the loop; Close returns it.
func (v *Venue) Start(ctx context.Context) error {
	v.run.mu.Lock()
	defer v.run.mu.Unlock()
	if v.run.cancel != nil {
		return fmt.Errorf("sim: venue %s: already started", v.name)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	v.run.cancel, v.run.done, v.run.err = cancel, done, nil
	go func() {
		defer close(done)
		if err := v.loop(ctx); err != nil {
			v.run.mu.Lock()
			v.run.err = err
			v.run.mu.Unlock()
		}
	}()
	return nil
}

func (v *Venue) loop(ctx context.Context) error {
	if err := v.Step(v.clock()); err != nil {
		return err
	}
	t := time.NewTicker(v.cfg.StepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := v.Step(v.clock()); err != nil {
				return err
			}
		}
	}
}

// Close stops the loop Start runs, waits for it, and returns the Step error that stopped it, if
// any. Close without Start does nothing; Start may be called again after Close.
func (v *Venue) Close() error {
	v.run.mu.Lock()
	cancel, done := v.run.cancel, v.run.done
	v.run.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	<-done
	v.run.mu.Lock()
	defer v.run.mu.Unlock()
	err := v.run.err
	v.run.cancel, v.run.done, v.run.err = nil, nil, nil
	return err
}

// Fault reports whether a fault of kind fires now for symbol (a venue symbol or canonical name;
// "" for a connection-level question), at the venue's clock. See Fault for the triggers.
func (v *Venue) Fault(kind FaultKind, symbol string) bool {
	_, ok := v.FaultAt(kind, symbol, v.clock())
	return ok
}

// FaultAt is Fault at an explicit time, returning the fault that fired (for its Delay or
// FillPerMille). Every configured fault of kind that applies to symbol is evaluated, in
// configuration order (each counts the evaluation); the first that fires is returned.
func (v *Venue) FaultAt(kind FaultKind, symbol string, now int64) (Fault, bool) {
	idx := -1
	if symbol != "" {
		idx = -2 // an unknown symbol: only faults for every symbol apply
		if m, ok := v.Market(symbol); ok {
			idx = m.Index
		}
	}
	return v.faults.eval(kind, idx, now)
}

// Allow applies the venue's request-weight limit (RateLimit.Weight per Window) to key (an API
// key or a client address): see Limiter.Allow.
func (v *Venue) Allow(key string, weight int, now int64) (ok bool, retryAfter time.Duration) {
	return v.limit.Allow(key, weight, now)
}

// AllowOrder applies the venue's order-count limit (RateLimit.Orders per OrderWindow) to key.
func (v *Venue) AllowOrder(key string, now int64) (ok bool, retryAfter time.Duration) {
	return v.orders.Allow(key, 1, now)
}

// derive returns a seed for purpose tag and index from seed: distinct, well-mixed seeds for the
// venue, its flows, its faults and the instruments' walks.
func derive(seed, tag, index uint64) uint64 {
	return mix(seed ^ mix(tag<<48^index))
}

// mix is a 64-bit finalizer (splitmix64's) that spreads every input bit over the output.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

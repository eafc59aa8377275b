package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"ems/core/event"
	"ems/feed"
)

// Sink receives the events of one venue message, or of one status change, in order. The slice is
// the Session's Batch and is valid only during the call: copy the events out (the pipeline pushes
// them into its SPSC ring). Called on the feed thread.
type Sink func(events []event.Event)

// DefaultSnapshotTimeout bounds a REST snapshot fetch when SessionConfig.SnapshotTimeout is 0.
const DefaultSnapshotTimeout = 10 * time.Second

// SessionConfig wires a Session. URL, Decoder and Sink are required.
type SessionConfig struct {
	URL     string
	Conn    Config
	Venue   event.VenueID // stamped on VenueStatus events
	Decoder feed.Decoder
	Batch   *feed.Batch // nil: a Batch of 4096 events
	Sink    Sink
	// Subscribe holds the venue's subscribe messages, built by its decoder package; they are
	// sent in order after every connect and only read while sending.
	Subscribe [][]byte
	KeepAlive KeepAlive
	// StaleAfter: no frame for this long yields a VenueStale event (0: no stale detection).
	// DeadAfter: no frame for this long drops and redials the connection with reason timeout
	// (0: never). DeadAfter is meant to be longer than StaleAfter.
	StaleAfter, DeadAfter time.Duration
	Backoff               Backoff
	// Rand draws the back-off jitter. Pass a seeded one (rand.New(rand.NewPCG(s1, s2))) for a
	// reproducible run; nil seeds one from the wall clock.
	Rand *rand.Rand
	// Resubscribe returns the messages (unsubscribe, then subscribe) that make the venue send a
	// fresh snapshot of r.Replica's book; they are only read while sending. nil: a resubscribe
	// request redials the connection instead.
	Resubscribe func(r feed.Request) [][]byte
	// Snapshot fetches the REST depth snapshot of symbol (Binance); its body goes to the decoder's
	// LoadSnapshot. It runs on the feed thread, which does not read frames meanwhile (they wait
	// in the socket, in order, which is what the venue's sync rule needs). nil, an error or a
	// decoder without LoadSnapshot: the connection is redialled.
	Snapshot        func(ctx context.Context, symbol string) ([]byte, error)
	SnapshotTimeout time.Duration
	// Log receives one line per connection failure or drop (nil: silent; still counted).
	Log io.Writer
}

// SessionStats are a Session's counters, written by the feed thread only (read them from the
// Sink or after Run returns).
type SessionStats struct {
	Connects       int64 // successful dials
	DialFailures   int64
	Disconnects    int64
	Messages       int64 // data messages given to the decoder
	DecodeErrors   int64 // Decode calls that returned an error (the decoder counts the anomaly)
	KeepAlives     int64
	Stale          int64 // stale periods
	Resubscribes   int64
	Snapshots      int64 // snapshots fetched and loaded
	SnapshotErrors int64
}

// Session is the feed agent of one venue connection: it dials, sends the subscriptions, pumps
// every message through the venue's Decoder and hands the events to the Sink, answers the
// decoder's resync requests, watches the feed for silence, sends keep-alives and reconnects with
// back-off after a drop. Every change of the connection's state is a VenueStatus event in the
// Sink, and a drop also marks every book of the decoder invalid (BookStatus, reason disconnect):
// a feed never stalls silently.
//
// VenueStatus events (header Seq: the connection's number, 1 for the first):
//
//	Connected/Connect      a connection was established (subscriptions follow)
//	Disconnected/Closed    the venue closed it (close frame or end of stream)
//	Disconnected/Error     network, protocol or size-limit error, or a failed dial when the
//	                       venue was not already known to be disconnected
//	Disconnected/Timeout   silence reached DeadAfter
//	Disconnected/None      closed on purpose: a decoder's reconnect request, or shutdown
//	Stale/Timeout          no frame for StaleAfter
//	Connected/None         frames arrive again after Stale
//
// Threading: Run executes on the feed's own goroutine and blocks in the kernel in read while
// the venue is quiet. Timers (stale, keep-alive) are read deadlines on the socket, so they cost
// nothing per frame and need no other goroutine. Blocking is right for the edge of the system
// on a small host; on a big host with isolated CPUs, the feed thread still blocks in read and is
// therefore not a busy-spinning agent: only the core's threads must never block.
type Session struct {
	cfg   SessionConfig
	conn  *Conn
	clock Clock
	batch *feed.Batch
	rng   *rand.Rand
	wd    watchdog
	reqs  []feed.Request
	stats SessionStats

	connNo    uint64
	state     event.VenueState
	announced bool // a VenueStatus was emitted at least once
	attempt   int  // consecutive back-off delays since the last healthy connection
}

var (
	errReconnect = errors.New("transport: reconnect requested by the decoder")
	errDead      = errors.New("transport: no frame within the dead-feed limit")
)

// aLongTimeAgo is a read deadline in the past: it wakes a blocked read at once.
var aLongTimeAgo = time.Unix(1, 0)

// NewSession checks cfg and returns a Session ready to Run.
func NewSession(cfg SessionConfig) (*Session, error) {
	switch {
	case cfg.URL == "":
		return nil, errors.New("transport: SessionConfig.URL is empty")
	case cfg.Decoder == nil:
		return nil, errors.New("transport: SessionConfig.Decoder is nil")
	case cfg.Sink == nil:
		return nil, errors.New("transport: SessionConfig.Sink is nil")
	case cfg.StaleAfter < 0 || cfg.DeadAfter < 0:
		return nil, errors.New("transport: negative StaleAfter or DeadAfter")
	}
	cfg.Backoff = cfg.Backoff.withDefaults()
	if cfg.SnapshotTimeout <= 0 {
		cfg.SnapshotTimeout = DefaultSnapshotTimeout
	}
	if cfg.Batch == nil {
		cfg.Batch = feed.NewBatch(4096)
	}
	if cfg.Rand == nil {
		now := uint64(time.Now().UnixNano())
		cfg.Rand = rand.New(rand.NewPCG(now, uint64(cfg.Venue)))
	}
	s := &Session{
		cfg:   cfg,
		conn:  NewConn(cfg.Conn),
		batch: cfg.Batch,
		rng:   cfg.Rand,
		reqs:  make([]feed.Request, 0, 16),
		wd:    watchdog{staleAfter: cfg.StaleAfter, deadAfter: cfg.DeadAfter, ka: cfg.KeepAlive},
	}
	s.clock = s.conn.cfg.Clock
	return s, nil
}

// Stats returns the counters. Call it on the feed thread or after Run returned.
func (s *Session) Stats() SessionStats { return s.stats }

// Conn returns the Session's connection, for its counters. Owned by the feed thread.
func (s *Session) Conn() *Conn { return s.conn }

// Run connects and serves until ctx is done, reconnecting after every drop or failed dial with
// back-off; it returns ctx's error. On the way out it closes the connection (close frame) and
// emits Disconnected/None, with the books marked invalid.
func (s *Session) Run(ctx context.Context) error {
	for first := true; ; first = false {
		if !first {
			if err := sleep(ctx, s.cfg.Backoff.Delay(s.attempt, s.rng)); err != nil {
				return err
			}
			s.attempt++
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.connect(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		}
		start := time.Now()
		reason, err := s.serve(ctx)
		s.down(reason, err)
		if time.Since(start) >= s.cfg.Backoff.ResetAfter {
			s.attempt = 0
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// connect dials, announces the connection and sends the subscriptions.
func (s *Session) connect(ctx context.Context) error {
	if err := s.conn.Dial(ctx, s.cfg.URL); err != nil {
		s.stats.DialFailures++
		s.logf("%v", err)
		if (!s.announced || s.state != event.VenueDisconnected) && ctx.Err() == nil {
			s.status(event.VenueDisconnected, event.VenueReasonError)
		}
		return err
	}
	s.stats.Connects++
	s.connNo++
	s.status(event.VenueConnected, event.VenueReasonConnect)
	return nil
}

// serve pumps one connection until it drops or ctx is done, and says why it ended.
func (s *Session) serve(ctx context.Context) (event.VenueReason, error) {
	nc := s.conn.nc
	stop := context.AfterFunc(ctx, func() { _ = nc.SetReadDeadline(aLongTimeAgo) })
	defer stop()
	for _, m := range s.cfg.Subscribe {
		if err := s.conn.WriteText(m); err != nil {
			return reasonOf(err), err
		}
	}
	s.wd.reset(time.Now(), s.conn.Frames())
	period := s.wd.period()
	if err := s.arm(ctx, period); err != nil {
		return event.VenueReasonNone, err
	}
	for {
		err := s.step(ctx)
		if err == nil {
			continue
		}
		// Only a read deadline on a usable connection is a timer tick; a write that timed out
		// has ended the connection.
		if s.conn.Err() != nil || !errors.Is(err, os.ErrDeadlineExceeded) {
			return reasonOf(err), err
		}
		if ctx.Err() != nil {
			return event.VenueReasonNone, ctx.Err()
		}
		if err := s.tick(time.Now()); err != nil {
			return reasonOf(err), err
		}
		if err := s.arm(ctx, period); err != nil {
			return event.VenueReasonNone, err
		}
	}
}

// arm sets the next timer tick as the read deadline. Checking ctx after arming closes the race
// with the canceller (which sets a past deadline): either the check sees the cancellation, or
// the canceller's deadline lands after ours.
func (s *Session) arm(ctx context.Context, period time.Duration) error {
	if period > 0 {
		if err := s.conn.SetReadDeadline(time.Now().Add(period)); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// step reads one message, decodes it, delivers its events and serves the decoder's requests.
// It is the per-message hot path: it allocates nothing in steady state.
func (s *Session) step(ctx context.Context) error {
	msg, ts, err := s.conn.ReadMessage()
	if err != nil {
		return err
	}
	s.stats.Messages++
	if s.wd.seen() {
		s.status(event.VenueConnected, event.VenueReasonNone)
	}
	if err := s.cfg.Decoder.Decode(msg, ts, s.batch); err != nil {
		s.stats.DecodeErrors++
	}
	s.flush()
	s.reqs = s.cfg.Decoder.Requests(s.reqs[:0])
	if len(s.reqs) == 0 {
		return nil
	}
	return s.serveRequests(ctx)
}

// tick runs the watchdog: keep-alive, stale, recovery, dead feed.
func (s *Session) tick(now time.Time) error {
	v := s.wd.check(now, s.conn.Frames())
	if v.dead {
		return errDead
	}
	if v.recovered {
		s.status(event.VenueConnected, event.VenueReasonNone)
	}
	if v.stale {
		s.stats.Stale++
		s.status(event.VenueStale, event.VenueReasonTimeout)
	}
	if v.keepAlive {
		if err := s.conn.WriteText(s.cfg.KeepAlive.Message); err != nil {
			return err
		}
		s.stats.KeepAlives++
	}
	return nil
}

// down closes the connection and announces the drop: VenueStatus, then every book invalid.
func (s *Session) down(reason event.VenueReason, err error) {
	_ = s.conn.Close()
	s.stats.Disconnects++
	s.wd.stale = false
	if err != nil && !errors.Is(err, context.Canceled) {
		s.logf("connection %d dropped (%s): %v", s.connNo, reason, err)
	}
	ts := s.status(event.VenueDisconnected, reason)
	for _, r := range s.cfg.Decoder.Books() {
		r.Begin(s.batch, 0, 0, ts)
		r.Invalidate(event.BookReasonDisconnect)
	}
	s.flush()
}

// status emits a VenueStatus event and delivers it; it returns the event's time.
func (s *Session) status(state event.VenueState, reason event.VenueReason) int64 {
	ts := s.clock.Now()
	e := s.batch.Add()
	e.Kind, e.Flags, e.Venue = event.KindVenueStatus, event.FlagLastInBatch, s.cfg.Venue
	e.Seq, e.RecvTS = s.connNo, ts
	v := e.VenueStatus()
	v.State, v.Reason = state, reason
	s.state, s.announced = state, true
	s.flush()
	return ts
}

// flush hands the batch to the sink and empties it.
func (s *Session) flush() {
	if s.batch.Len() > 0 {
		s.cfg.Sink(s.batch.Events())
		s.batch.Reset()
	}
}

// reasonOf maps a connection error to the reason of the drop.
func reasonOf(err error) event.VenueReason {
	switch {
	case errors.Is(err, ErrClosed):
		return event.VenueReasonClosed
	case errors.Is(err, errDead):
		return event.VenueReasonTimeout
	case errors.Is(err, errReconnect), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return event.VenueReasonNone
	default:
		return event.VenueReasonError
	}
}

func (s *Session) logf(format string, args ...any) {
	if s.cfg.Log != nil {
		fmt.Fprintf(s.cfg.Log, "transport: "+format+"\n", args...)
	}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

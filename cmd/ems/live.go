package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/feed"
	"ems/feed/transport"
	"ems/ring"
	"ems/sim"
)

// A live venue: a simulated venue served on loopback with its real wire protocol, and the
// project's own feed connected to it through the WebSocket transport, exactly as it would connect
// to the exchange (only the URL differs).

// simServer is a running protocol server of one simulated venue.
type simServer interface {
	Close() error
}

// liveFeed is what the pipeline needs to connect the venue's feed: the session settings (URL,
// subscriptions, resync hooks) and the decoder.
type liveFeed struct {
	server  simServer
	session transport.SessionConfig
	// endpoints are printed by `ems sim` and `ems run`: name and URL.
	endpoints [][2]string
}

// liveWiring starts venue v's protocol server on loopback and describes how its feed connects.
type liveWiring func(v *sim.Venue, master *instrument.Master, symbols []string) (*liveFeed, error)

// sessionFeed is one venue feed running on its own goroutine (the edge thread: it blocks in read),
// publishing into its own SPSC ring towards the core.
type sessionFeed struct {
	name    string
	session *transport.Session
	decoder feed.Decoder
	ring    *ring.OneToOne[event.Event]
	sent    atomic.Int64
	full    atomic.Int64 // times the ring was full and the feed waited (backpressure, not loss)
	err     error
}

// sink publishes a batch into the feed's ring, waiting (yielding) while the ring is full: the
// socket backs up instead of events being dropped.
func (f *sessionFeed) sink(events []event.Event) {
	for len(events) > 0 {
		slots := f.ring.Claim(len(events))
		if len(slots) == 0 {
			f.full.Add(1)
			time.Sleep(10 * time.Microsecond)
			continue
		}
		k := copy(slots, events)
		f.ring.Publish(k)
		events = events[k:]
		f.sent.Add(int64(k))
	}
}

// multiBooksAgent is the core's books agent fed by several SPSC rings (one per venue feed).
type multiBooksAgent struct {
	booksAgent
	ins  []*ring.OneToOne[event.Event]
	next int
}

func (a *multiBooksAgent) DoWork() int {
	if len(a.stash) > 0 {
		return a.forward()
	}
	for i := range a.ins {
		in := a.ins[(a.next+i)%len(a.ins)]
		evs := in.Peek()
		if len(evs) == 0 {
			continue
		}
		a.next = (a.next + i + 1) % len(a.ins)
		for j := range evs {
			a.apply(&evs[j])
		}
		a.stash = append(a.stash[:0], evs...)
		in.Release(len(evs))
		return a.forward()
	}
	return 0
}

func (a *multiBooksAgent) forward() int {
	slots := a.out.Claim(len(a.stash))
	k := copy(slots, a.stash)
	a.out.Publish(k)
	a.stash = a.stash[k:]
	return k + 1
}

// servedVenue is a started simulated venue with its protocol server.
type servedVenue struct {
	venue *sim.Venue
	feed  *liveFeed
}

// serveVenues starts every venue of cfg that has a wiring, with its protocol server on loopback.
// Venues without a protocol server are reported to warn and skipped. stop closes the servers,
// then the venues.
func serveVenues(ctx context.Context, cfg sim.Config, master *instrument.Master, wirings map[string]liveWiring, warn io.Writer) (served []servedVenue, stop func(), err error) {
	venues, err := sim.NewVenues(cfg, master)
	if err != nil {
		return nil, nil, err
	}
	var closers []func() error
	stop = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	for _, v := range venues {
		wire, ok := wirings[v.Name()]
		if !ok {
			fmt.Fprintf(warn, "sim: venue %q has no protocol server yet; skipped\n", v.Name())
			continue
		}
		if err := v.Start(ctx); err != nil {
			stop()
			return nil, nil, fmt.Errorf("sim %s: %w", v.Name(), err)
		}
		closers = append(closers, v.Close)
		var symbols []string
		for _, m := range v.Markets() {
			symbols = append(symbols, m.Symbol)
		}
		lf, err := wire(v, master, symbols)
		if err != nil {
			stop()
			return nil, nil, fmt.Errorf("sim %s: %w", v.Name(), err)
		}
		closers = append(closers, lf.server.Close)
		served = append(served, servedVenue{venue: v, feed: lf})
	}
	return served, stop, nil
}

// startLiveFeeds starts the simulated venues, their protocol servers and one feed session each.
// The returned stop function stops the sessions, then the servers and venues.
func startLiveFeeds(ctx context.Context, cfg sim.Config, master *instrument.Master, wirings map[string]liveWiring, log io.Writer) ([]*sessionFeed, [][2]string, func(), error) {
	ctx, cancel := context.WithCancel(ctx)
	served, stopVenues, err := serveVenues(ctx, cfg, master, wirings, log)
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	var (
		feeds     []*sessionFeed
		endpoints [][2]string
		wg        sync.WaitGroup
	)
	stop := func() {
		cancel()
		wg.Wait()
		stopVenues()
	}
	for _, sv := range served {
		v, lf := sv.venue, sv.feed
		endpoints = append(endpoints, lf.endpoints...)
		r, _ := ring.New[event.Event](1 << 14)
		f := &sessionFeed{name: v.Name(), decoder: lf.session.Decoder, ring: r}
		sc := lf.session
		sc.Venue = v.ID()
		sc.Sink = f.sink
		sc.Log = log
		sc.StaleAfter, sc.DeadAfter = 2*time.Second, 10*time.Second
		if sc.Backoff == (transport.Backoff{}) {
			sc.Backoff = transport.Backoff{Initial: 50 * time.Millisecond, Max: 2 * time.Second, ResetAfter: 5 * time.Second}
		}
		s, err := transport.NewSession(sc)
		if err != nil {
			stop()
			return nil, nil, nil, fmt.Errorf("feed %s: %w", v.Name(), err)
		}
		f.session = s
		feeds = append(feeds, f)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Run(ctx); err != nil && ctx.Err() == nil {
				f.err = err
			}
		}()
	}
	return feeds, endpoints, stop, nil
}

// httpGet fetches url with ctx; a non-200 answer is an error carrying the body.
func httpGet(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %.200s", url, resp.Status, body)
	}
	return body, nil
}

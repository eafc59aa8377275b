package bybit

import (
	"errors"
	"fmt"
	"os"
	"time"

	"ems/core/event"
)

// The connection loops of a Session: Run's goroutine sends and reads on the trade connection,
// a second goroutine reads the private one. Each owns its transport.Conn alone; they meet only
// under the Session's lock (parser, Sink) and through their wakers.

// serve runs the private goroutine and the trade loop until either fails or Close.
func (s *Session) serve() error {
	perr := make(chan error, 1)
	go func() {
		err := s.privateLoop()
		s.tradeW.halt() // take the trade loop down with it
		perr <- err
	}()
	err := s.tradeLoop()
	s.privW.halt()
	if e := <-perr; err == nil || errors.Is(err, errHalted) {
		err = e
	}
	return err
}

// errHalted is a loop stopped by its waker.
var errHalted = errors.New("bybit: connection stopped")

// tradeLoop sends queued requests and reads the trade connection's answers.
func (s *Session) tradeLoop() error {
	defer s.trade.Close()
	nextPing := time.Now().Add(s.cfg.PingInterval)
	for {
		var stop bool
		s.batch, stop = s.tradeW.take(s.batch[:0])
		if stop {
			return errHalted
		}
		for i := range s.batch {
			if err := s.send(&s.batch[i]); err != nil {
				s.unsent(s.batch[i:])
				return err
			}
		}
		if now := time.Now(); !now.Before(nextPing) {
			if err := s.trade.WriteText([]byte(pingMsg)); err != nil {
				return err
			}
			nextPing = now.Add(s.cfg.PingInterval)
		}
		if !s.tradeW.arm(nextPing) {
			continue
		}
		msg, ts, err := s.trade.ReadMessage()
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				continue
			}
			return err
		}
		s.mu.Lock()
		r, perr := s.parser.Parse(msg, ts)
		if r.Throttled {
			s.lim.throttled(s.cfg.Clock())
			s.throttleLocked(true)
		}
		s.emitLocked(r.Events)
		s.mu.Unlock()
		if perr != nil {
			fmt.Fprintf(s.cfg.Log, "bybit: trade message: %v\n", perr)
		}
	}
}

// privateLoop reads the order and execution streams.
func (s *Session) privateLoop() error {
	defer s.priv.Close()
	nextPing := time.Now().Add(s.cfg.PingInterval)
	for {
		if _, stop := s.privW.take(nil); stop {
			return errHalted
		}
		if now := time.Now(); !now.Before(nextPing) {
			if err := s.priv.WriteText([]byte(pingMsg)); err != nil {
				return err
			}
			nextPing = now.Add(s.cfg.PingInterval)
		}
		if !s.privW.arm(nextPing) {
			continue
		}
		msg, ts, err := s.priv.ReadMessage()
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				continue
			}
			return err
		}
		s.mu.Lock()
		r, perr := s.parser.Parse(msg, ts)
		s.emitLocked(r.Events)
		s.mu.Unlock()
		if perr != nil {
			fmt.Fprintf(s.cfg.Log, "bybit: private message: %v\n", perr)
		}
	}
}

// send applies the limits to one request, tracks it, encodes it and writes it. A write error is
// returned (the connection is lost; the request's order stays tracked and reconciliation
// settles it).
func (s *Session) send(e *event.Event) error {
	now := s.cfg.Clock()
	l, err := s.enc.listing(e.Instrument)
	if err != nil {
		s.mu.Lock()
		s.rejectLocked(e, event.RejectUnknownSymbol, 0)
		s.mu.Unlock()
		return nil
	}
	if !s.lim.allow(l.Segment, e.Kind == event.KindCancel, now) {
		s.mu.Lock()
		s.rejectLocked(e, event.RejectRateLimit, 0)
		s.throttleLocked(true)
		s.mu.Unlock()
		return nil
	}
	s.seq++
	buf, err := s.enc.AppendRequest(s.wbuf[:0], e, s.seq, now/1e6)
	s.wbuf = buf[:0]
	s.mu.Lock()
	s.throttleLocked(false)
	switch {
	case err != nil:
		s.rejectLocked(e, event.RejectInvalidRequest, 0)
		s.mu.Unlock()
		return nil
	case !s.parser.Track(e):
		reason := event.RejectInvalidRequest
		if e.Kind == event.KindReplace {
			reason = event.RejectUnknownOrder
		}
		s.rejectLocked(e, reason, 0)
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	return s.trade.WriteText(buf)
}

// unsent refuses the requests of a batch whose write failed at its first: a cancel or amend
// is refused (the order's state is unchanged), a new order stays tracked for reconciliation
// (it may have reached the venue); the rest of the batch was never sent.
func (s *Session) unsent(batch []event.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range batch {
		if i == 0 && batch[i].Kind == event.KindNewOrder {
			continue
		}
		s.rejectLocked(&batch[i], event.RejectVenueUnavailable, 0)
	}
}

// throttleLocked records entering (on) or leaving the throttled state, emitting a VenueStatus
// on each change.
func (s *Session) throttleLocked(on bool) {
	if on == s.throttled {
		return
	}
	s.throttled = on
	if on {
		s.statusLocked(event.VenueThrottled, event.VenueReasonRateLimit)
	} else {
		s.statusLocked(event.VenueConnected, event.VenueReasonRateLimit)
	}
}

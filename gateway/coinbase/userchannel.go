package coinbase

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"ems/core/event"
)

// The user channel (WebSocket): subscribe with a JWT, read a snapshot of the open orders, then one
// update per order change. The reader goroutine owns the connection; on a drop it marks the
// Session not ready (new orders and cancels are refused with RejectVenueUnavailable), reconnects
// with back-off, reconciles over REST, and only then accepts orders again.
//
//	→ {"type":"subscribe","channel":"user","jwt":"<token without uri>"}
//	→ {"type":"subscribe","channel":"heartbeats"}          keeps the connection busy
//	← user snapshot, subscriptions, heartbeats..., user updates...
//
// sequence_num counts the connection's messages from 0 without a gap; a gap means a lost
// message and triggers a reconciliation.

// appendSubscribe appends a subscribe request for channel with an optional jwt.
func appendSubscribe(dst []byte, channel, jwt []byte) []byte {
	dst = append(dst, `{"type":"subscribe","channel":"`...)
	dst = append(dst, channel...)
	dst = append(dst, '"')
	if len(jwt) > 0 {
		dst = append(dst, `,"jwt":"`...)
		dst = append(dst, jwt...)
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

// connectUser dials the WebSocket, subscribes to the user channel and heartbeats, and handles
// messages until the user subscription is confirmed (its snapshot comes first).
func (s *Session) connectUser(ctx context.Context) error {
	s.wsMu.Lock()
	err := s.ws.Dial(ctx, s.cfg.WSURL)
	s.wsMu.Unlock()
	if err != nil {
		return err
	}
	sd := &s.rx
	var tok []byte
	tok, err = sd.enc.key.AppendWSToken(nil, s.now()/int64(time.Second))
	if err != nil {
		s.ws.Close()
		return err
	}
	sd.req = appendSubscribe(sd.req[:0], []byte("user"), tok)
	if err := s.ws.WriteText(sd.req); err != nil {
		return err
	}
	sd.req = appendSubscribe(sd.req[:0], []byte("heartbeats"), nil)
	if err := s.ws.WriteText(sd.req); err != nil {
		return err
	}
	s.seq, s.seqKnown = 0, false
	s.ws.SetReadDeadline(time.Now().Add(s.cfg.Timeout))
	for {
		msg, _, err := s.ws.ReadMessage()
		if err != nil {
			s.ws.Close()
			return fmt.Errorf("coinbase: user channel: %w", err)
		}
		m, err := sd.up.ParseUser(msg)
		if err != nil {
			continue
		}
		switch m.Kind {
		case UserError:
			s.ws.Close()
			return fmt.Errorf("coinbase: user channel refused: %s", m.Text)
		case UserSubscriptions:
			s.sequence(m.Seq)
			return nil
		case UserOrders:
			s.sequence(m.Seq)
			for i := range m.Orders {
				s.applyUpdate(sd, &m.Orders[i])
			}
		default:
			s.sequence(m.Seq)
		}
	}
}

// sequence checks a message's sequence_num and reports whether one was skipped.
func (s *Session) sequence(n int64) (gap bool) {
	gap = s.seqKnown && n != s.seq+1
	s.seq, s.seqKnown = n, true
	return gap
}

// readLoop reads the user channel until ctx is cancelled.
func (s *Session) readLoop(ctx context.Context) {
	defer close(s.done)
	sd := &s.rx
	for {
		s.ws.SetReadDeadline(time.Now().Add(3 * s.cfg.Timeout))
		msg, _, err := s.ws.ReadMessage()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			s.mu.Lock()
			s.ready = false
			s.status(sd, event.VenueDisconnected, event.VenueReasonClosed)
			s.flush(sd)
			s.mu.Unlock()
			if !s.reconnect(ctx) {
				return
			}
			continue
		}
		m, err := sd.up.ParseUser(msg)
		if err != nil {
			continue
		}
		gap := s.sequence(m.Seq)
		if m.Kind == UserOrders {
			for i := range m.Orders {
				s.applyUpdate(sd, &m.Orders[i])
			}
		}
		if gap {
			s.reconcile(sd)
		}
	}
}

// reconnect dials again with back-off until connected and reconciled, or ctx is done.
func (s *Session) reconnect(ctx context.Context) bool {
	rng := rand.New(rand.NewPCG(uint64(s.now()), 0x636f696e))
	for attempt := 0; ; attempt++ {
		t := time.NewTimer(s.cfg.Reconnect.Delay(attempt, rng))
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
		if err := s.connectUser(ctx); err != nil {
			continue
		}
		if err := s.reconcile(&s.rx); err != nil {
			s.ws.Close()
			continue
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return false
		}
		s.ready = true
		s.status(&s.rx, event.VenueConnected, event.VenueReasonConnect)
		s.flush(&s.rx)
		s.mu.Unlock()
		return true
	}
}

// Ready reports whether the Session accepts orders (started, connected and reconciled).
func (s *Session) Ready() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ready
}

// Open returns the number of orders the Session tracks (sent and not finished).
func (s *Session) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.orders.len()
}

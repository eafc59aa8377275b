package transport

import (
	"context"
	"errors"
	"fmt"

	"ems/feed"
)

// serveRequests carries out the decoder's resync requests in order: resubscribe (send the venue's
// messages), snapshot (fetch over REST and load), reconnect. A request the Session cannot serve
// (no hook, a failed fetch) falls back to a reconnect, which resubscribes every book; several
// reconnects in one batch make one.
func (s *Session) serveRequests(ctx context.Context) error {
	reconnect := false
	for _, r := range s.reqs {
		switch r.Kind {
		case feed.RequestResubscribe:
			if s.cfg.Resubscribe == nil {
				reconnect = true
				continue
			}
			for _, m := range s.cfg.Resubscribe(r) {
				if err := s.conn.WriteText(m); err != nil {
					return err
				}
			}
			s.stats.Resubscribes++
		case feed.RequestSnapshot:
			if err := s.snapshot(ctx, r); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				s.stats.SnapshotErrors++
				s.logf("%v", err)
				reconnect = true
			}
		case feed.RequestReconnect:
			reconnect = true
		default:
			s.logf("unknown request kind %d ignored", r.Kind)
		}
	}
	if reconnect {
		return errReconnect
	}
	return nil
}

// snapshot fetches and loads the REST snapshot of r's book.
func (s *Session) snapshot(ctx context.Context, r feed.Request) error {
	loader, ok := s.cfg.Decoder.(feed.SnapshotLoader)
	switch {
	case r.Replica == nil:
		return errors.New("transport: snapshot request without a book")
	case !ok:
		return errors.New("transport: snapshot requested by a decoder without LoadSnapshot")
	case s.cfg.Snapshot == nil:
		return errors.New("transport: snapshot requested but SessionConfig.Snapshot is nil")
	}
	symbol := r.Replica.Config().Symbol
	sctx, cancel := context.WithTimeout(ctx, s.cfg.SnapshotTimeout)
	body, err := s.cfg.Snapshot(sctx, symbol)
	cancel()
	if err != nil {
		return fmt.Errorf("transport: snapshot of %s: %w", symbol, err)
	}
	err = loader.LoadSnapshot(symbol, body, s.clock.Now(), s.batch)
	s.flush()
	if err != nil {
		return fmt.Errorf("transport: loading the snapshot of %s: %w", symbol, err)
	}
	s.stats.Snapshots++
	return nil
}

package bybit

import (
	"sync"
	"time"

	"ems/core/event"
	"ems/feed/transport"
)

// waker lets other goroutines hand work to the goroutine that owns a transport.Conn and is
// blocked reading it. A Conn must be read and written by its owner alone; SetReadDeadline is
// the one call another goroutine may make, and a deadline in the past interrupts the read. The
// owner arms its read deadline under the lock only while nothing is pending, and a waker sets
// the past deadline under the same lock after queuing: so a wake-up is never lost between the
// owner's check and its read.
type waker struct {
	mu      sync.Mutex
	conn    *transport.Conn // nil while the owner dials: no deadline may be set then
	queue   []event.Event   // requests for the owner (the trade connection)
	stop    bool            // the owner must return
	pending bool
}

// pastDeadline interrupts a read at once.
var pastDeadline = time.Unix(1, 0)

// attach makes c the connection to interrupt (nil: none, while dialling).
func (w *waker) attach(c *transport.Conn) {
	w.mu.Lock()
	w.conn = c
	w.mu.Unlock()
}

// push queues e for the owner and interrupts its read; ok is false when the queue holds limit
// events already.
func (w *waker) push(e *event.Event, limit int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) >= limit {
		return false
	}
	w.queue = append(w.queue, *e)
	w.wakeLocked()
	return true
}

// halt asks the owner to return.
func (w *waker) halt() {
	w.mu.Lock()
	w.stop = true
	w.wakeLocked()
	w.mu.Unlock()
}

func (w *waker) wakeLocked() {
	w.pending = true
	if w.conn != nil {
		_ = w.conn.SetReadDeadline(pastDeadline)
	}
}

// take moves the queued events into dst (the owner's batch) and reports whether the owner must
// stop.
func (w *waker) take(dst []event.Event) ([]event.Event, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	dst = append(dst, w.queue...)
	w.queue = w.queue[:0]
	w.pending = false
	return dst, w.stop
}

// arm sets the owner's read deadline to t unless work arrived since take; false means read
// nothing, take again.
func (w *waker) arm(t time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pending {
		return false
	}
	_ = w.conn.SetReadDeadline(t)
	return true
}

// reset clears the stop flag for a new connection, keeping queued requests.
func (w *waker) reset() {
	w.mu.Lock()
	w.stop, w.pending = false, len(w.queue) > 0
	w.mu.Unlock()
}

package transport

import "time"

// KeepAlive is a venue-level heartbeat the client must send, as the venue documents it: OKX
// wants the text "ping" when nothing arrived for less than 30 s (Interval 20 s, Periodic false),
// Bybit {"op":"ping"} every 20 s whatever the traffic (Periodic true). WebSocket-level pings
// from the server (Binance) are answered by the Conn itself and need no KeepAlive.
type KeepAlive struct {
	Interval time.Duration // 0: no keep-alive
	Message  []byte        // sent as a text frame; only read while sending
	// Periodic: send every Interval whatever is received. Otherwise send only after Interval
	// without any frame received (or since the last keep-alive).
	Periodic bool
}

// ticksPerLimit: the watchdog wakes this many times per its shortest limit, so a limit is
// detected at most a quarter of it late.
const ticksPerLimit = 4

// minTick bounds the watchdog's wake-up rate.
const minTick = time.Millisecond

// watchdog decides, at each timer tick, whether a keep-alive is due, the feed went stale, came
// back, or stayed silent so long that the connection must be dropped. It costs nothing per frame:
// it compares the Conn's frame counter between ticks, and takes a frame noticed at a tick as
// received at that tick. Silence is thus under-estimated by at most one tick (a limit fires up to
// a tick late, never early). Owned by the feed thread.
type watchdog struct {
	staleAfter time.Duration // 0: no stale detection
	deadAfter  time.Duration // 0: never drop for silence
	ka         KeepAlive

	frames   uint64    // the Conn's frame count at the last tick
	lastRecv time.Time // the tick that first saw the latest frames, or the connect time
	lastKA   time.Time // the last keep-alive sent, or the connect time
	stale    bool
}

// verdict is what a tick found.
type verdict struct {
	keepAlive bool // send the keep-alive message now
	stale     bool // the feed just went stale
	recovered bool // the feed was stale and frames arrived again
	dead      bool // silence reached deadAfter: drop the connection
}

// period returns the tick interval: a quarter of the shortest limit, or 0 when there is nothing
// to watch.
func (w *watchdog) period() time.Duration {
	var p time.Duration
	for _, d := range [...]time.Duration{w.staleAfter, w.deadAfter, w.kaInterval()} {
		if d > 0 && (p == 0 || d < p) {
			p = d
		}
	}
	if p == 0 {
		return 0
	}
	return max(p/ticksPerLimit, minTick)
}

func (w *watchdog) kaInterval() time.Duration {
	if len(w.ka.Message) == 0 {
		return 0
	}
	return w.ka.Interval
}

// reset starts watching a new connection at now.
func (w *watchdog) reset(now time.Time, frames uint64) {
	w.frames, w.lastRecv, w.lastKA, w.stale = frames, now, now, false
}

// check is one tick at now, with the Conn's frame count.
func (w *watchdog) check(now time.Time, frames uint64) (v verdict) {
	if frames != w.frames {
		w.frames, w.lastRecv = frames, now
		if w.stale {
			w.stale, v.recovered = false, true
		}
	}
	silence := now.Sub(w.lastRecv)
	if w.deadAfter > 0 && silence >= w.deadAfter {
		v.dead = true
		return v
	}
	if w.staleAfter > 0 && silence >= w.staleAfter && !w.stale {
		w.stale, v.stale = true, true
	}
	if iv := w.kaInterval(); iv > 0 {
		since := w.lastKA
		if !w.ka.Periodic && w.lastRecv.After(since) {
			since = w.lastRecv
		}
		if now.Sub(since) >= iv {
			w.lastKA, v.keepAlive = now, true
		}
	}
	return v
}

// seen tells the watchdog that a data message arrived; it returns true when that ends a stale
// period (the recovery is announced at once rather than at the next tick).
func (w *watchdog) seen() bool {
	if !w.stale {
		return false
	}
	w.stale = false
	return true
}

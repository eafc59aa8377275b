package sim

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind is a kind of injected fault. Protocol servers ask Venue.Fault at the point where the
// fault would act and carry it out themselves.
type FaultKind uint8

const (
	// FaultDisconnect: drop the connection (asked per connection, periodically or per message).
	FaultDisconnect FaultKind = 1 + iota
	// FaultStale: stop pushing market data while it fires (asked per push).
	FaultStale
	// FaultGap: skip a sequence number in a pushed update (asked per push).
	FaultGap
	// FaultBadChecksum: corrupt the checksum of a pushed update (asked per push, OKX and Kraken).
	FaultBadChecksum
	// FaultReject: reject an order with the venue's generic error (asked per order).
	FaultReject
	// FaultDelayAck: hold an order acknowledgement back for Fault.Delay (asked per order).
	FaultDelayAck
	// FaultPartialFill: let an aggressive order fill only Fault.FillPerMille of its quantity
	// (asked per order).
	FaultPartialFill
	// FaultLoseCancelAck: cancel the order but never acknowledge the cancel (asked per cancel).
	FaultLoseCancelAck

	numFaultKinds = iota
)

var faultNames = [...]string{"", "disconnect", "stale", "gap", "bad-checksum", "reject", "delay-ack",
	"partial-fill", "lose-cancel-ack"}

// String returns the kind's name in configuration files ("bad-checksum"), or "fault(n)".
func (k FaultKind) String() string {
	if k >= 1 && int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "fault(" + strconv.Itoa(int(k)) + ")"
}

// ParseFaultKind returns the kind called name, or 0 and false.
func ParseFaultKind(name string) (FaultKind, bool) {
	for k := FaultKind(1); k <= numFaultKinds; k++ {
		if faultNames[k] == name {
			return k, true
		}
	}
	return 0, false
}

// faultKindList returns the kinds' names, for error messages.
func faultKindList() string { return strings.Join(faultNames[1:], ", ") }

// Fault is one scripted fault. It fires on an evaluation (a Venue.Fault call for its Kind and a
// matching symbol) when every trigger it sets holds:
//
//   - window: At > 0 or Duration > 0: the venue's time is in [start+At, start+At+Duration),
//     where start is the venue's first Step. With Duration 0 the fault is one-shot: it fires on
//     the first evaluation at or after start+At that passes the other triggers, and never again.
//   - EveryN > 0: this is the Nth, 2Nth, ... evaluation that passed the window.
//   - Prob > 0: a draw from the fault's own PRNG, seeded from the venue's seed, falls under
//     Prob per mille.
//
// At least one trigger must be set. The same seed and the same sequence of evaluations (kinds,
// symbols, times) fire the same faults.
type Fault struct {
	Kind FaultKind
	// Symbol limits the fault to one instrument: its venue symbol or canonical name. Empty: any
	// evaluation, including connection-level ones that name no symbol.
	Symbol       string
	At           time.Duration // window start after the venue's start
	Duration     time.Duration // window length; 0 with At > 0: one-shot
	EveryN       int
	Prob         int           // per mille, 0..1000
	Delay        time.Duration // delay-ack: how long the acknowledgement is held
	FillPerMille int           // partial-fill: share of the quantity that fills (0: 500)
}

// faultState is a fault with its evaluation state.
type faultState struct {
	Fault
	market int // index of the market it is limited to, or -1
	rng    *rand.Rand
	count  int64 // evaluations that passed the window
	fired  bool  // a one-shot fault has fired
}

// faults evaluates a venue's faults. It has its own lock: protocol servers ask from their
// connection goroutines without taking the venue lock.
type faults struct {
	mu      sync.Mutex
	list    []faultState
	started bool
	start   int64
}

// begin records the venue's start time (the first Step). Only the first call counts.
func (fs *faults) begin(now int64) {
	fs.mu.Lock()
	if !fs.started {
		fs.started, fs.start = true, now
	}
	fs.mu.Unlock()
}

// eval evaluates every fault of kind that applies to market (-1: no market) at now, in
// configuration order, and returns the first that fired.
func (fs *faults) eval(kind FaultKind, market int, now int64) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var hit Fault
	found := false
	for i := range fs.list {
		f := &fs.list[i]
		if f.Kind != kind || (f.market >= 0 && f.market != market) {
			continue
		}
		if f.fire(fs.started, now-fs.start) && !found {
			hit, found = f.Fault, true
		}
	}
	return hit, found
}

// fire evaluates f once at elapsed time since the venue's start.
func (f *faultState) fire(started bool, elapsed int64) bool {
	if f.At > 0 || f.Duration > 0 {
		if !started || f.fired || elapsed < int64(f.At) {
			return false
		}
		if f.Duration > 0 && elapsed >= int64(f.At+f.Duration) {
			return false
		}
	}
	f.count++
	if f.EveryN > 0 && f.count%int64(f.EveryN) != 0 {
		return false
	}
	if f.Prob > 0 && f.rng.IntN(1000) >= f.Prob {
		return false
	}
	if f.At > 0 && f.Duration == 0 {
		f.fired = true
	}
	return true
}

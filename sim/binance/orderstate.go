package binance

import (
	"sync/atomic"

	"ems/core/event"
	"ems/sim/match"
)

// orderKey names an order: its market's index and the Engine's id (ids count per market, as
// Binance's orderIds count per symbol).
type orderKey struct {
	market int
	id     match.OrderID
}

// override is what the partial-fill fault hid from the Engine: the quantity and time in force
// the client sent. The client keeps seeing those; the Engine worked a smaller IOC order.
type override struct {
	qty int64
	tif event.TimeInForce
}

// capture collects the taker fills of one order during the venue call that placed it.
type capture struct {
	key   orderKey
	fills []fillRec
}

// cancelCtx is the cancel being carried out: its client order id goes into the CANCELED
// execution report (c; the order's own id goes into C), and lose suppresses that report.
type cancelCtx struct {
	key      orderKey
	clientID string
	lose     bool
	set      bool
}

// maxOverrides bounds the partial-fill overrides kept (the oldest are forgotten first).
const maxOverrides = 1 << 16

// orderState is the server's order bookkeeping that must change in step with the Engines.
//
// INVARIANT: every field but clientSeq is read and written only with the venue lock held (inside
// a Do function or a venue callback). A capture is written by callbacks only during the Do call
// that started it (an order's taker fills happen only while it is submitted), so the placing
// goroutine may read it once Do has returned.
type orderState struct {
	overrides map[orderKey]override
	ovOrder   []orderKey // insertion order, for bounding overrides
	capture   *capture
	cancel    cancelCtx
	execID    int64 // execution ids (executionReport I), 1, 2, 3 ...

	clientSeq atomic.Uint64 // generated client order ids; safe anywhere
}

func (st *orderState) init() {
	st.overrides = map[orderKey]override{}
}

func (st *orderState) setOverride(k orderKey, ov override) {
	if len(st.ovOrder) >= maxOverrides {
		delete(st.overrides, st.ovOrder[0])
		st.ovOrder = append(st.ovOrder[:0], st.ovOrder[1:]...)
	}
	st.overrides[k] = ov
	st.ovOrder = append(st.ovOrder, k)
}

func (st *orderState) startCapture(k orderKey) *capture {
	c := &capture{key: k}
	st.capture = c
	return c
}

// newClientID returns a client order id for an order or cancel sent without one: 22 characters
// from [A-Za-z0-9], like the venue's, drawn from a counter (deterministic per server).
func (st *orderState) newClientID() string {
	n := st.clientSeq.Add(1)
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b [22]byte
	x, y := mix64(n), mix64(^n)
	for i := range b {
		if i == 11 {
			x = y
		}
		b[i] = alphabet[x%62]
		x /= 62
	}
	return string(b[:])
}

// mix64 is splitmix64's finalizer: distinct, well spread outputs for consecutive inputs.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

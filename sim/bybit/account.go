package bybit

import "ems/sim/match"

// orderKey names an Engine order: its market and id.
type orderKey struct {
	mkt int
	id  match.OrderID
}

// execRecord is one execution of an account, for GET /v5/execution/list.
type execRecord struct {
	k     *mkt
	fill  match.Fill
	maker bool
	order match.Order // the account's order after the fill
}

// Bounds of an account's history.
const (
	maxExecs  = 10_000 // executions kept for /v5/execution/list
	maxClosed = 500    // closed orders kept for /v5/order/realtime?openOnly=1 (Bybit: 500)
)

// account is the protocol state of one engine account (one or more API keys): its private
// connections and its recent history. Guarded by the Server's mu.
type account struct {
	id     uint32
	conns  []*wsConn // authenticated private connections
	execs  ring[execRecord]
	closed ring[orderKey]
}

func newAccount(id uint32) *account {
	return &account{id: id, execs: newRing[execRecord](maxExecs), closed: newRing[orderKey](maxClosed)}
}

// addConn registers an authenticated private connection.
func (a *account) addConn(c *wsConn) { a.conns = append(a.conns, c) }

// removeConn forgets a private connection.
func (a *account) removeConn(c *wsConn) { a.conns = removeConn(a.conns, c) }

// ring keeps the last len(buf) values pushed.
type ring[T any] struct {
	buf  []T
	next int
	n    int
}

func newRing[T any](capacity int) ring[T] { return ring[T]{buf: make([]T, capacity)} }

// push adds v, forgetting the oldest value when full.
func (r *ring[T]) push(v T) {
	r.buf[r.next] = v
	r.next = (r.next + 1) % len(r.buf)
	r.n = min(r.n+1, len(r.buf))
}

// each calls fn with the values newest first until it returns false.
func (r *ring[T]) each(fn func(v *T) bool) {
	for i := 0; i < r.n; i++ {
		j := (r.next - 1 - i + len(r.buf)) % len(r.buf)
		if !fn(&r.buf[j]) {
			return
		}
	}
}

// orderMeta is what the wire shows of an order that the Engine's Order does not say. Only
// orders that need it have one.
type orderMeta struct {
	wireQty int64  // the qty shown: the requested one (partial-fill fault) or the quote amount
	byValue bool   // a spot market buy whose qty is a quote amount (marketUnit quoteCoin)
	tif     string // the time in force requested, when the Engine's differs ("" otherwise)
	cut     bool   // the partial-fill fault cut the order: the venue cancelled its remainder
	// The exact cumulative value and fee of the fills seen (see mkt.exactValue), and the
	// quantity they cover: they are used while filled equals the order's Filled (the record
	// saw every fill), else the Engine's truncated figures are.
	value, fee, filled int64
}

// addFill adds a fill of qty at price, whose fee rate is bps, to the exact totals.
func (m *orderMeta) addFill(k *mkt, price, qty, bps int64) {
	v, ok := k.exactValue(price, qty)
	if !ok || m.filled < 0 {
		m.filled = -1 // overflow: the totals are abandoned
		return
	}
	m.value += v
	m.fee += exactFee(v, bps)
	m.filled += qty
}

// metaCap bounds the number of orders with metadata; the oldest is forgotten first.
const metaCap = 1 << 16

// metaStore maps orders to their metadata, keeping the last metaCap. Guarded by the Server's mu.
type metaStore struct {
	m     map[orderKey]*orderMeta
	order ring[orderKey]
}

func newMetaStore(capacity int) metaStore {
	return metaStore{m: map[orderKey]*orderMeta{}, order: newRing[orderKey](capacity)}
}

// put records meta of key, evicting the oldest entry when full.
func (ms *metaStore) put(key orderKey, meta *orderMeta) {
	if ms.order.n == len(ms.order.buf) {
		delete(ms.m, ms.order.buf[ms.order.next])
	}
	ms.order.push(key)
	ms.m[key] = meta
}

// get returns the metadata of key, or nil.
func (ms *metaStore) get(key orderKey) *orderMeta { return ms.m[key] }

package match

import (
	"ems/core/book"
	"ems/core/event"
)

// acctList is the list of an account's open orders, ascending by id (orders are appended as
// they are accepted, and ids grow).
type acctList struct {
	head, tail int32
	n          int
}

// Engine matches the orders of one instrument on one venue. See the package documentation for
// the rules and the order of events.
//
// An Engine is owned by one goroutine (the venue's) — not safe for concurrent use.
type Engine struct {
	symbol string
	rules  Rules
	l      Listener

	pools
	bids, asks half

	open     map[OrderID]int32 // open order id → node
	clients  map[clientKey]OrderID
	accounts map[uint32]*acctList
	hist     history

	lastID    OrderID
	lastTrade uint64
	lastPrice int64
	traded    bool

	// Scratch space handed to the Listener (see Listener).
	fill    Fill
	scratch Order
}

// New returns an empty Engine for symbol under rules, reporting to l (nil: report nothing).
// It fails with ErrSymbol or an error wrapping ErrRules (see Rules.Validate).
func New(symbol string, rules Rules, l Listener) (*Engine, error) {
	if symbol == "" {
		return nil, ErrSymbol
	}
	if err := rules.Validate(); err != nil {
		return nil, err
	}
	if l == nil {
		l = nopListener{}
	}
	e := &Engine{
		symbol:   symbol,
		rules:    rules,
		l:        l,
		bids:     newHalf(event.SideBuy, 256),
		asks:     newHalf(event.SideSell, 256),
		open:     make(map[OrderID]int32, 1024),
		clients:  make(map[clientKey]OrderID, 1024),
		accounts: make(map[uint32]*acctList, 8),
		hist:     history{limit: DefaultHistory},
	}
	e.pools.init(1024, 512)
	return e, nil
}

// SetHistory sets how many of the latest order ids are remembered once terminal (Order and
// OrderByClient find open orders always, terminal ones only among the last n ids). It fails with
// ErrHistory for n < 1 or after the first order.
func (e *Engine) SetHistory(n int) error {
	if n < 1 || e.lastID != 0 {
		return ErrHistory
	}
	e.hist = history{limit: n}
	return nil
}

// Symbol returns the symbol given to New.
func (e *Engine) Symbol() string { return e.symbol }

// Rules returns the rules given to New.
func (e *Engine) Rules() Rules { return e.rules }

// half returns the book side of side, or nil for an invalid side.
func (e *Engine) half(side event.Side) *half {
	switch side {
	case event.SideBuy:
		return &e.bids
	case event.SideSell:
		return &e.asks
	}
	return nil
}

// Order returns order id: any open order, and terminal orders among the last ids (see
// SetHistory).
func (e *Engine) Order(id OrderID) (Order, bool) {
	if n, ok := e.open[id]; ok {
		return e.nodes[n].o, true
	}
	if o, ok := e.hist.get(id); ok {
		return *o, true
	}
	return Order{}, false
}

// OrderByClient returns the latest order of account with client order id clientID that was not
// rejected (a killed FOK counts; StatusRejected orders are not indexed by client id), as Order
// finds it: open, or terminal among the last ids.
func (e *Engine) OrderByClient(account uint32, clientID string) (Order, bool) {
	if clientID == "" {
		return Order{}, false
	}
	id, ok := e.clients[clientKey{account, clientID}]
	if !ok {
		return Order{}, false
	}
	return e.Order(id)
}

// Open appends the open orders of account to dst, ascending by id, and returns the extended
// slice. It allocates only when dst lacks capacity.
func (e *Engine) Open(account uint32, dst []Order) []Order {
	a := e.accounts[account]
	if a == nil {
		return dst
	}
	for n := a.head; n != nilIdx; n = e.nodes[n].anext {
		dst = append(dst, e.nodes[n].o)
	}
	return dst
}

// Depth appends up to n best aggregated levels of side (all when n < 0) to dst, best first, and
// returns the extended slice. It allocates only when dst lacks capacity.
func (e *Engine) Depth(side event.Side, n int, dst []book.Level) []book.Level {
	h := e.half(side)
	if h == nil {
		return dst
	}
	for i := len(h.slots) - 1; i >= 0 && n != 0; i-- {
		lv := &e.levels[h.slots[i].lvl]
		dst = append(dst, book.Level{Price: lv.price, Qty: lv.qty})
		n--
	}
	return dst
}

// Best returns the best level of side.
func (e *Engine) Best(side event.Side) (price, qty int64, ok bool) {
	h := e.half(side)
	if h == nil {
		return 0, 0, false
	}
	l, ok := h.best()
	if !ok {
		return 0, 0, false
	}
	return e.levels[l].price, e.levels[l].qty, true
}

// LastTrade returns the price of the latest fill.
func (e *Engine) LastTrade() (price int64, ok bool) { return e.lastPrice, e.traded }

// Levels returns the number of price levels on side.
func (e *Engine) Levels(side event.Side) int {
	if h := e.half(side); h != nil {
		return len(h.slots)
	}
	return 0
}

// OpenCount returns the number of open orders.
func (e *Engine) OpenCount() int { return len(e.open) }

// addOpen indexes node n as open: by id and in its account's list.
func (e *Engine) addOpen(n int32) {
	nd := &e.nodes[n]
	e.open[nd.o.ID] = n
	a := e.accounts[nd.o.Account]
	if a == nil {
		a = &acctList{head: nilIdx, tail: nilIdx}
		e.accounts[nd.o.Account] = a
	}
	nd.aprev, nd.anext = a.tail, nilIdx
	if a.tail == nilIdx {
		a.head = n
	} else {
		e.nodes[a.tail].anext = n
	}
	a.tail = n
	a.n++
}

// removeOpen undoes addOpen.
func (e *Engine) removeOpen(n int32) {
	nd := &e.nodes[n]
	delete(e.open, nd.o.ID)
	a := e.accounts[nd.o.Account]
	if nd.aprev == nilIdx {
		a.head = nd.anext
	} else {
		e.nodes[nd.aprev].anext = nd.anext
	}
	if nd.anext == nilIdx {
		a.tail = nd.aprev
	} else {
		e.nodes[nd.anext].aprev = nd.aprev
	}
	a.n--
	nd.aprev, nd.anext = nilIdx, nilIdx
}

// indexClient makes o the order its (account, client id) refers to.
func (e *Engine) indexClient(o *Order) {
	if o.ClientID != "" {
		e.clients[clientKey{o.Account, o.ClientID}] = o.ID
	}
}

// unindexClient drops key's entry if it still refers to id.
func (e *Engine) unindexClient(key clientKey, id OrderID) {
	if key.id != "" && e.clients[key] == id {
		delete(e.clients, key)
	}
}

// record remembers terminal order o.
func (e *Engine) record(o *Order) {
	evicted, key, dropped := e.hist.put(o, e.lastID)
	if dropped {
		e.unindexClient(clientKey{o.Account, o.ClientID}, o.ID)
	} else if evicted != 0 {
		e.unindexClient(key, evicted)
	}
}

// rest puts node n at the back of its price level, creating the level if needed, and returns
// the level's new quantity.
func (e *Engine) rest(n int32) int64 {
	o := &e.nodes[n].o
	h := e.half(o.Side)
	i, found := h.search(o.Price)
	var l int32
	if found {
		l = h.slots[i].lvl
	} else {
		l = e.allocLevel(o.Side, o.Price)
		h.insert(i, o.Price, l)
	}
	e.push(l, n)
	return e.levels[l].qty
}

// take removes node n from its level, dropping the level when it empties, and returns the
// level's side, price and new quantity.
func (e *Engine) take(n int32) (event.Side, int64, int64) {
	l := e.unlink(n)
	lv := &e.levels[l]
	side, price, qty := lv.side, lv.price, lv.qty
	if lv.head == nilIdx {
		e.half(side).remove(price)
		e.releaseLevel(l)
	}
	return side, price, qty
}

// emit reports o to the listener through the scratch copy.
func (e *Engine) emit(o *Order) {
	e.scratch = *o
	e.l.OnOrder(&e.scratch)
}

package match

import "ems/core/event"

// nilIdx is the null link of the node and level pools.
const nilIdx int32 = -1

// node is a pooled order: one resting order, linked into its price level's FIFO queue and into
// its account's list of open orders. Free nodes are chained through next.
type node struct {
	o            Order
	prev, next   int32 // FIFO queue of the level: head is the oldest (first to fill)
	aprev, anext int32 // the account's open orders, ascending by ID
	lvl          int32 // the level the node rests in
}

// level is a pooled price level: the aggregated quantity and the FIFO queue of its orders.
// Free levels are chained through head.
//
// INVARIANT: qty is the sum of Leaves over the queue; a level in a half has at least one order.
type level struct {
	price, qty int64
	head, tail int32
	side       event.Side
}

// pools owns the node and level arenas. Slices grow by append, so indices stay valid and a
// pointer into an arena is valid only until the next allocation.
type pools struct {
	nodes     []node
	levels    []level
	freeNode  int32
	freeLevel int32
}

func (p *pools) init(nodes, levels int) {
	p.nodes = make([]node, 0, nodes)
	p.levels = make([]level, 0, levels)
	p.freeNode, p.freeLevel = nilIdx, nilIdx
}

// allocNode returns a node holding o, unlinked.
func (p *pools) allocNode(o *Order) int32 {
	i := p.freeNode
	if i == nilIdx {
		p.nodes = append(p.nodes, node{})
		i = int32(len(p.nodes) - 1)
	} else {
		p.freeNode = p.nodes[i].next
	}
	p.nodes[i] = node{o: *o, prev: nilIdx, next: nilIdx, aprev: nilIdx, anext: nilIdx, lvl: nilIdx}
	return i
}

// releaseNode returns node i to the pool. It drops the node's ClientID so the pool keeps no
// caller string alive.
func (p *pools) releaseNode(i int32) {
	p.nodes[i] = node{next: p.freeNode}
	p.freeNode = i
}

func (p *pools) allocLevel(side event.Side, price int64) int32 {
	i := p.freeLevel
	if i == nilIdx {
		p.levels = append(p.levels, level{})
		i = int32(len(p.levels) - 1)
	} else {
		p.freeLevel = p.levels[i].head
	}
	p.levels[i] = level{price: price, side: side, head: nilIdx, tail: nilIdx}
	return i
}

func (p *pools) releaseLevel(i int32) {
	p.levels[i] = level{head: p.freeLevel}
	p.freeLevel = i
}

// push appends node n at the tail of level l (lowest time priority) and adds its leaves.
func (p *pools) push(l, n int32) {
	lv, nd := &p.levels[l], &p.nodes[n]
	nd.lvl, nd.prev, nd.next = l, lv.tail, nilIdx
	if lv.tail == nilIdx {
		lv.head = n
	} else {
		p.nodes[lv.tail].next = n
	}
	lv.tail = n
	lv.qty += nd.o.Qty - nd.o.Filled
}

// unlink removes node n from its level's queue and subtracts its leaves; it returns the level.
// The caller removes the level from its half when it becomes empty.
func (p *pools) unlink(n int32) int32 {
	nd := &p.nodes[n]
	l := nd.lvl
	lv := &p.levels[l]
	if nd.prev == nilIdx {
		lv.head = nd.next
	} else {
		p.nodes[nd.prev].next = nd.next
	}
	if nd.next == nilIdx {
		lv.tail = nd.prev
	} else {
		p.nodes[nd.next].prev = nd.prev
	}
	lv.qty -= nd.o.Qty - nd.o.Filled
	nd.prev, nd.next, nd.lvl = nilIdx, nilIdx, nilIdx
	return l
}

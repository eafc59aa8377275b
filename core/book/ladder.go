package book

import (
	"math"
	"math/bits"
	"slices"
)

// Window geometry of a ladder. The ring maps key k to slot k & windowMask, so any window of
// window consecutive keys occupies distinct slots and sliding the window moves no data.
const (
	windowBits  = 12
	window      = 1 << windowBits // ticks covered by the window
	windowMask  = window - 1
	windowWords = window / 64
	// headroom is the number of ticks kept free above the best level when the window is placed,
	// so that the touch can improve by about this much before the window slides up.
	headroom = 512
	// lowWater: when the best level falls below base+lowWater, the window slides down.
	lowWater = window / 2
)

// Occupancy bits. Slot p is bit 63-(p&63) of word p>>6: within a word a better (larger) key is a
// lower bit, so walking from the best level down is TrailingZeros64 and w &= w-1 per level.
func bitOf(p uint64) uint64 { return 1 << (^p & 63) }

// keyOfBit returns the key of bit b in the word whose first key is wordKey.
func keyOfBit(wordKey int64, b int) int64 { return wordKey + 63 - int64(b) }

// ladder is one side of a Book in key space (a larger key is a better level; see kq).
//
// INVARIANT: base is a multiple of 64, so each bitset word covers 64 consecutive keys.
// INVARIANT: every level is either in the window [base, base+window) (its bit set, its qty in
// qty[key&windowMask]) or in ovf with key < base, never both; bits of absent keys are 0.
// INVARIANT: n == 0 implies ovf is empty (the best level is always in the window).
// INVARIANT: n > 0 implies best is the largest key in the window, hence of the side.
type ladder struct {
	base int64 // first key of the window
	best int64 // the best key; meaningful only when n > 0
	n    int   // levels in the window
	ovf  sortedLevels
	bits [windowWords]uint64
	qty  [window]int64 // qty[k&windowMask] for a key k whose bit is set; stale otherwise
}

// anchorBase returns the window base that puts key headroom ticks below the window's top.
func anchorBase(key int64) int64 { return (key - (window - 1 - headroom)) &^ 63 }

// size returns the number of levels on the side.
func (l *ladder) size() int { return l.n + l.ovf.len() }

// bestLevel returns the best key and its quantity.
// REQUIRES: n > 0.
func (l *ladder) bestLevel() (int64, int64) { return l.best, l.qty[uint64(l.best)&windowMask] }

// clear empties the side. O(window/64).
func (l *ladder) clear() {
	l.bits = [windowWords]uint64{}
	l.n = 0
	l.ovf.clear()
}

// get returns the quantity at key, 0 when absent.
func (l *ladder) get(key int64) int64 {
	if uint64(key-l.base) < window {
		p := uint64(key) & windowMask
		if l.bits[p>>6]&bitOf(p) != 0 {
			return l.qty[p]
		}
		return 0
	}
	if key < l.base {
		return l.ovf.get(key)
	}
	return 0
}

// set sets the level at key to qty (0 deletes) and returns the previous quantity (0: absent).
// Inside the window, insert, update and delete share one branch-free path: the stream of updates
// mixes them unpredictably.
// REQUIRES: qty >= 0.
func (l *ladder) set(key, qty int64) int64 {
	if l.n == 0 {
		if qty == 0 {
			return 0 // empty side: nothing to delete
		}
		l.base = anchorBase(key) // place the window around the first level
		l.best = math.MinInt64
	}
	if uint64(key-l.base) >= window {
		return l.setOutside(key, qty)
	}
	p := uint64(key) & windowMask
	sh := ^p & 63
	old := l.bits[p>>6]
	had := int64(old>>sh) & 1
	prev := l.qty[p] & -had
	var now int64
	if qty != 0 {
		now = 1
	}
	l.bits[p>>6] = old&^(1<<sh) | uint64(now)<<sh
	l.qty[p] = qty
	l.n += int(now - had)
	if key >= l.best {
		if now != 0 {
			l.best = key
		} else if had != 0 {
			l.bestDeleted()
		}
	}
	return prev
}

// setOutside is set for a key outside the window.
func (l *ladder) setOutside(key, qty int64) int64 {
	if key < l.base {
		return l.ovf.set(key, qty)
	}
	if qty == 0 {
		return 0 // above the window: no such level
	}
	l.slideUp(key)
	p := uint64(key) & windowMask
	l.bits[p>>6] |= bitOf(p)
	l.qty[p] = qty
	l.n++
	l.best = key
	return 0
}

// bestDeleted restores the best level after it was deleted from the window.
func (l *ladder) bestDeleted() {
	if l.n > 0 {
		l.best, _ = l.prevSet(l.best - 1)
		if l.best-l.base < lowWater && l.ovf.len() > 0 {
			l.slideDown(l.best)
		}
		return
	}
	if l.ovf.len() > 0 {
		l.slideDown(l.ovf.last().key)
	}
}

// prevSet returns the largest key <= from that is in the window, and false when there is none.
// REQUIRES: from < base+window.
func (l *ladder) prevSet(from int64) (int64, bool) {
	if from < l.base {
		return 0, false
	}
	wordKey := from &^ 63
	w := l.bits[(uint64(wordKey)&windowMask)>>6] & (^uint64(0) << (63 - uint64(from&63)))
	for w == 0 {
		wordKey -= 64
		if wordKey < l.base {
			return 0, false
		}
		w = l.bits[(uint64(wordKey)&windowMask)>>6]
	}
	return keyOfBit(wordKey, bits.TrailingZeros64(w)), true
}

// slideUp moves the window up so that key (above it) becomes its anchor; the levels leaving the
// bottom of the window move to the overflow, where they are better than every level held.
// REQUIRES: key >= base+window.
func (l *ladder) slideUp(key int64) {
	nb := anchorBase(key)
	end := min(nb, l.base+window)
	for k := l.base; k < end && l.n > 0; k += 64 {
		wi := (uint64(k) & windowMask) >> 6
		w := l.bits[wi]
		if w == 0 {
			continue
		}
		l.bits[wi] = 0
		slot := uint64(k) & windowMask
		for w != 0 { // ascending keys: highest bit first
			z := bits.LeadingZeros64(w)
			w &^= 1 << (63 - z)
			l.ovf.push(k+int64(z), l.qty[slot+uint64(z)])
			l.n--
		}
	}
	l.base = nb
}

// slideDown moves the window down so that newBest becomes its anchor, taking back the overflow
// levels that the window now covers. The keys leaving the top of the window are above newBest,
// so they hold no level.
// REQUIRES: newBest is the best key of the side (in the window, or the overflow's last when the
// window is empty), and anchorBase(newBest) <= base.
func (l *ladder) slideDown(newBest int64) {
	nb := anchorBase(newBest)
	for l.ovf.len() > 0 {
		top := l.ovf.last()
		if top.key < nb {
			break
		}
		l.ovf.pop()
		p := uint64(top.key) & windowMask
		l.bits[p>>6] |= bitOf(p)
		l.qty[p] = top.qty
		l.n++
	}
	l.base = nb
	l.best = newBest
}

// truncate keeps the keep best levels and drops the rest; it returns the number dropped.
func (l *ladder) truncate(keep int) int {
	total := l.size()
	drop := total - keep
	if drop <= 0 {
		return 0
	}
	if keep <= 0 {
		l.clear()
		return total
	}
	m := min(drop, l.ovf.len())
	l.ovf.dropWorst(m)
	rest := drop - m
	// rest < n because keep >= 1: the best level stays and base need not move.
	for k := l.base; rest > 0; k += 64 {
		wi := (uint64(k) & windowMask) >> 6
		w := l.bits[wi]
		if c := bits.OnesCount64(w); c <= rest {
			l.bits[wi] = 0
			rest -= c
			l.n -= c
			continue
		}
		for ; rest > 0; rest-- { // the worst keys of the word are its highest bits
			w &^= 1 << (63 - bits.LeadingZeros64(w))
			l.n--
		}
		l.bits[wi] = w
	}
	return drop
}

// appendLevels appends up to n best levels (all when n < 0), best first, converting key k to the
// price k*mul (mul is tick for bids, -tick for asks).
func (l *ladder) appendLevels(dst []Level, n int, mul int64) []Level {
	total := l.size()
	if n < 0 || n > total {
		n = total
	}
	if n == 0 {
		return dst
	}
	start := len(dst)
	dst = slices.Grow(dst, n)
	out := dst[start : start+n]
	inWindow := min(n, l.n)
	l.fillWindow(out[:inWindow], mul)
	for i, j := inWindow, len(l.ovf.lv)-1; i < n; i, j = i+1, j-1 {
		out[i] = Level{Price: l.ovf.lv[j].key * mul, Qty: l.ovf.lv[j].qty}
	}
	return dst[:start+n]
}

// fillWindow writes the len(out) best levels of the window into out.
// REQUIRES: len(out) <= n.
func (l *ladder) fillWindow(out []Level, mul int64) {
	wordKey := l.best &^ 63
	w := l.bits[(uint64(wordKey)&windowMask)>>6] & (^uint64(0) << (63 - uint64(l.best&63)))
	for i := range out {
		for w == 0 {
			wordKey -= 64
			w = l.bits[(uint64(wordKey)&windowMask)>>6]
		}
		k := keyOfBit(wordKey, bits.TrailingZeros64(w))
		w &= w - 1
		out[i] = Level{Price: k * mul, Qty: l.qty[uint64(k)&windowMask]}
	}
}

// walk calls fn for up to n best levels (all when n < 0), best first, until fn returns false.
func (l *ladder) walk(n int, mul int64, fn func(price, qty int64) bool) {
	total := l.size()
	if n < 0 || n > total {
		n = total
	}
	if n == 0 {
		return
	}
	inWindow := min(n, l.n)
	wordKey := l.best &^ 63
	w := l.bits[(uint64(wordKey)&windowMask)>>6] & (^uint64(0) << (63 - uint64(l.best&63)))
	for range inWindow {
		for w == 0 {
			wordKey -= 64
			w = l.bits[(uint64(wordKey)&windowMask)>>6]
		}
		k := keyOfBit(wordKey, bits.TrailingZeros64(w))
		w &= w - 1
		if !fn(k*mul, l.qty[uint64(k)&windowMask]) {
			return
		}
	}
	for i, j := inWindow, len(l.ovf.lv)-1; i < n; i, j = i+1, j-1 {
		if !fn(l.ovf.lv[j].key*mul, l.ovf.lv[j].qty) {
			return
		}
	}
}

// cursor walks one ladder level by level, best first; Consolidated keeps one per venue.
type cursor struct {
	l   *ladder
	key int64 // current level
	qty int64
	idx int // index of the current level in l.ovf, or -1 while in the window
}

// first positions c on the best level of l; false when l is empty.
func (c *cursor) first(l *ladder) bool {
	c.l = l
	if l.n == 0 {
		return false
	}
	c.key, c.qty = l.bestLevel()
	c.idx = -1
	return true
}

// next moves c to the next level; false when there is none.
func (c *cursor) next() bool {
	l := c.l
	if c.idx < 0 {
		if k, ok := l.prevSet(c.key - 1); ok {
			c.key, c.qty = k, l.qty[uint64(k)&windowMask]
			return true
		}
		c.idx = len(l.ovf.lv)
	}
	c.idx--
	if c.idx < 0 {
		return false
	}
	c.key, c.qty = l.ovf.lv[c.idx].key, l.ovf.lv[c.idx].qty
	return true
}

// trailing returns the index of the lowest set bit of m.
// REQUIRES: m != 0.
func trailing(m uint64) int { return bits.TrailingZeros64(m) }

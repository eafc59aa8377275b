// Package book is the fixed-point level-2 order book of ems. The same code keeps a feed's replica of
// a venue's book (for the venue's sequence and checksum rules) and the core's view of each venue
// (for the router).
//
// Prices and quantities are int64 in the instrument's units: a price is a count of price units at
// the instrument's price scale (scale 2: 6712345 is 67123.45), a quantity a count of quantity units.
// A Book is built with the instrument's tick in price units (tick 1000 at scale 8 is 0.00001) and
// indexes levels by price/tick; a price that is not a multiple of the tick is an error returned to
// the caller. Tick 1 accepts any positive price (replays of unknown symbols).
//
// Semantics follow the venues (see the venue specs, sections 1-6): a level update carries the
// absolute size; size 0 deletes the level, and deleting an unknown level is a normal no-op; a
// snapshot replaces the book (BeginSnapshot, then Set every level) and is never merged into a stale
// book; a venue with a subscribed depth keeps only its best levels (Truncate after each message).
//
// # Structure
//
// Each side of a Book is a price ladder: a ring of 4096 tick slots (window) around the touch with
// an occupancy bitset, plus a sorted array (overflow) for the levels deeper than the window. Set on
// a price inside the window is a few branch-free instructions; the best level is cached, and after
// the best is deleted the next one is found with a bit scan (math/bits.TrailingZeros64 over words
// ordered best first), one word per 64 ticks.
// When a new best arrives above the window, the window slides up and the levels leaving its
// bottom move to the overflow; when the best falls into the lower half of the window (or the window
// empties), it slides down and takes the overflow's best levels back. A plain sorted array per side
// is kept in the package as the overflow and as the benchmark baseline; the ladder is faster on
// touch-heavy update streams (see bench_test.go).
//
// Memory: a Book holds about 66 KB of ladder plus two overflow arrays preallocated to the capacity
// given to New. Steady-state Set, delete, best, Levels, Walk, Truncate and Consolidated.Levels
// allocate nothing; the overflow allocates only when more levels than the capacity lie outside the
// window.
//
// # When not to use
//
// Not for order-by-order (L3) books, negative prices, prices above MaxPrice, or instruments whose
// levels are spread over far more than 4096 ticks with frequent updates far from the touch (with
// tick 1 on a fine price scale the ladder degrades to the sorted array, which is correct but slower).
//
// # Ownership
//
// A Book and a Consolidated are owned by one goroutine (a feed's, or the core's) and are not safe
// for concurrent use. Slices returned by Levels alias the caller's buffer only.
package book

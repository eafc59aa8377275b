// Package intern turns variable byte strings (venue names, symbols, venue order ids) into dense
// small-integer ids, so events can carry them as fixed-size fields.
package intern

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/cespare/xxhash/v2"
)

// ErrFull is returned by Intern when the table already holds its maximum number of ids.
var ErrFull = errors.New("intern: table full")

// Table maps byte strings to ids 1, 2, 3, ... in the order they were first interned (0 is never
// an id: it means "none" in events). Keys are hashed with xxhash64 into an open-addressing index;
// the key bytes live in an append-only arena.
//
// A Table is owned by one goroutine and is not safe for concurrent use. Lookup never allocates;
// Intern allocates only when it adds a key and the arena or the index must grow (size them with
// New to avoid that in steady state).
type Table struct {
	index []slot // open addressing, linear probing; len is a power of two
	mask  uint64
	arena []byte   // every key, back to back
	ends  []uint32 // ends[id-1] is the end of key id in arena; it starts at ends[id-2] (or 0)
	max   uint32
}

type slot struct {
	hash uint64
	id   uint32 // 0: empty
}

// New returns a table sized for capacity keys of about keyBytes bytes in total, holding at most
// maxIDs ids (0: up to 2^32-1).
func New(capacity, keyBytes int, maxIDs uint32) *Table {
	if maxIDs == 0 {
		maxIDs = ^uint32(0)
	}
	n := 16
	for n < 2*capacity {
		n <<= 1
	}
	return &Table{
		index: make([]slot, n),
		mask:  uint64(n - 1),
		arena: make([]byte, 0, keyBytes),
		ends:  make([]uint32, 0, capacity),
		max:   maxIDs,
	}
}

// Len returns the number of ids handed out.
func (t *Table) Len() int { return len(t.ends) }

// Lookup returns the id of key, or 0 and false when key was never interned. It never allocates.
func (t *Table) Lookup(key []byte) (uint32, bool) {
	h := xxhash.Sum64(key)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.index[i]
		if s.id == 0 {
			return 0, false
		}
		if s.hash == h && bytes.Equal(t.Name(s.id), key) {
			return s.id, true
		}
	}
}

// Intern returns the id of key, adding it when it is new. The key is copied. Empty keys are
// refused: an empty symbol or order id is a decoding bug upstream.
func (t *Table) Intern(key []byte) (uint32, error) {
	if len(key) == 0 {
		return 0, errors.New("intern: empty key")
	}
	h := xxhash.Sum64(key)
	i := h & t.mask
	for ; ; i = (i + 1) & t.mask {
		s := t.index[i]
		if s.id == 0 {
			break
		}
		if s.hash == h && bytes.Equal(t.Name(s.id), key) {
			return s.id, nil
		}
	}
	if uint32(len(t.ends)) >= t.max {
		return 0, fmt.Errorf("%w (%d ids) adding %q", ErrFull, t.max, key)
	}
	if uint64(len(t.arena))+uint64(len(key)) > uint64(^uint32(0)) {
		return 0, fmt.Errorf("%w: 4 GiB of key bytes", ErrFull)
	}
	t.arena = append(t.arena, key...)
	t.ends = append(t.ends, uint32(len(t.arena)))
	id := uint32(len(t.ends))
	t.index[i] = slot{hash: h, id: id}
	// INVARIANT: the index is at most half full, so probes stay short and always end.
	if uint64(len(t.ends))*2 > uint64(len(t.index)) {
		t.grow()
	}
	return id, nil
}

// Name returns the key of id, or nil when id was never handed out. The returned slice must not be
// modified; it stays valid for the life of the table (the arena is only appended to, and a grown
// arena leaves old slices pointing at the old, unchanged bytes).
func (t *Table) Name(id uint32) []byte {
	if id == 0 || int(id) > len(t.ends) {
		return nil
	}
	start := uint32(0)
	if id > 1 {
		start = t.ends[id-2]
	}
	end := t.ends[id-1]
	return t.arena[start:end:end]
}

func (t *Table) grow() {
	index := make([]slot, 2*len(t.index))
	mask := uint64(len(index) - 1)
	for _, s := range t.index {
		if s.id == 0 {
			continue
		}
		i := s.hash & mask
		for index[i].id != 0 {
			i = (i + 1) & mask
		}
		index[i] = s
	}
	t.index, t.mask = index, mask
}

// Package atomicle loads and stores 32-bit little-endian words in memory
// shared with other goroutines or processes, with acquire and release
// ordering. The journal uses it for the length word that publishes a record.
//
// Store32 is a release store, not a sequentially consistent one: on amd64 a
// plain MOV (x86 keeps stores in order, so every earlier store is visible
// before it), on arm64 an STLR; elsewhere sync/atomic's store. A full-fence
// store (XCHG, what atomic.StoreUint32 compiles to on amd64) would wait for
// every earlier store to reach the cache, which for a writer streaming into
// fresh cache lines is a third of the cost of an append. The assembly
// function is opaque to the compiler, so the compiler cannot move earlier
// stores after it either.
//
// Go's atomics work on native-order words; on a little-endian machine the
// conversion is free, on a big-endian one it is a byte swap.
package atomicle

import (
	"sync/atomic"
	"unsafe"
)

// Load32 returns the little-endian uint32 at the start of b, read with an
// atomic (acquire) load: every store made before the Store32 that wrote the
// value is visible after it.
//
// REQUIRES: len(b) >= 4; &b[0] is 4-byte aligned.
func Load32(b []byte) uint32 {
	return fromNative(atomic.LoadUint32(word(b)))
}

// Store32 writes v as a little-endian uint32 at the start of b with a
// release store: a reader that observes v with Load32 also observes every
// store made before this call.
//
// REQUIRES: len(b) >= 4; &b[0] is 4-byte aligned.
func Store32(b []byte, v uint32) {
	storeRelease(word(b), fromNative(v))
}

// word returns a pointer to the first four bytes of b, panicking if b is
// shorter. Reslicing checks the length without reading the bytes (a read
// would count as a plain access to the race detector).
func word(b []byte) *uint32 { return (*uint32)(unsafe.Pointer(&b[:4][0])) }

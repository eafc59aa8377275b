// Package atomicle loads and stores 32-bit little-endian words in memory
// shared with other goroutines or processes, atomically. The journal uses it
// for the length word that publishes a record.
//
// Go's atomics work on native-order words; on a little-endian machine the
// conversion is free, on a big-endian one it is a byte swap.
package atomicle

import (
	"sync/atomic"
	"unsafe"
)

// Load32 returns the little-endian uint32 at the start of b, read with an
// atomic load (acquire): every store made before the matching Store32 is
// visible after it.
//
// REQUIRES: len(b) >= 4; &b[0] is 4-byte aligned.
func Load32(b []byte) uint32 {
	_ = b[3]
	return fromNative(atomic.LoadUint32((*uint32)(unsafe.Pointer(&b[0]))))
}

// Store32 writes v as a little-endian uint32 at the start of b with an atomic
// store (release): a reader that observes v with Load32 also observes every
// store made before this call.
//
// REQUIRES: len(b) >= 4; &b[0] is 4-byte aligned.
func Store32(b []byte, v uint32) {
	_ = b[3]
	atomic.StoreUint32((*uint32)(unsafe.Pointer(&b[0])), fromNative(v))
}

//go:build !(386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm)

package atomicle

import "math/bits"

// fromNative converts between native (big-endian) and little-endian order.
func fromNative(v uint32) uint32 { return bits.ReverseBytes32(v) }

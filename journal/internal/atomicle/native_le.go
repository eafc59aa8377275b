//go:build 386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm

package atomicle

// fromNative converts between native and little-endian order; on this
// architecture they are the same.
func fromNative(v uint32) uint32 { return v }

//go:build (amd64 || arm64) && !race

package atomicle

// storeRelease stores v at p with release ordering (see release_*.s).
//
//go:noescape
func storeRelease(p *uint32, v uint32)

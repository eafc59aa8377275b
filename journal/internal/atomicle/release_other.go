//go:build !(amd64 || arm64)

package atomicle

import "sync/atomic"

// storeRelease stores v at p; sync/atomic's store is at least a release.
func storeRelease(p *uint32, v uint32) { atomic.StoreUint32(p, v) }

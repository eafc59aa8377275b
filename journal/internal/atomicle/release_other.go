//go:build !(amd64 || arm64) || race

package atomicle

import "sync/atomic"

// storeRelease stores v at p; sync/atomic's store is at least a release.
// Race-detector builds use it on every architecture, since the detector does
// not see the assembly store as a synchronisation.
func storeRelease(p *uint32, v uint32) { atomic.StoreUint32(p, v) }

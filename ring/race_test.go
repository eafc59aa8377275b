//go:build race

package ring

// Under the race detector every access is instrumented and the stress runs
// are cut tenfold.
const stressEvents = 1_000_000

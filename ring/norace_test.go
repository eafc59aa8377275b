//go:build !race

package ring

// stressEvents is the number of events each concurrent stress test moves.
const stressEvents = 10_000_000

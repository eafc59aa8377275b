//go:build !race

package coinbase

// raceScale divides the step counts of the long tests under the race detector.
const raceScale = 1

//go:build !race

package sim

// raceEnabled scales long runs down under the race detector.
const raceEnabled = false

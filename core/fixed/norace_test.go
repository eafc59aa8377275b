//go:build !race

package fixed

// raceEnabled scales random-input test counts down under the race detector.
const raceEnabled = false

//go:build race

package flow

// raceEnabled scales long runs down under the race detector.
const raceEnabled = true

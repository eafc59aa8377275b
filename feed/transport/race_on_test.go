//go:build race

package transport

// raceEnabled scales stress counts down under the race detector.
const raceEnabled = true

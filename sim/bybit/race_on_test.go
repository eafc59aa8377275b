//go:build race

package bybit

// raceEnabled scales stress counts down under the race detector.
const raceEnabled = true

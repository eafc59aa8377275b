//go:build !race

package binance

// Test sizes without the race detector.
const (
	stepsPerRound = 30 // venue steps of 100 ms between two feed checks
	benchLevels   = 100
)

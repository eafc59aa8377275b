//go:build race

package binance

// Test sizes under the race detector (about ten times slower on two cores).
const (
	stepsPerRound = 10
	benchLevels   = 100
)

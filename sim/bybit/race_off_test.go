//go:build !race

package bybit

const raceEnabled = false

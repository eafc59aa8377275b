//go:build !race

package match

// raceEnabled scales stress tests down under the race detector.
const raceEnabled = false

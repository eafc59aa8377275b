//go:build !race

package journal

// raceEnabled scales stress tests down under the race detector.
const raceEnabled = false

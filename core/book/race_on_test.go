//go:build race

package book

// raceEnabled scales stress tests down under the race detector.
const raceEnabled = true

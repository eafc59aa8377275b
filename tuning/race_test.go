//go:build race

package tuning

// raceEnabled scales stress counts down and skips tests the race detector's
// shadow memory makes unsafe (mlockall).
const raceEnabled = true

package transport

import "time"

// Clock stamps received frames: Now returns the current time in ns since the Unix epoch. The
// transport is the edge where time enters the process; the core only ever sees the stamps. A
// Clock is called on the feed thread, once per read system call (not per frame), and must not
// allocate.
type Clock interface {
	Now() int64
}

// WallClock reads the system's wall clock (time.Now, vDSO on Linux). It is the production Clock.
type WallClock struct{}

// Now returns time.Now in ns since the Unix epoch.
func (WallClock) Now() int64 { return time.Now().UnixNano() }

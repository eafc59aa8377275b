package tuning

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"

	"golang.org/x/sys/unix"
)

// Memory is the process-wide memory policy for a latency-sensitive run.
// The zero value changes nothing.
type Memory struct {
	// GCPercent sets GOGC: 0 leaves it unchanged, a negative value turns
	// the collector off (bound it with MemoryLimitBytes), a positive value
	// sets the heap growth percentage.
	GCPercent int
	// MemoryLimitBytes sets the soft memory limit (GOMEMLIMIT): 0 leaves it
	// unchanged, math.MaxInt64 removes it.
	MemoryLimitBytes int64
	// Mlock locks all current and future pages in RAM (mlockall with
	// MCL_CURRENT|MCL_FUTURE), so no hot page is ever paged out or faulted
	// in lazily. Each later heap growth is then faulted in and locked whole,
	// so allocate up front and set MemoryLimitBytes. Needs RLIMIT_MEMLOCK
	// above the process size or CAP_IPC_LOCK.
	Mlock bool
}

// memSys is the system interface Apply uses; tests substitute failures.
type memSys struct {
	mlockall   func(flags int) error
	munlockall func() error
	memlock    func() (uint64, error) // soft RLIMIT_MEMLOCK in bytes
}

func osMemSys() memSys {
	return memSys{
		mlockall:   unix.Mlockall,
		munlockall: unix.Munlockall,
		memlock: func() (uint64, error) {
			var lim unix.Rlimit
			err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &lim)
			return lim.Cur, err
		},
	}
}

// Apply applies m to the running process and returns a function that puts
// back the previous GC percent and memory limit and unlocks memory if Apply
// locked it. Mlock is attempted first: when it fails, nothing has changed
// and the error says which limit to raise.
//
// These settings are process-wide: call Apply once, at start-up, from the
// goroutine that owns the process configuration. The restore function is
// for that same goroutine; calling it again does nothing.
func (m Memory) Apply() (restore func() error, err error) {
	return m.apply(osMemSys())
}

func (m Memory) apply(sys memSys) (func() error, error) {
	if m.MemoryLimitBytes < 0 {
		return nil, fmt.Errorf("tuning: memory limit %d is negative", m.MemoryLimitBytes)
	}
	locked := false
	if m.Mlock {
		if err := sys.mlockall(unix.MCL_CURRENT | unix.MCL_FUTURE); err != nil {
			return nil, mlockError(err, sys)
		}
		locked = true
	}
	prevGC, setGC := 0, m.GCPercent != 0
	if setGC {
		pct := m.GCPercent
		if pct < 0 {
			pct = -1
		}
		prevGC = debug.SetGCPercent(pct)
	}
	prevLimit, setLimit := int64(0), m.MemoryLimitBytes != 0
	if setLimit {
		prevLimit = debug.SetMemoryLimit(m.MemoryLimitBytes)
	}
	restored := false
	return func() error {
		if restored {
			return nil
		}
		restored = true
		if setLimit {
			debug.SetMemoryLimit(prevLimit)
		}
		if setGC {
			debug.SetGCPercent(prevGC)
		}
		if locked {
			if err := sys.munlockall(); err != nil {
				return fmt.Errorf("tuning: munlockall: %w", err)
			}
		}
		return nil
	}, nil
}

// mlockError explains a failed mlockall; it wraps the errno.
func mlockError(err error, sys memSys) error {
	limit := "unknown"
	if cur, lerr := sys.memlock(); lerr == nil {
		limit = formatBytes(cur)
	}
	if errors.Is(err, unix.ENOMEM) || errors.Is(err, unix.EPERM) {
		return fmt.Errorf("tuning: mlockall(MCL_CURRENT|MCL_FUTURE): %w: RLIMIT_MEMLOCK is %s, less than the process size; "+
			"raise it (ulimit -l unlimited, systemd LimitMEMLOCK=infinity) or grant CAP_IPC_LOCK", err, limit)
	}
	return fmt.Errorf("tuning: mlockall(MCL_CURRENT|MCL_FUTURE): %w (RLIMIT_MEMLOCK is %s)", err, limit)
}

// formatBytes renders a byte count exactly, in the largest binary unit that
// divides it; math.MaxUint64 (RLIM_INFINITY) is "unlimited".
func formatBytes(n uint64) string {
	if n == math.MaxUint64 {
		return "unlimited"
	}
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	u := 0
	for u < len(units)-1 && n >= 1024 && n%1024 == 0 {
		n /= 1024
		u++
	}
	return fmt.Sprintf("%d %s", n, units[u])
}

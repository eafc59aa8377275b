package tuning

import (
	"errors"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestMemoryGCSettings(t *testing.T) {
	gc0 := debug.SetGCPercent(-1)
	debug.SetGCPercent(gc0)
	lim0 := debug.SetMemoryLimit(-1)

	tests := []struct {
		name      string
		m         Memory
		wantGC    int
		wantLimit int64
	}{
		{"zero changes nothing", Memory{}, gc0, lim0},
		{"gc percent", Memory{GCPercent: 400}, 400, lim0},
		{"gc off", Memory{GCPercent: -5}, -1, lim0},
		{"limit", Memory{MemoryLimitBytes: 1 << 30}, gc0, 1 << 30},
		{"both", Memory{GCPercent: -1, MemoryLimitBytes: 2 << 30}, -1, 2 << 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			restore, err := tt.m.Apply()
			if err != nil {
				t.Fatal(err)
			}
			gc := debug.SetGCPercent(-1)
			debug.SetGCPercent(gc)
			if gc != tt.wantGC {
				t.Errorf("GC percent = %d, want %d", gc, tt.wantGC)
			}
			if lim := debug.SetMemoryLimit(-1); lim != tt.wantLimit {
				t.Errorf("memory limit = %d, want %d", lim, tt.wantLimit)
			}
			if err := restore(); err != nil {
				t.Fatal(err)
			}
			if err := restore(); err != nil { // second call does nothing
				t.Fatal(err)
			}
			gc = debug.SetGCPercent(-1)
			debug.SetGCPercent(gc)
			if gc != gc0 || debug.SetMemoryLimit(-1) != lim0 {
				t.Errorf("after restore: GC %d limit %d, want %d %d", gc, debug.SetMemoryLimit(-1), gc0, lim0)
			}
		})
	}
	if _, err := (Memory{MemoryLimitBytes: -1}).Apply(); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("negative limit: %v", err)
	}
}

// fakeMemSys records calls and fails mlockall with err.
type fakeMemSys struct {
	err            error
	locks, unlocks int
	flags          int
	limit          uint64
}

func (f *fakeMemSys) sys() memSys {
	return memSys{
		mlockall:   func(flags int) error { f.locks++; f.flags = flags; return f.err },
		munlockall: func() error { f.unlocks++; return nil },
		memlock:    func() (uint64, error) { return f.limit, nil },
	}
}

func TestMemoryMlock(t *testing.T) {
	gc0 := debug.SetGCPercent(-1)
	debug.SetGCPercent(gc0)

	t.Run("success", func(t *testing.T) {
		f := &fakeMemSys{limit: math.MaxUint64}
		restore, err := Memory{Mlock: true, GCPercent: 300}.apply(f.sys())
		if err != nil {
			t.Fatal(err)
		}
		if f.locks != 1 || f.flags != unix.MCL_CURRENT|unix.MCL_FUTURE {
			t.Errorf("mlockall called %d times with flags %#x", f.locks, f.flags)
		}
		if err := restore(); err != nil {
			t.Fatal(err)
		}
		if f.unlocks != 1 {
			t.Errorf("munlockall called %d times, want 1", f.unlocks)
		}
	})
	tests := []struct {
		name  string
		errno error
		limit uint64
		want  string
	}{
		{"over the limit", unix.ENOMEM, 8 << 20,
			"tuning: mlockall(MCL_CURRENT|MCL_FUTURE): cannot allocate memory: RLIMIT_MEMLOCK is 8 MiB, less than the process size; raise it (ulimit -l unlimited, systemd LimitMEMLOCK=infinity) or grant CAP_IPC_LOCK"},
		{"no privilege", unix.EPERM, 0, "operation not permitted: RLIMIT_MEMLOCK is 0 bytes"},
		{"other", unix.EAGAIN, 64 << 10, "resource temporarily unavailable (RLIMIT_MEMLOCK is 64 KiB)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeMemSys{err: tt.errno, limit: tt.limit}
			restore, err := Memory{Mlock: true, GCPercent: 300}.apply(f.sys())
			if err == nil || restore != nil {
				t.Fatalf("apply = %v, want an error and no restore", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !errors.Is(err, tt.errno) {
				t.Errorf("error = %q\nwant containing %q and wrapping %v", err, tt.want, tt.errno)
			}
			gc := debug.SetGCPercent(-1)
			debug.SetGCPercent(gc)
			if gc != gc0 {
				t.Errorf("GC percent changed to %d although mlock failed", gc)
			}
		})
	}
}

// TestMemoryMlockRealFailure makes the real mlockall fail: on a thread of
// its own it drops CAP_IPC_LOCK (capabilities are per thread), so with a
// finite RLIMIT_MEMLOCK below the process size the kernel refuses before
// locking anything. The thread is never unlocked, so it dies with the
// goroutine and takes the reduced capabilities with it.
func TestMemoryMlockRealFailure(t *testing.T) {
	if raceEnabled {
		t.Skip("not under -race: if the kernel did lock, the race detector's shadow memory would be locked with it")
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &lim); err != nil || lim.Cur == unix.RLIM_INFINITY || lim.Cur > 64<<20 {
		t.Skipf("RLIMIT_MEMLOCK is %d (err %v): mlockall could succeed and lock the test process", lim.Cur, err)
	}
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the capability change dies with the thread
		if err := dropIPCLock(); err != nil {
			done <- err
			return
		}
		restore, err := Memory{Mlock: true}.Apply()
		if err == nil {
			_ = restore()
			done <- errors.New("mlockall succeeded")
			return
		}
		done <- err
	}()
	err := <-done
	if err != nil && strings.HasPrefix(err.Error(), "skip: ") {
		t.Skip(err)
	}
	if err == nil || !strings.HasPrefix(err.Error(), "tuning: mlockall") || !strings.Contains(err.Error(), "RLIMIT_MEMLOCK is "+formatBytes(lim.Cur)) {
		t.Fatalf("Apply error = %v, want a tuning: mlockall error naming the limit", err)
	}
	if !errors.Is(err, unix.ENOMEM) && !errors.Is(err, unix.EPERM) {
		t.Errorf("error %v wraps neither ENOMEM nor EPERM", err)
	}
	t.Log(err)
}

// dropIPCLock removes CAP_IPC_LOCK from the calling thread's effective set
// and checks that it is gone. Errors starting "skip: " mean the test cannot
// run here.
func dropIPCLock() error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return errors.New("skip: capget: " + err.Error())
	}
	data[0].Effective &^= 1 << capIPCLock
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return errors.New("skip: capset: " + err.Error())
	}
	status, err := os.ReadFile("/proc/thread-self/status")
	if err != nil {
		return errors.New("skip: " + err.Error())
	}
	capEff, _ := field(string(status), "CapEff", ':')
	mask, err := strconv.ParseUint(capEff, 16, 64)
	if err != nil || mask&(1<<capIPCLock) != 0 {
		return errors.New("skip: CAP_IPC_LOCK still effective on this thread")
	}
	return nil
}

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "0 bytes"}, {1000, "1000 bytes"}, {1024, "1 KiB"}, {8 << 20, "8 MiB"},
		{3 << 30, "3 GiB"}, {1<<20 + 1, "1048577 bytes"}, {math.MaxUint64, "unlimited"},
	}
	for _, tt := range tests {
		if got := formatBytes(tt.n); got != tt.want {
			t.Errorf("formatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

package tuning

import (
	"errors"
	"io/fs"
	"os"
	"strings"
)

// HostFS is the file tree Check reads: a root holding "proc" and "sys".
// OSHost is the real one; tests pass os.DirFS("testdata/hosts/vm") or an
// fstest.MapFS. Paths are fs.FS paths, without a leading slash.
type HostFS interface {
	fs.FS
}

// OSHost returns the running host's file tree (rooted at "/"). Check only
// reads from it. Process entries are read from proc/self, that is the
// process calling Check.
func OSHost() HostFS {
	return os.DirFS("/")
}

// Paths read by Check and CurrentHost, relative to the HostFS root.
const (
	pathCPUDir       = "sys/devices/system/cpu"
	pathCPUOnline    = "sys/devices/system/cpu/online"
	pathIsolated     = "sys/devices/system/cpu/isolated"
	globCPUs         = "sys/devices/system/cpu/cpu[0-9]*"
	pathNodeDir      = "sys/devices/system/node"
	globNodes        = "sys/devices/system/node/node[0-9]*"
	pathTHPEnabled   = "sys/kernel/mm/transparent_hugepage/enabled"
	pathTHPDefrag    = "sys/kernel/mm/transparent_hugepage/defrag"
	pathClockCurrent = "sys/devices/system/clocksource/clocksource0/current_clocksource"
	pathClockAvail   = "sys/devices/system/clocksource/clocksource0/available_clocksource"
	pathCmdline      = "proc/cmdline"
	pathCPUInfo      = "proc/cpuinfo"
	pathSelfStatus   = "proc/self/status"
	pathSelfLimits   = "proc/self/limits"
)

// readString reads a small file and trims surrounding space. ok is false
// when the file does not exist; err reports any other failure.
func readString(fsys HostFS, path string) (s string, ok bool, err error) {
	b, err := fs.ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return strings.TrimSpace(string(b)), true, nil
}

// field returns the value of "key<sep>value" lines in text, trimmed.
func field(text, key string, sep byte) (string, bool) {
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, string(sep))
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

package tuning

import (
	"math"
	"strconv"
	"strings"
)

// Host check items about the kernel: transparent huge pages, the clock
// source, TSC flags and the locked-memory limit.

// selected returns the bracketed choice of a sysfs option file such as
// "always [madvise] never".
func selected(s string) string {
	if i := strings.IndexByte(s, '['); i >= 0 {
		if j := strings.IndexByte(s[i:], ']'); j > 0 {
			return s[i+1 : i+j]
		}
	}
	return s
}

func checkTHPEnabled(fsys HostFS) Item {
	it := Item{Name: "thp enabled"}
	s, ok, _ := readString(fsys, pathTHPEnabled)
	if !ok {
		it.Found, it.Status = "not available", StatusInfo
		return it
	}
	it.Found = selected(s)
	switch it.Found {
	case "always":
		it.Status = StatusWarn
		it.Advice = "THP: madvise recommended; never for latency-critical (khugepaged collapses and fault-time compaction stall threads)"
	case "madvise":
		it.Advice = "never for latency-critical hosts"
	case "never":
	default:
		it.Status = StatusInfo
	}
	return it
}

func checkTHPDefrag(fsys HostFS) Item {
	it := Item{Name: "thp defrag"}
	s, ok, _ := readString(fsys, pathTHPDefrag)
	if !ok {
		it.Found, it.Status = "not available", StatusInfo
		return it
	}
	it.Found = selected(s)
	switch it.Found {
	case "always":
		it.Status = StatusWarn
		it.Advice = "page faults stall on direct compaction: set defer+madvise, madvise or never"
	case "madvise", "defer", "defer+madvise", "never":
	default:
		it.Status = StatusInfo
	}
	return it
}

func checkClocksource(fsys HostFS) Item {
	it := Item{Name: "clocksource"}
	cur, ok, _ := readString(fsys, pathClockCurrent)
	if !ok {
		it.Found, it.Status = "not exposed", StatusInfo
		return it
	}
	avail, _, _ := readString(fsys, pathClockAvail)
	it.Found = cur
	if avail != "" {
		it.Found += " (available: " + strings.Join(strings.Fields(avail), " ") + ")"
	}
	if cur == "tsc" {
		return it
	}
	it.Status = StatusWarn
	offered := false
	for _, a := range strings.Fields(avail) {
		offered = offered || a == "tsc"
	}
	if offered {
		it.Advice = "clocksource tsc recommended: echo tsc > /" + pathClockCurrent + " (or clocksource=tsc on the kernel command line)"
	} else {
		it.Advice = "clocksource tsc recommended, but this kernel does not offer it (TSC judged unstable): every timestamp costs more"
	}
	return it
}

func checkTSC(fsys HostFS) Item {
	it := Item{Name: "tsc flags"}
	info, ok, _ := readString(fsys, pathCPUInfo)
	if !ok {
		it.Found, it.Status = "not exposed", StatusInfo
		return it
	}
	flags, ok := field(info, "flags", ':')
	if !ok {
		it.Found, it.Status = "no x86 CPU flags", StatusInfo
		return it
	}
	has := map[string]bool{}
	for _, f := range strings.Fields(flags) {
		has[f] = true
	}
	var present, missing []string
	for _, f := range []string{"constant_tsc", "nonstop_tsc", "tsc_reliable"} {
		if has[f] {
			present = append(present, f)
		} else {
			missing = append(missing, f)
		}
	}
	it.Found = strings.Join(present, " ")
	if len(present) == 0 {
		it.Found = "none"
	}
	if len(missing) > 0 {
		it.Found += "; missing " + strings.Join(missing, " ")
	}
	if !has["constant_tsc"] || !has["nonstop_tsc"] {
		it.Status = StatusWarn
		it.Advice = "the TSC is not invariant (it may drift with frequency or stop in deep C-states): do not use tsc timestamps across cores"
	}
	return it
}

// capIPCLock is CAP_IPC_LOCK's bit in the CapEff mask.
const capIPCLock = 14

func (v *view) checkMemlock() Item {
	it := Item{Name: "memlock"}
	limits, ok, _ := readString(v.fs, pathSelfLimits)
	if !ok {
		it.Found, it.Status = "unknown (proc/self/limits not readable)", StatusInfo
		return it
	}
	soft := ""
	for _, line := range strings.Split(limits, "\n") {
		if rest, ok := strings.CutPrefix(line, "Max locked memory"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				soft = f[0]
			}
		}
	}
	var bytes uint64
	switch {
	case soft == "":
		it.Found, it.Status = "unknown (no Max locked memory line)", StatusInfo
		return it
	case soft == "unlimited":
		bytes = math.MaxUint64
	default:
		n, err := strconv.ParseUint(soft, 10, 64)
		if err != nil {
			it.Found, it.Status = "unparsable: "+soft, StatusInfo
			return it
		}
		bytes = n
	}
	it.Found = "RLIMIT_MEMLOCK " + formatBytes(bytes)
	if bytes == math.MaxUint64 {
		return it
	}
	if capEff, ok := field(v.selfStatus, "CapEff", ':'); ok {
		if mask, err := strconv.ParseUint(capEff, 16, 64); err == nil && mask&(1<<capIPCLock) != 0 {
			it.Found += ", CAP_IPC_LOCK held (the limit does not bind)"
			return it
		}
	}
	it.Status = StatusWarn
	it.Advice = "Memory.Mlock needs more than the process size: raise RLIMIT_MEMLOCK (ulimit -l unlimited, systemd LimitMEMLOCK=infinity) or grant CAP_IPC_LOCK"
	return it
}

package tuning

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// Status grades one host check item.
type Status int

const (
	StatusOK   Status = iota // as recommended
	StatusInfo               // worth knowing; nothing to fix, or cannot tell
	StatusWarn               // costs latency; the advice says what to change
)

func (s Status) String() string {
	switch s {
	case StatusOK:
		return "ok"
	case StatusInfo:
		return "info"
	case StatusWarn:
		return "warn"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Item is one finding of a host check.
type Item struct {
	Name   string // what was checked, e.g. "clocksource"
	Found  string // what the host has
	Status Status
	Advice string // what to change or know; empty when nothing
}

// Report is the result of Check, one Item per setting, in a fixed order.
type Report struct {
	Items []Item
}

// Count returns how many items have status s.
func (r Report) Count(s Status) int {
	n := 0
	for _, it := range r.Items {
		if it.Status == s {
			n++
		}
	}
	return n
}

// WriteText prints the report as aligned columns (status, check, found),
// each piece of advice on its own line under what it is about, and a
// summary line.
func (r Report) WriteText(w io.Writer) error {
	nameW := len("CHECK")
	for _, it := range r.Items {
		nameW = max(nameW, len(it.Name))
	}
	indent := strings.Repeat(" ", 6+nameW+2)
	var b strings.Builder
	fmt.Fprintf(&b, "%-4s  %-*s  %s\n", "", nameW, "CHECK", "FOUND")
	for _, it := range r.Items {
		fmt.Fprintf(&b, "%-4s  %-*s  %s\n", it.Status, nameW, it.Name, it.Found)
		if it.Advice != "" {
			fmt.Fprintf(&b, "%sadvice: %s\n", indent, it.Advice)
		}
	}
	fmt.Fprintf(&b, "%d checks: %d ok, %d warn, %d info (read only: nothing on the host was changed)\n",
		len(r.Items), r.Count(StatusOK), r.Count(StatusWarn), r.Count(StatusInfo))
	_, err := io.WriteString(w, b.String())
	return err
}

// Check inspects a host for low-latency readiness: CPUs and SMT, isolation
// (isolcpus, nohz_full, rcu_nocbs), the frequency governor, transparent huge
// pages, NUMA, the clock source and TSC, the process affinity and
// RLIMIT_MEMLOCK. It only reads files from fsys and never changes the host;
// a file it cannot read becomes an info item, never an error.
func Check(fsys HostFS) Report {
	v := look(fsys)
	return Report{Items: []Item{
		v.checkOnline(),
		v.checkSMT(),
		v.checkIsolated(),
		v.checkTickParam("nohz_full", "so the isolated CPUs run without the scheduler tick"),
		v.checkTickParam("rcu_nocbs", "so RCU callbacks run off the isolated CPUs"),
		v.checkGovernor(),
		checkTHPEnabled(fsys),
		checkTHPDefrag(fsys),
		v.checkNUMA(),
		checkClocksource(fsys),
		checkTSC(fsys),
		v.checkAffinity(),
		v.checkMemlock(),
	}}
}

// view is what several items share, read once.
type view struct {
	fs         HostFS
	online     CPUList
	onlineErr  string            // why online is unknown; "" when known
	isolated   CPUList           // empty when none or unknown
	cmdline    map[string]string // kernel parameters; flags map to ""
	selfStatus string            // proc/self/status, "" when unreadable
}

func look(fsys HostFS) *view {
	v := &view{fs: fsys, cmdline: map[string]string{}}
	if s, ok, err := readString(fsys, pathCPUOnline); ok {
		if v.online, err = ParseCPUList(s); err != nil {
			v.onlineErr = err.Error()
		}
	} else if err != nil {
		v.onlineErr = err.Error()
	} else {
		v.online = cpuDirs(fsys)
		if len(v.online) == 0 {
			v.onlineErr = "not exposed"
		}
	}
	if s, ok, _ := readString(fsys, pathIsolated); ok {
		v.isolated, _ = ParseCPUList(s)
	}
	if s, ok, _ := readString(fsys, pathCmdline); ok {
		for _, p := range strings.Fields(s) {
			if p == "--" { // the rest belongs to init
				break
			}
			k, val, _ := strings.Cut(p, "=")
			v.cmdline[k] = val
		}
	}
	v.selfStatus, _, _ = readString(fsys, pathSelfStatus)
	return v
}

// cpuDirs lists the CPUs that have a sysfs directory, sorted.
func cpuDirs(fsys HostFS) CPUList {
	return numberedDirs(fsys, globCPUs, pathCPUDir+"/cpu")
}

// numberedDirs returns N for each match of glob named prefix+N, sorted.
func numberedDirs(fsys HostFS, glob, prefix string) CPUList {
	matches, _ := fs.Glob(fsys, glob)
	var out CPUList
	for _, m := range matches {
		n, err := parseCPU(strings.TrimPrefix(m, prefix))
		if err == nil {
			out = out.Union(CPUList{n})
		}
	}
	return out
}

package tuning

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// Host is what Plan needs to know about the machine.
type Host struct {
	CPUs     CPUList // CPUs this process may run on: its affinity mask
	Isolated CPUList // CPUs isolated from the scheduler (isolcpus); may be empty
	Procs    int     // GOMAXPROCS; 0 means len(CPUs)
}

// CurrentHost describes the running process: its affinity mask from
// sched_getaffinity, the isolated CPUs from sysfs (empty when unreadable)
// and GOMAXPROCS.
//
// Note that isolcpus= removes the isolated CPUs from the default affinity
// mask: to let a layout use them, start the process with taskset -c over
// both housekeeping and isolated CPUs.
func CurrentHost() (Host, error) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return Host{}, fmt.Errorf("tuning: sched_getaffinity: %w", err)
	}
	h := Host{CPUs: cpuListOf(&set), Procs: runtime.GOMAXPROCS(0)}
	if s, ok, _ := readString(OSHost(), pathIsolated); ok {
		h.Isolated, _ = ParseCPUList(s)
	}
	return h, nil
}

// Planned is a layout fitted to a host, with what had to change and why.
type Planned struct {
	Layout Layout
	// Adjustments lists each change Plan made, in order, as a sentence a
	// person can act on. Empty when the layout fits the host as written.
	Adjustments []string
}

// WriteText prints the planned threads and the adjustments.
func (p Planned) WriteText(w io.Writer) error {
	var b strings.Builder
	nameW := len("THREAD")
	for _, t := range p.Layout.Threads {
		nameW = max(nameW, len(t.Name))
	}
	fmt.Fprintf(&b, "%-*s  %-5s  %-10s  %s\n", nameW, "THREAD", "WAIT", "CPUS", "AGENTS")
	for _, t := range p.Layout.Threads {
		cpus := t.CPUs.String()
		if cpus == "" {
			cpus = "any"
		}
		fmt.Fprintf(&b, "%-*s  %-5s  %-10s  %s\n", nameW, t.Name, t.Wait, cpus, strings.Join(t.Agents, ", "))
	}
	if len(p.Adjustments) == 0 {
		b.WriteString("the layout fits this host as written\n")
	}
	for _, a := range p.Adjustments {
		fmt.Fprintf(&b, "adjusted: %s\n", a)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Plan fits a layout to a host without oversubscribing spinners. In order:
//
//  1. CPUs the process may not use are dropped from each thread; a thread
//     left with none runs unpinned.
//  2. When there are more threads than usable CPUs (min(len(CPUs), Procs)),
//     threads are merged round-robin (thread i joins thread i mod n) down to
//     one per CPU. A merged thread runs all its agents in turn, pins to the
//     union of its members' CPUs (unpinned when none was pinned) and takes
//     the most responsive of their waits.
//  3. A spinning thread needs a CPU no earlier spinner holds; otherwise it
//     yields instead.
//  4. Spinners need one CPU each plus one left for the Go runtime, the
//     garbage collector and I/O goroutines. When there are more spinners
//     than that, every spinner yields instead: a half-spinning layout gives
//     uneven latencies that mislead benchmarks.
//
// Agents see the same events in the same order whatever the plan; only
// timing changes. Plan returns an error only for an invalid layout or an
// empty host.
func Plan(l Layout, h Host) (Planned, error) {
	if err := l.Validate(); err != nil {
		return Planned{}, err
	}
	if len(h.CPUs) == 0 {
		return Planned{}, errors.New("tuning: plan: host has no CPUs")
	}
	if err := h.CPUs.check(); err != nil {
		return Planned{}, fmt.Errorf("tuning: plan: host CPUs: %w", err)
	}
	p := Planned{Layout: l.clone()}
	note := func(format string, args ...any) {
		p.Adjustments = append(p.Adjustments, fmt.Sprintf(format, args...))
	}
	usable := len(h.CPUs)
	if h.Procs > 0 && h.Procs < usable {
		usable = h.Procs
	}

	// 1. CPUs outside the affinity mask.
	for i := range p.Layout.Threads {
		t := &p.Layout.Threads[i]
		if len(t.CPUs) == 0 {
			continue
		}
		keep := t.CPUs.Intersect(h.CPUs)
		switch {
		case len(keep) == 0:
			note("thread %q: CPUs %s are not available to this process (it may use %s); left unpinned", t.Name, t.CPUs, h.CPUs)
		case len(keep) < len(t.CPUs):
			note("thread %q: CPUs %s are not available to this process (it may use %s); pinned to %s", t.Name, t.CPUs.Minus(h.CPUs), h.CPUs, keep)
		}
		t.CPUs = keep
	}

	// 2. More threads than usable CPUs: merge.
	if n := len(p.Layout.Threads); n > usable {
		merged := make([]Thread, usable)
		members := make([][]string, usable)
		for i, t := range p.Layout.Threads {
			j := i % usable
			members[j] = append(members[j], t.Name)
			if i < usable {
				merged[j] = t
				continue
			}
			m := &merged[j]
			m.Name += "+" + t.Name
			m.Agents = append(m.Agents, t.Agents...)
			m.CPUs = m.CPUs.Union(t.CPUs)
			if t.Wait.rank() < m.Wait.rank() {
				m.Wait = t.Wait
			}
			m.Spins = max(m.Spins, t.Spins)
			m.Yields = max(m.Yields, t.Yields)
			if t.MaxPark > 0 && (m.MaxPark == 0 || t.MaxPark < m.MaxPark) {
				m.MaxPark = t.MaxPark
			}
		}
		for j := range merged {
			if len(members[j]) > 1 {
				note("threads %s merged into %q: %d threads for %d usable CPUs; its agents run round-robin",
					quoteAll(members[j]), merged[j].Name, n, usable)
			}
		}
		p.Layout.Threads = merged
	}

	// 3. Spinners sharing a CPU.
	owner := map[int]string{} // CPU -> spinning thread holding it
	for i := range p.Layout.Threads {
		t := &p.Layout.Threads[i]
		if t.Wait != WaitSpin || len(t.CPUs) == 0 {
			continue
		}
		cpu := -1
		for _, c := range t.CPUs {
			if _, taken := owner[c]; !taken {
				cpu = c
				break
			}
		}
		if cpu < 0 {
			note("thread %q: its CPUs %s are held by spinning thread %q; waits yield instead of spinning", t.Name, t.CPUs, owner[t.CPUs[0]])
			t.Wait = WaitYield
			continue
		}
		owner[cpu] = t.Name
	}

	// 4. Spin budget.
	spinners := 0
	for _, t := range p.Layout.Threads {
		if t.Wait == WaitSpin {
			spinners++
		}
	}
	if budget := usable - 1; spinners > budget {
		for i := range p.Layout.Threads {
			t := &p.Layout.Threads[i]
			if t.Wait == WaitSpin {
				t.Wait = WaitYield
				note("thread %q: %d spinning threads need %d CPUs (one each plus one for the runtime) but %d are usable; waits yield instead of spinning",
					t.Name, spinners, spinners+1, usable)
			}
		}
	}
	return p, nil
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

package tuning

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// MaxCPU is the highest CPU number a CPUList may hold. It is bounded by the
// capacity of unix.CPUSet (1024 CPUs), which is what sched_setaffinity takes.
const MaxCPU = 1023

// CPUList is a set of CPU numbers, sorted ascending with no duplicates.
// Its text form is the kernel's list format, "0-3,8,10-11", as found in
// /sys/devices/system/cpu/online, the isolcpus= parameter and taskset -c.
// The nil CPUList is the empty set; in a Layout it means "not pinned".
//
// INVARIANT: sorted ascending, no duplicates, every element in [0, MaxCPU].
// Operations return new lists and never modify their receivers.
type CPUList []int

// ParseCPUList parses the kernel list format. Surrounding space and a
// trailing newline are ignored; an empty string is the empty list.
func ParseCPUList(s string) (CPUList, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var bits [MaxCPU + 1]bool
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		first, err := parseCPU(lo)
		if err != nil {
			return nil, fmt.Errorf("tuning: CPU list %q: %w", s, err)
		}
		last := first
		if isRange {
			if last, err = parseCPU(hi); err != nil {
				return nil, fmt.Errorf("tuning: CPU list %q: %w", s, err)
			}
			if last < first {
				return nil, fmt.Errorf("tuning: CPU list %q: range %q runs backwards", s, part)
			}
		}
		for c := first; c <= last; c++ {
			bits[c] = true
		}
	}
	var out CPUList
	for c, on := range bits {
		if on {
			out = append(out, c)
		}
	}
	return out, nil
}

func parseCPU(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("empty CPU number")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a CPU number", s)
	}
	if n > MaxCPU {
		return 0, fmt.Errorf("CPU %d above the maximum %d", n, MaxCPU)
	}
	return n, nil
}

// String formats c in the kernel list format; the empty list is "".
func (c CPUList) String() string {
	var b strings.Builder
	for i := 0; i < len(c); {
		j := i
		for j+1 < len(c) && c[j+1] == c[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(c[i]))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(c[j]))
		}
		i = j + 1
	}
	return b.String()
}

// Contains reports whether cpu is in c.
func (c CPUList) Contains(cpu int) bool {
	for _, x := range c {
		if x == cpu {
			return true
		}
	}
	return false
}

// Intersect returns the CPUs in both c and o.
func (c CPUList) Intersect(o CPUList) CPUList {
	var out CPUList
	for _, x := range c {
		if o.Contains(x) {
			out = append(out, x)
		}
	}
	return out
}

// Minus returns the CPUs in c that are not in o.
func (c CPUList) Minus(o CPUList) CPUList {
	var out CPUList
	for _, x := range c {
		if !o.Contains(x) {
			out = append(out, x)
		}
	}
	return out
}

// Union returns the CPUs in c or o.
func (c CPUList) Union(o CPUList) CPUList {
	out := make(CPUList, 0, len(c)+len(o))
	i, j := 0, 0
	for i < len(c) || j < len(o) {
		switch {
		case j == len(o) || (i < len(c) && c[i] < o[j]):
			out = append(out, c[i])
			i++
		case i == len(c) || o[j] < c[i]:
			out = append(out, o[j])
			j++
		default: // equal
			out = append(out, c[i])
			i++
			j++
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// SubsetOf reports whether every CPU in c is also in o.
func (c CPUList) SubsetOf(o CPUList) bool {
	return len(c.Minus(o)) == 0
}

// Equal reports whether c and o hold the same CPUs.
func (c CPUList) Equal(o CPUList) bool {
	if len(c) != len(o) {
		return false
	}
	for i := range c {
		if c[i] != o[i] {
			return false
		}
	}
	return true
}

// unixSet converts c for sched_setaffinity.
// REQUIRES: c satisfies the CPUList invariant.
func (c CPUList) unixSet() unix.CPUSet {
	var set unix.CPUSet
	set.Zero()
	for _, x := range c {
		set.Set(x)
	}
	return set
}

// cpuListOf converts a kernel affinity mask to a CPUList.
func cpuListOf(set *unix.CPUSet) CPUList {
	var out CPUList
	for c := 0; c <= MaxCPU; c++ {
		if set.IsSet(c) {
			out = append(out, c)
		}
	}
	return out
}

// check reports a violation of the CPUList invariant, for lists built by
// hand rather than by ParseCPUList.
func (c CPUList) check() error {
	for i, x := range c {
		if x < 0 || x > MaxCPU {
			return fmt.Errorf("CPU %d outside [0, %d]", x, MaxCPU)
		}
		if i > 0 && x <= c[i-1] {
			return fmt.Errorf("CPU list %v is not sorted and duplicate-free", []int(c))
		}
	}
	return nil
}

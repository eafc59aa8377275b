package tuning

import "strings"

// Default wait parameters used by the default layouts.
const (
	defaultYieldSpins = 100 // hot threads on a shared host: spin a little, then yield
	defaultParkSpins  = 10
	defaultParkYields = 10
)

// SmallHostLayout is the layout for hosts without CPUs to spare (CI, a
// 2-core VM): all hot agents share one unpinned thread that yields when
// idle, and all background agents share another that parks. Either thread
// is left out when it would have no agents.
func SmallHostLayout(hot, background []string) Layout {
	var l Layout
	if len(hot) > 0 {
		l.Threads = append(l.Threads, Thread{
			Name: "hot", Agents: append([]string(nil), hot...), Wait: WaitYield, Spins: defaultYieldSpins,
		})
	}
	if len(background) > 0 {
		l.Threads = append(l.Threads, Thread{
			Name: "background", Agents: append([]string(nil), background...), Wait: WaitPark,
			Spins: defaultParkSpins, Yields: defaultParkYields,
		})
	}
	return l
}

// BigHostLayout is the layout for hosts with CPUs to dedicate: hot agent i
// runs on a spinning thread pinned to hotCPUs[i mod len(hotCPUs)] (so with
// fewer CPUs than hot agents, agents share those threads round-robin), and
// all background agents share one parking thread pinned to backgroundCPUs
// (unpinned when empty). Each hot thread is named after its agents.
// REQUIRES: len(hotCPUs) > 0.
func BigHostLayout(hot, background []string, hotCPUs, backgroundCPUs CPUList) Layout {
	var l Layout
	n := min(len(hot), len(hotCPUs))
	for i := 0; i < n; i++ {
		var agents []string
		for j := i; j < len(hot); j += n {
			agents = append(agents, hot[j])
		}
		l.Threads = append(l.Threads, Thread{
			Name: strings.Join(agents, "+"), Agents: agents, CPUs: CPUList{hotCPUs[i]}, Wait: WaitSpin,
		})
	}
	if len(background) > 0 {
		l.Threads = append(l.Threads, Thread{
			Name: "background", Agents: append([]string(nil), background...),
			CPUs: append(CPUList(nil), backgroundCPUs...), Wait: WaitPark,
			Spins: defaultParkSpins, Yields: defaultParkYields,
		})
	}
	return l
}

// DefaultLayout picks a layout for the host. With isolated CPUs in the
// affinity mask and at least one CPU besides them, hot threads spin on the
// isolated CPUs and background agents run on the others. Without isolation
// but with at least len(hot)+2 CPUs, hot threads spin on the highest-numbered
// CPUs (CPU 0 usually takes the most interrupts). Otherwise it is
// SmallHostLayout. Pass the result through Plan before running it.
func DefaultLayout(hot, background []string, h Host) Layout {
	iso := h.Isolated.Intersect(h.CPUs)
	rest := h.CPUs.Minus(iso)
	switch {
	case len(hot) == 0:
		return SmallHostLayout(nil, background)
	case len(iso) > 0 && len(rest) > 0:
		return BigHostLayout(hot, background, iso, rest)
	case len(h.CPUs) >= len(hot)+2:
		split := len(h.CPUs) - len(hot)
		return BigHostLayout(hot, background, h.CPUs[split:], h.CPUs[:split])
	default:
		return SmallHostLayout(hot, background)
	}
}

package tuning

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Host check items about CPUs: online set, SMT, isolation, governor, NUMA,
// and the process's affinity.

func (v *view) checkOnline() Item {
	it := Item{Name: "cpus online"}
	if v.onlineErr != "" {
		it.Found, it.Status = "unknown: "+v.onlineErr, StatusInfo
		return it
	}
	it.Found = fmt.Sprintf("%s (%d CPUs)", v.online, len(v.online))
	if len(v.online) < 4 {
		it.Status = StatusInfo
		it.Advice = "too few CPUs to dedicate any to hot threads: layouts share threads and yield instead of spinning"
	}
	return it
}

// siblingGroups returns the distinct SMT sibling groups of the online CPUs,
// ordered by their first CPU, and each CPU's group.
func (v *view) siblingGroups() ([]CPUList, map[int]CPUList) {
	of := map[int]CPUList{}
	var groups []CPUList
	for _, c := range v.online {
		s, ok, _ := readString(v.fs, fmt.Sprintf("%s/cpu%d/topology/thread_siblings_list", pathCPUDir, c))
		if !ok {
			continue
		}
		g, err := ParseCPUList(s)
		if err != nil || len(g) == 0 {
			continue
		}
		of[c] = g
		dup := false
		for _, h := range groups {
			dup = dup || h.Equal(g)
		}
		if !dup {
			groups = append(groups, g)
		}
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i][0] < groups[j][0] })
	return groups, of
}

func (v *view) checkSMT() Item {
	it := Item{Name: "smt"}
	groups, of := v.siblingGroups()
	if len(groups) == 0 {
		it.Found, it.Status = "topology not exposed", StatusInfo
		return it
	}
	perCore := 1
	for _, g := range groups {
		perCore = max(perCore, len(g))
	}
	if perCore == 1 {
		it.Found = "off (1 thread per core)"
		return it
	}
	shown := make([]string, 0, 8)
	for i, g := range groups {
		if i == 8 {
			shown = append(shown, "...")
			break
		}
		shown = append(shown, g.String())
	}
	it.Found = fmt.Sprintf("on, %d threads per core (%s)", perCore, strings.Join(shown, " "))
	if len(v.isolated) == 0 {
		it.Status = StatusInfo
		it.Advice = "a hot thread shares its core with its SMT sibling: keep the siblings of hot CPUs idle, or boot with nosmt"
		return it
	}
	var exposed CPUList
	for _, c := range v.isolated {
		exposed = exposed.Union(of[c].Minus(v.isolated))
	}
	if len(exposed) == 0 {
		it.Found += "; isolated CPUs cover whole cores"
		return it
	}
	it.Status = StatusWarn
	it.Advice = fmt.Sprintf("isolated CPUs share cores with CPUs %s, which are not isolated: isolate whole cores (isolcpus=%s) or boot with nosmt",
		exposed, v.isolated.Union(exposed))
	return it
}

// isolcpusList extracts the CPU list from an isolcpus= value, which may
// start with flags: "managed_irq,domain,2-3".
func isolcpusList(val string) (CPUList, error) {
	parts := strings.Split(val, ",")
	i := 0
	for i < len(parts) && parts[i] != "" && strings.Trim(parts[i], "abcdefghijklmnopqrstuvwxyz_") == "" {
		i++
	}
	return ParseCPUList(strings.Join(parts[i:], ","))
}

func (v *view) checkIsolated() Item {
	it := Item{Name: "isolated cpus"}
	raw, fromCmdline := v.cmdline["isolcpus"]
	iso := v.isolated
	if len(iso) == 0 && fromCmdline {
		iso, _ = isolcpusList(raw)
	}
	if len(iso) > 0 {
		it.Found = iso.String()
		if fromCmdline {
			it.Found += " (isolcpus=" + raw + ")"
		}
		if len(v.online) > 0 && v.online.SubsetOf(iso) {
			it.Status = StatusWarn
			it.Advice = "every CPU is isolated: leave at least one for housekeeping, interrupts and the Go runtime"
		}
		return it
	}
	it.Found = "none"
	if len(v.online) == 0 {
		it.Status = StatusInfo
		return it
	}
	_, of := v.siblingGroups()
	var house CPUList
	for _, c := range v.online {
		if len(house) >= 2 {
			break
		}
		house = house.Union(CPUList{c}).Union(of[c])
	}
	hot := v.online.Minus(house)
	if len(v.online) < 4 || len(hot) == 0 {
		it.Status = StatusInfo
		it.Advice = "too few CPUs to isolate: run a small-host layout (shared threads, yielding waits)"
		return it
	}
	it.Status = StatusWarn
	it.Advice = fmt.Sprintf("isolate CPUs %[1]s with isolcpus=%[1]s nohz_full=%[1]s rcu_nocbs=%[1]s for hot threads (kernel command line; %[2]s stay for housekeeping)",
		hot, house)
	return it
}

// checkTickParam grades nohz_full= or rcu_nocbs= against the isolated CPUs.
func (v *view) checkTickParam(param, why string) Item {
	it := Item{Name: param}
	raw, set := v.cmdline[param]
	if !set {
		it.Found = "not set"
	} else {
		it.Found = raw
	}
	if len(v.isolated) == 0 {
		it.Status = StatusInfo
		return it
	}
	if !set {
		it.Status = StatusWarn
		it.Advice = fmt.Sprintf("add %s=%s %s", param, v.isolated, why)
		return it
	}
	cpus, err := ParseCPUList(raw)
	if err != nil {
		it.Status = StatusInfo
		it.Advice = "cannot parse the CPU list; it should cover the isolated CPUs " + v.isolated.String()
		return it
	}
	if missing := v.isolated.Minus(cpus); len(missing) > 0 {
		it.Status = StatusWarn
		it.Advice = fmt.Sprintf("isolated CPUs %s are not covered: set %s=%s %s", missing, param, cpus.Union(v.isolated), why)
	}
	return it
}

func (v *view) checkGovernor() Item {
	it := Item{Name: "cpu governor"}
	byGov := map[string]CPUList{}
	for _, c := range v.online {
		g, ok, _ := readString(v.fs, fmt.Sprintf("%s/cpu%d/cpufreq/scaling_governor", pathCPUDir, c))
		if ok && g != "" {
			byGov[g] = byGov[g].Union(CPUList{c})
		}
	}
	if len(byGov) == 0 {
		it.Found, it.Status = "cpufreq not exposed (usual on VMs: the hypervisor sets the frequency)", StatusInfo
		it.Advice = "on bare metal, set governor to performance"
		return it
	}
	govs := make([]string, 0, len(byGov))
	for g := range byGov {
		govs = append(govs, g)
	}
	sort.Strings(govs)
	parts := make([]string, len(govs))
	for i, g := range govs {
		parts[i] = g + " on " + byGov[g].String()
	}
	it.Found = strings.Join(parts, "; ")
	if len(govs) != 1 || govs[0] != "performance" {
		it.Status = StatusWarn
		it.Advice = "set governor to performance (cpupower frequency-set -g performance): other governors ramp the clock up only after load arrives"
	}
	return it
}

func (v *view) checkNUMA() Item {
	it := Item{Name: "numa"}
	nodes := numberedDirs(v.fs, globNodes, pathNodeDir+"/node")
	if len(nodes) == 0 {
		it.Found, it.Status = "not exposed", StatusInfo
		return it
	}
	parts := make([]string, len(nodes))
	var isoNodes []string
	for i, n := range nodes {
		s, _, _ := readString(v.fs, fmt.Sprintf("%s/node%d/cpulist", pathNodeDir, n))
		cpus, _ := ParseCPUList(s)
		parts[i] = fmt.Sprintf("node%d: %s", n, cpus)
		if len(cpus.Intersect(v.isolated)) > 0 {
			isoNodes = append(isoNodes, strconv.Itoa(n))
		}
	}
	plural := "s"
	if len(nodes) == 1 {
		plural = ""
	}
	it.Found = fmt.Sprintf("%d node%s (%s)", len(nodes), plural, strings.Join(parts, "; "))
	switch {
	case len(nodes) == 1:
	case len(isoNodes) > 1:
		it.Status = StatusWarn
		it.Advice = fmt.Sprintf("isolated CPUs span nodes %s: keep the hot threads of one pipeline, and their memory, on one node", strings.Join(isoNodes, ","))
	case len(isoNodes) == 1:
		it.Status = StatusInfo
		it.Advice = fmt.Sprintf("the isolated CPUs are on node %[1]s: bind memory there too (numactl --cpunodebind=%[1]s --membind=%[1]s)", isoNodes[0])
	default:
		it.Status = StatusInfo
		it.Advice = "keep hot threads and their memory on one node (numactl --cpunodebind=N --membind=N)"
	}
	return it
}

func (v *view) checkAffinity() Item {
	it := Item{Name: "affinity"}
	raw, ok := field(v.selfStatus, "Cpus_allowed_list", ':')
	if !ok {
		it.Found, it.Status = "unknown (no Cpus_allowed_list in proc/self/status)", StatusInfo
		return it
	}
	aff, err := ParseCPUList(raw)
	if err != nil {
		it.Found, it.Status = "unparsable: "+raw, StatusInfo
		return it
	}
	switch outside := v.isolated.Minus(aff); {
	case len(outside) > 0:
		it.Found = fmt.Sprintf("%s (isolated %s outside it)", aff, outside)
		it.Status = StatusWarn
		it.Advice = fmt.Sprintf("isolcpus takes isolated CPUs out of the default mask: start ems under taskset -c %s so its layout can pin hot threads there",
			aff.Union(v.isolated))
	case len(v.online) > 0 && aff.Equal(v.online):
		it.Found = aff.String() + " (all online CPUs)"
	default:
		it.Found = fmt.Sprintf("%s of online %s", aff, v.online)
		it.Status = StatusInfo
		it.Advice = "the process is restricted (taskset or cgroup cpuset); layouts are planned within it"
	}
	return it
}

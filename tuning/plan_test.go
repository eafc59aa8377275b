package tuning

import (
	"reflect"
	"strings"
	"testing"
)

func spinThread(name, cpus string) Thread {
	c, err := ParseCPUList(cpus)
	if err != nil {
		panic(err)
	}
	return Thread{Name: name, Agents: []string{name}, CPUs: c, Wait: WaitSpin}
}

func TestPlanFallbackOnSmallHost(t *testing.T) {
	// CI: 2 CPUs, GOMAXPROCS 2, nothing isolated; four spinning threads.
	host := Host{CPUs: CPUList{0, 1}, Procs: 2}
	l := Layout{Threads: []Thread{
		spinThread("core", "0"), spinThread("feed", "1"), spinThread("gateway", "2"), spinThread("journal", "3"),
	}}
	p, err := Plan(l, host)
	if err != nil {
		t.Fatal(err)
	}
	want := Layout{Threads: []Thread{
		{Name: "core+gateway", Agents: []string{"core", "gateway"}, CPUs: CPUList{0}, Wait: WaitYield},
		{Name: "feed+journal", Agents: []string{"feed", "journal"}, CPUs: CPUList{1}, Wait: WaitYield},
	}}
	if !reflect.DeepEqual(p.Layout, want) {
		t.Errorf("planned layout =\n%+v\nwant\n%+v", p.Layout, want)
	}
	wantAdj := []string{
		`thread "gateway": CPUs 2 are not available to this process (it may use 0-1); left unpinned`,
		`thread "journal": CPUs 3 are not available to this process (it may use 0-1); left unpinned`,
		`threads "core", "gateway" merged into "core+gateway": 4 threads for 2 usable CPUs; its agents run round-robin`,
		`threads "feed", "journal" merged into "feed+journal": 4 threads for 2 usable CPUs; its agents run round-robin`,
		`thread "core+gateway": 2 spinning threads need 3 CPUs (one each plus one for the runtime) but 2 are usable; waits yield instead of spinning`,
		`thread "feed+journal": 2 spinning threads need 3 CPUs (one each plus one for the runtime) but 2 are usable; waits yield instead of spinning`,
	}
	if !reflect.DeepEqual(p.Adjustments, wantAdj) {
		t.Errorf("adjustments =\n%s\nwant\n%s", strings.Join(p.Adjustments, "\n"), strings.Join(wantAdj, "\n"))
	}
	for _, th := range p.Layout.Threads {
		if th.Wait == WaitSpin {
			t.Errorf("thread %q still spins on a 2-CPU host", th.Name)
		}
	}
	// The input layout is untouched.
	if l.Threads[0].Wait != WaitSpin || len(l.Threads) != 4 {
		t.Error("Plan modified its input")
	}
}

func TestPlan(t *testing.T) {
	big := Host{CPUs: CPUList{0, 1, 2, 3, 4, 5, 6, 7}, Isolated: CPUList{2, 3, 4, 5}, Procs: 8}
	park := Thread{Name: "bg", Agents: []string{"journal"}, CPUs: CPUList{0, 1}, Wait: WaitPark}
	tests := []struct {
		name    string
		layout  Layout
		host    Host
		waits   []Wait   // planned wait per thread
		cpus    []string // planned CPUs per thread
		adjusts []string // substrings, one per adjustment
	}{
		{
			name:   "fits",
			layout: Layout{Threads: []Thread{spinThread("core", "2"), spinThread("feed", "3"), park}},
			host:   big,
			waits:  []Wait{WaitSpin, WaitSpin, WaitPark},
			cpus:   []string{"2", "3", "0-1"},
		},
		{
			name:    "spinners share a CPU",
			layout:  Layout{Threads: []Thread{spinThread("core", "2"), spinThread("feed", "2"), spinThread("gw", "2-3")}},
			host:    big,
			waits:   []Wait{WaitSpin, WaitYield, WaitSpin},
			cpus:    []string{"2", "2", "2-3"},
			adjusts: []string{`thread "feed": its CPUs 2 are held by spinning thread "core"`},
		},
		{
			name:    "some CPUs missing",
			layout:  Layout{Threads: []Thread{spinThread("core", "6-9")}},
			host:    big,
			waits:   []Wait{WaitSpin},
			cpus:    []string{"6-7"},
			adjusts: []string{`thread "core": CPUs 8-9 are not available to this process (it may use 0-7); pinned to 6-7`},
		},
		{
			name:    "GOMAXPROCS bounds spinners",
			layout:  Layout{Threads: []Thread{spinThread("core", "2"), spinThread("feed", "3")}},
			host:    Host{CPUs: big.CPUs, Procs: 2},
			waits:   []Wait{WaitYield, WaitYield},
			cpus:    []string{"2", "3"},
			adjusts: []string{"2 spinning threads need 3 CPUs", "2 spinning threads need 3 CPUs"},
		},
		{
			name:   "one spinner on two CPUs is allowed",
			layout: Layout{Threads: []Thread{spinThread("core", "1"), park}},
			host:   Host{CPUs: CPUList{0, 1}},
			waits:  []Wait{WaitSpin, WaitPark},
			cpus:   []string{"1", "0-1"},
		},
		{
			name: "merge keeps the most responsive wait",
			layout: Layout{Threads: []Thread{
				{Name: "a", Agents: []string{"a"}, Wait: WaitPark},
				{Name: "b", Agents: []string{"b"}, Wait: WaitYield},
			}},
			host:    Host{CPUs: CPUList{0}},
			waits:   []Wait{WaitYield},
			cpus:    []string{""},
			adjusts: []string{`threads "a", "b" merged into "a+b"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Plan(tt.layout, tt.host)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Layout.Threads) != len(tt.waits) {
				t.Fatalf("planned %d threads, want %d: %+v", len(p.Layout.Threads), len(tt.waits), p.Layout)
			}
			for i, th := range p.Layout.Threads {
				if th.Wait != tt.waits[i] || th.CPUs.String() != tt.cpus[i] {
					t.Errorf("thread %q: wait %s cpus %q, want %s %q", th.Name, th.Wait, th.CPUs, tt.waits[i], tt.cpus[i])
				}
			}
			if len(p.Adjustments) != len(tt.adjusts) {
				t.Fatalf("adjustments = %q, want %d", p.Adjustments, len(tt.adjusts))
			}
			for i, a := range tt.adjusts {
				if !strings.Contains(p.Adjustments[i], a) {
					t.Errorf("adjustment %d = %q, want containing %q", i, p.Adjustments[i], a)
				}
			}
			if err := p.Layout.Validate(); err != nil {
				t.Errorf("planned layout invalid: %v", err)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	if _, err := Plan(Layout{}, Host{CPUs: CPUList{0}}); err == nil || !strings.Contains(err.Error(), "no threads") {
		t.Errorf("Plan(empty layout) = %v", err)
	}
	l := Layout{Threads: []Thread{spinThread("a", "0")}}
	if _, err := Plan(l, Host{}); err == nil || !strings.Contains(err.Error(), "host has no CPUs") {
		t.Errorf("Plan(no CPUs) = %v", err)
	}
}

func TestDefaultLayouts(t *testing.T) {
	hot := []string{"core", "feed.a", "gateway.a"}
	bg := []string{"journal", "control"}
	tests := []struct {
		name string
		host Host
		want string // thread:wait:cpus:agents, space-separated
	}{
		{"ci", Host{CPUs: CPUList{0, 1}, Procs: 2},
			"hot:yield::core,feed.a,gateway.a background:park::journal,control"},
		{"isolated", Host{CPUs: CPUList{0, 1, 2, 3, 4, 5, 6, 7}, Isolated: CPUList{2, 3, 4, 5}},
			"core:spin:2:core feed.a:spin:3:feed.a gateway.a:spin:4:gateway.a background:park:0-1,6-7:journal,control"},
		{"isolated fewer than hot", Host{CPUs: CPUList{0, 1, 2, 3}, Isolated: CPUList{2, 3}},
			"core+gateway.a:spin:2:core,gateway.a feed.a:spin:3:feed.a background:park:0-1:journal,control"},
		{"no isolation, many CPUs", Host{CPUs: CPUList{0, 1, 2, 3, 4, 5, 6, 7}},
			"core:spin:5:core feed.a:spin:6:feed.a gateway.a:spin:7:gateway.a background:park:0-4:journal,control"},
		{"isolated but nothing else", Host{CPUs: CPUList{2, 3}, Isolated: CPUList{2, 3}},
			"hot:yield::core,feed.a,gateway.a background:park::journal,control"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := DefaultLayout(hot, bg, tt.host)
			var parts []string
			for _, th := range l.Threads {
				parts = append(parts, th.Name+":"+string(th.Wait)+":"+th.CPUs.String()+":"+strings.Join(th.Agents, ","))
			}
			if got := strings.Join(parts, " "); got != tt.want {
				t.Errorf("DefaultLayout =\n%s\nwant\n%s", got, tt.want)
			}
			if err := l.Validate(); err != nil {
				t.Error(err)
			}
			if _, err := Plan(l, tt.host); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestPlannedWriteText(t *testing.T) {
	p, err := Plan(Layout{Threads: []Thread{spinThread("core", "0"), spinThread("feed", "1")}}, Host{CPUs: CPUList{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `THREAD  WAIT   CPUS        AGENTS
core    yield  0           core
feed    yield  1           feed
adjusted: thread "core": 2 spinning threads need 3 CPUs (one each plus one for the runtime) but 2 are usable; waits yield instead of spinning
adjusted: thread "feed": 2 spinning threads need 3 CPUs (one each plus one for the runtime) but 2 are usable; waits yield instead of spinning
`
	if b.String() != want {
		t.Errorf("WriteText =\n%s\nwant\n%s", b.String(), want)
	}
}

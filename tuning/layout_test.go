package tuning

import (
	"ems/ring"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const goodLayout = `{
  "threads": [
    {"name": "core", "agents": ["core"], "cpus": "2", "wait": "spin"},
    {"name": "io", "agents": ["feed.a", "gateway.a"], "cpus": "3", "wait": "yield", "spins": 100},
    {"name": "background", "agents": ["journal", "control"], "cpus": "0-1",
     "wait": "park", "spins": 10, "yields": 10, "max_park": "500us"}
  ]
}`

func TestParseLayout(t *testing.T) {
	l, err := ParseLayout([]byte(goodLayout))
	if err != nil {
		t.Fatal(err)
	}
	want := Layout{Threads: []Thread{
		{Name: "core", Agents: []string{"core"}, CPUs: CPUList{2}, Wait: WaitSpin},
		{Name: "io", Agents: []string{"feed.a", "gateway.a"}, CPUs: CPUList{3}, Wait: WaitYield, Spins: 100},
		{Name: "background", Agents: []string{"journal", "control"}, CPUs: CPUList{0, 1}, Wait: WaitPark,
			Spins: 10, Yields: 10, MaxPark: 500 * time.Microsecond},
	}}
	if !reflect.DeepEqual(l, want) {
		t.Fatalf("ParseLayout =\n%+v\nwant\n%+v", l, want)
	}
	// MarshalJSON and UnmarshalJSON round-trip.
	data, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	var back Layout
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("re-parse %s: %v", data, err)
	}
	if !reflect.DeepEqual(back, want) {
		t.Fatalf("round trip =\n%+v\nwant\n%+v", back, want)
	}
	// Idlers match the waits.
	park, _ := ring.NewBackoffPark(10, 10, time.Microsecond, 500*time.Microsecond)
	for i, wantType := range []ring.Idler{ring.BusySpin{}, ring.NewSpinThenYield(100), park} {
		if got := l.Threads[i].NewIdler(); !reflect.DeepEqual(got, wantType) {
			t.Errorf("thread %d NewIdler = %#v, want %#v", i, got, wantType)
		}
	}
}

func TestLoadLayout(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "layout.json")
	if err := os.WriteFile(path, []byte(`{"threads": [{"name": "x", "agents": ["a"], "wait": "spinn"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadLayout(path)
	if err == nil || !strings.Contains(err.Error(), `unknown wait "spinn"`) || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadLayout error = %v, want the bad wait and the file name", err)
	}
	if _, err := LoadLayout(filepath.Join(dir, "missing.json")); err == nil || !strings.HasPrefix(err.Error(), "tuning: layout: ") {
		t.Errorf("LoadLayout(missing) error = %v", err)
	}
}

func TestParseLayoutErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", ``, "tuning: layout: empty input"},
		{"truncated", `{"threads": [`, "tuning: layout: unexpected end of input"},
		{"syntax", "{\n  \"threads\": [\n    {\"name\": \"a\",}\n  ]\n}", "tuning: layout: line 3, column 18: invalid character '}'"},
		{"unknown field", `{"thread": []}`, `tuning: layout: unknown field "thread"`},
		{"unknown thread field", `{"threads": [{"name": "a", "agents": ["a"], "wait": "spin", "cpu": "1"}]}`, `unknown field "cpu"`},
		{"type", "{\"threads\": [\n {\"name\": \"a\", \"agents\": \"core\", \"wait\": \"spin\"}]}", "tuning: layout: line 2, column 31: field threads.agents: got JSON string, want []string"},
		{"trailing data", `{"threads": []} {}`, "tuning: layout: line 1, column 17: data after the layout object"},
		{"no threads", `{"threads": []}`, "tuning: layout: no threads"},
		{"bad cpus", `{"threads": [{"name": "a", "agents": ["a"], "cpus": "2-", "wait": "spin"}]}`, `tuning: layout: thread 0 ("a"): cpus: CPU list "2-": empty CPU number`},
		{"bad max_park", `{"threads": [{"name": "a", "agents": ["a"], "wait": "park", "max_park": "1 ms"}]}`, `tuning: layout: thread 0 ("a"): max_park: time: unknown unit`},
		{"missing wait", `{"threads": [{"name": "a", "agents": ["a"]}]}`, `thread 0 ("a"): no wait (want spin, yield or park)`},
		{"unknown wait", `{"threads": [{"name": "a", "agents": ["a"], "wait": "sleep"}]}`, `thread 0 ("a"): unknown wait "sleep" (want spin, yield or park)`},
		{"no agents", `{"threads": [{"name": "a", "wait": "spin"}]}`, `thread 0 ("a"): no agents`},
		{"no name", `{"threads": [{"agents": ["a"], "wait": "spin"}]}`, `thread 0 (""): empty name`},
		{"duplicate thread", `{"threads": [{"name": "a", "agents": ["x"], "wait": "spin"}, {"name": "a", "agents": ["y"], "wait": "spin"}]}`, `thread 1 ("a"): duplicate thread name`},
		{"duplicate agent", `{"threads": [{"name": "a", "agents": ["x"], "wait": "spin"}, {"name": "b", "agents": ["x"], "wait": "spin"}]}`, `thread 1 ("b"): agent "x" already runs on thread "a"`},
		{"negative spins", `{"threads": [{"name": "a", "agents": ["x"], "wait": "yield", "spins": -1}]}`, `must not be negative`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLayout([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant containing %q", err, tt.want)
			}
		})
	}
}

func TestValidateHandBuiltCPUs(t *testing.T) {
	l := Layout{Threads: []Thread{{Name: "a", Agents: []string{"a"}, CPUs: CPUList{3, 1}, Wait: WaitSpin}}}
	if err := l.Validate(); err == nil || !strings.Contains(err.Error(), "not sorted") {
		t.Errorf("Validate = %v, want a CPU list error", err)
	}
}

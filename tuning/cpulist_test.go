package tuning

import (
	"strings"
	"testing"
)

func TestParseCPUList(t *testing.T) {
	tests := []struct {
		in      string
		want    string // String() of the result
		n       int
		wantErr string
	}{
		{in: "", want: "", n: 0},
		{in: "\n", want: "", n: 0},
		{in: "0", want: "0", n: 1},
		{in: "0-3\n", want: "0-3", n: 4},
		{in: "0-3,8,10-11", want: "0-3,8,10-11", n: 7},
		{in: "3,1,2,2", want: "1-3", n: 3},
		{in: "5-5", want: "5", n: 1},
		{in: "0,2,4,6", want: "0,2,4,6", n: 4},
		{in: "1023", want: "1023", n: 1},
		{in: "2-", wantErr: "empty CPU number"},
		{in: "-1", wantErr: "empty CPU number"},
		{in: "a", wantErr: `"a" is not a CPU number`},
		{in: "3-1", wantErr: "runs backwards"},
		{in: "1024", wantErr: "above the maximum 1023"},
		{in: "0-4096", wantErr: "above the maximum"},
		{in: "1,,2", wantErr: "empty CPU number"},
	}
	for _, tt := range tests {
		got, err := ParseCPUList(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "tuning: ") {
				t.Errorf("ParseCPUList(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseCPUList(%q): %v", tt.in, err)
			continue
		}
		if got.String() != tt.want || len(got) != tt.n {
			t.Errorf("ParseCPUList(%q) = %q (%d CPUs), want %q (%d)", tt.in, got, len(got), tt.want, tt.n)
		}
		if err := got.check(); err != nil {
			t.Errorf("ParseCPUList(%q) broke the invariant: %v", tt.in, err)
		}
	}
}

func TestCPUListSetOps(t *testing.T) {
	a, _ := ParseCPUList("0-3,8")
	b, _ := ParseCPUList("2-5")
	tests := []struct {
		name string
		got  CPUList
		want string
	}{
		{"union", a.Union(b), "0-5,8"},
		{"intersect", a.Intersect(b), "2-3"},
		{"minus", a.Minus(b), "0-1,8"},
		{"union empty", CPUList(nil).Union(nil), ""},
		{"minus all", b.Minus(b), ""},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if !b.Intersect(a).SubsetOf(a) || a.SubsetOf(b) {
		t.Error("SubsetOf wrong")
	}
	if !a.Contains(8) || a.Contains(4) {
		t.Error("Contains wrong")
	}
	if err := (CPUList{3, 1}).check(); err == nil {
		t.Error("check accepted an unsorted list")
	}
	if err := (CPUList{-1}).check(); err == nil {
		t.Error("check accepted a negative CPU")
	}
	set := a.unixSet()
	if got := cpuListOf(&set); !got.Equal(a) {
		t.Errorf("unix.CPUSet round trip = %q, want %q", got, a)
	}
}

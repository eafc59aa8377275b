package sim

import (
	"testing"
	"time"
)

// faultVenue builds binance from DefaultConfig with faults, seeded, started at t0.
func faultVenue(t *testing.T, seed uint64, fs ...Fault) *Venue {
	t.Helper()
	cfg := DefaultConfig()
	vc := cfg.Venues[0]
	vc.Faults = fs
	v, err := NewVenue(vc, master(t), seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Step(t0); err != nil {
		t.Fatal(err)
	}
	return v
}

// pattern evaluates kind for symbol n times, 10 ms apart from t0+at, and returns which fired.
func pattern(v *Venue, kind FaultKind, symbol string, at time.Duration, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		_, out[i] = v.FaultAt(kind, symbol, t0+int64(at)+int64(i)*10_000_000)
	}
	return out
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func TestFaultDeterministic(t *testing.T) {
	f := Fault{Kind: FaultGap, Prob: 100}
	a := pattern(faultVenue(t, 11, f), FaultGap, "BTCUSDT", 0, 2000)
	b := pattern(faultVenue(t, 11, f), FaultGap, "BTCUSDT", 0, 2000)
	c := pattern(faultVenue(t, 12, f), FaultGap, "BTCUSDT", 0, 2000)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("seed 11 differs from itself at evaluation %d", i)
		}
	}
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Fatal("seeds 11 and 12 fired alike")
	}
	if n := count(a); n < 150 || n > 250 {
		t.Fatalf("%d of 2000 fired at 100 per mille", n)
	}
}

func TestFaultTriggers(t *testing.T) {
	sec := time.Second
	tests := []struct {
		name   string
		fault  Fault
		kind   FaultKind
		symbol string
		at     time.Duration // first evaluation after start; 100 evaluations 10 ms apart
		want   int           // how many fire
		first  int           // index of the first that fires (-1: none)
	}{
		{"window", Fault{Kind: FaultStale, At: sec, Duration: 300 * time.Millisecond}, FaultStale, "", 500 * time.Millisecond, 30, 50},
		{"one-shot", Fault{Kind: FaultDisconnect, At: sec}, FaultDisconnect, "", 500 * time.Millisecond, 1, 50},
		{"every n", Fault{Kind: FaultReject, EveryN: 10}, FaultReject, "ETHUSDT", 0, 10, 9},
		{"window and every n", Fault{Kind: FaultReject, At: sec, Duration: sec, EveryN: 4}, FaultReject, "", 800 * time.Millisecond, 20, 23},
		{"other kind", Fault{Kind: FaultReject, EveryN: 1}, FaultGap, "", 0, 0, -1},
		{"symbol", Fault{Kind: FaultGap, Symbol: "ETH-USDT", EveryN: 1}, FaultGap, "ETHUSDT", 0, 100, 0},
		{"other symbol", Fault{Kind: FaultGap, Symbol: "ETH-USDT", EveryN: 1}, FaultGap, "BTCUSDT", 0, 0, -1},
		{"no symbol asked", Fault{Kind: FaultGap, Symbol: "ETHUSDT", EveryN: 1}, FaultGap, "", 0, 0, -1},
		{"any symbol", Fault{Kind: FaultGap, EveryN: 1}, FaultGap, "SOMETHING", 0, 100, 0},
		{"certain", Fault{Kind: FaultBadChecksum, Prob: 1000}, FaultBadChecksum, "BTCUSDT", 0, 100, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := faultVenue(t, 1, tc.fault)
			got := pattern(v, tc.kind, tc.symbol, tc.at, 100)
			first := -1
			for i, b := range got {
				if b {
					first = i
					break
				}
			}
			if count(got) != tc.want || first != tc.first {
				t.Fatalf("%d fired, first at %d; want %d, first at %d", count(got), first, tc.want, tc.first)
			}
		})
	}
}

func TestFaultBeforeStart(t *testing.T) {
	cfg := DefaultConfig()
	vc := cfg.Venues[0]
	vc.Faults = []Fault{{Kind: FaultStale, Duration: time.Hour}, {Kind: FaultDelayAck, EveryN: 1, Delay: time.Second}}
	v, err := NewVenue(vc, master(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.FaultAt(FaultStale, "", t0); ok {
		t.Fatal("window fault fired before the venue started")
	}
	f, ok := v.FaultAt(FaultDelayAck, "BTCUSDT", t0)
	if !ok || f.Delay != time.Second {
		t.Fatalf("delay-ack %+v %v", f, ok)
	}
	if err := v.Step(t0); err != nil {
		t.Fatal(err)
	}
	if _, ok := v.FaultAt(FaultStale, "", t0+1); !ok {
		t.Fatal("window fault did not fire after start")
	}
}

func TestFaultKindNames(t *testing.T) {
	for k := FaultKind(1); k <= numFaultKinds; k++ {
		if got, ok := ParseFaultKind(k.String()); !ok || got != k {
			t.Fatalf("%v round trip: %v %v", k, got, ok)
		}
	}
	if _, ok := ParseFaultKind("fault(9)"); ok || FaultKind(9).String() != "fault(9)" {
		t.Fatal("unknown kind")
	}
}

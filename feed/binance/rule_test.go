package binance

import "testing"

func TestSpotRule(t *testing.T) {
	const L = 499869752 // the recording's snapshot
	fresh := Position{Snapshot: L, Last: L, Fresh: true}
	live := Position{Snapshot: L, Last: L + 10}
	tests := []struct {
		name string
		pos  Position
		U, u uint64
		want Verdict
	}{
		{"first/older", fresh, L - 2, L, Drop}, // the recording's first diff
		{"first/way-older", fresh, 100, 200, Drop},
		{"first/U=L+1", fresh, L + 1, L + 2, Apply}, // the recording's first applied diff
		{"first/U<L+1<u", fresh, L - 5, L + 3, Apply},
		{"first/U=L+1=u", fresh, L + 1, L + 1, Apply},
		{"first/U=L", fresh, L, L + 1, Apply},
		{"first/U=L+2", fresh, L + 2, L + 3, Gap}, // the doc's U <= L <= u would wrongly refuse U=L+1
		{"next/continuous", live, L + 11, L + 15, Apply},
		{"next/overlap", live, L + 9, L + 12, Apply},
		{"next/duplicate", live, L + 5, L + 10, Drop},
		{"next/older", live, L + 1, L + 3, Drop},
		{"next/hole", live, L + 12, L + 15, Gap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Spot{}).Check(tc.pos, Header{First: tc.U, Last: tc.u}); got != tc.want {
				t.Errorf("Check(U %d, u %d) = %v, want %v", tc.U, tc.u, got, tc.want)
			}
		})
	}
}

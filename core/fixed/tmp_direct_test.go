package fixed

import "testing"

var tmpSink int64

func BenchmarkTmpDirect(b *testing.B) {
	for _, c := range []struct {
		name string
		s    string
		sc   uint8
	}{{"price", "67123.45000000", 8}, {"qty", "0.00000637", 8}, {"short", "7.6110", 4}, {"long", "1234567890.12345678", 8}, {"neg", "-0.010000249968", 12}, {"max", "92233720368.54775807", 8}} {
		in := []byte(c.s)
		want, _ := Parse(in, c.sc)
		b.Run("fixed/"+c.name, func(b *testing.B) {
			for b.Loop() {
				v, err := Parse(in, c.sc)
				if v != want || err != nil {
					b.Fatal()
				}
			}
		})
		b.Run("naive/"+c.name, func(b *testing.B) {
			for b.Loop() {
				v, err := naiveParse(in, c.sc)
				if v != want || err != nil {
					b.Fatal()
				}
			}
		})
		b.Run("empty/"+c.name, func(b *testing.B) {
			f := func(b []byte, s uint8) (int64, error) { return want, nil }
			for b.Loop() {
				v, err := f(in, c.sc)
				if v != want || err != nil {
					b.Fatal()
				}
			}
		})
	}
}

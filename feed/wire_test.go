package feed

import (
	"testing"

	"github.com/cespare/xxhash/v2"
	"github.com/valyala/fastjson"
)

func TestTradeID(t *testing.T) {
	for _, c := range []struct {
		id   string
		want uint64
	}{
		{"12345", 12345},
		{"0", 0},
		{"9999999999999999999", 9999999999999999999},
		{"18446744073709551616", xxhash.Sum64String("18446744073709551616")},
		{"a1b2c3d4-0000-4000-8000-000000000000", xxhash.Sum64String("a1b2c3d4-0000-4000-8000-000000000000")},
		{"", xxhash.Sum64String("")},
	} {
		if got := TradeID([]byte(c.id)); got != c.want {
			t.Errorf("TradeID(%q) = %d, want %d", c.id, got, c.want)
		}
	}
}

func TestStringBytes(t *testing.T) {
	v := fastjson.MustParse(`{"s":"abc","n":1}`)
	if b, ok := StringBytes(v.Get("s")); !ok || string(b) != "abc" {
		t.Fatal("string")
	}
	if _, ok := StringBytes(v.Get("n")); ok {
		t.Fatal("number accepted as string")
	}
	if _, ok := StringBytes(v.Get("missing")); ok {
		t.Fatal("missing accepted")
	}
}

package jsontext

import (
	"encoding/json"
	"testing"
)

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "BTC-USDT", "a\"b\\c", "line\nfeed\ttab\x01\x1f", "１２３４５６", "é"} {
		got := AppendString([]byte("x"), s)
		var back string
		if err := json.Unmarshal(got[1:], &back); err != nil || back != s {
			t.Errorf("AppendString(%q) = %s: decodes to %q, %v", s, got, back, err)
		}
	}
	if got := string(AppendString(nil, "a\"\n")); got != `"a\"\u000a"` {
		t.Errorf("escaping: %s", got)
	}
}

func TestAppendKey(t *testing.T) {
	b := AppendKey([]byte("{"), "a")
	b = append(b, '1')
	b = AppendKey(b, "b")
	b = append(b, `[`...)
	b = AppendKey(b, "c")
	if got := string(b); got != `{"a":1,"b":["c":` {
		t.Errorf("got %s", got)
	}
	if got := string(AppendKey(nil, "k")); got != `"k":` {
		t.Errorf("empty dst: %s", got)
	}
}

func BenchmarkAppendString(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 64)
	s := "e7k2x1234567890"
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		buf = AppendString(buf[:0], s)
		if len(buf) != len(s)+2 {
			b.Fatal("length")
		}
	}
}

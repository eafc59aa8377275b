package okx

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"
)

// recorded returns line n (from 1) of testdata/private.jsonl.
func recorded(t testing.TB, n int) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/private.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for i := 1; sc.Scan(); i++ {
		if i == n {
			return append([]byte(nil), sc.Bytes()...)
		}
	}
	t.Fatalf("no line %d", n)
	return nil
}

// Recorded lines used by the benchmarks and the allocation test.
const (
	lineTakerFill = 5  // orders push: partially_filled with a taker fill
	lineReject    = 9  // order answer: sCode 51000
	linePostOnly  = 22 // orders push: canceled, cancelSource 31
)

// fillTemplate is the recorded taker-fill push with a 10-digit tradeId; tradeIDAt is where its
// digits start, for benchmarks that write a new trade id per message.
func fillTemplate(t testing.TB) (msg []byte, tradeIDAt int) {
	t.Helper()
	s := string(recorded(t, lineTakerFill))
	const old = `"tradeId":"1"`
	if !strings.Contains(s, old) {
		t.Fatal("recorded fill changed")
	}
	s = strings.Replace(s, old, `"tradeId":"1000000000"`, 1)
	return []byte(s), strings.Index(s, `"tradeId":"`) + len(`"tradeId":"`)
}

// putDigits writes v in decimal into b, right-aligned, zero-padded.
func putDigits(b []byte, v uint64) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
}

package okx

import (
	"bufio"
	"bytes"
	"os"
	"testing"

	"ems/core/event"
)

// FuzzParse: no message makes the parser panic, every event it returns is of an execution
// kind with a sane payload, and a fill is never reported twice.
func FuzzParse(f *testing.F) {
	raw, err := os.ReadFile("testdata/private.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f.Add(append([]byte(nil), sc.Bytes()...))
	}
	f.Add([]byte("pong"))
	f.Add([]byte(`{"id":"n1","event":"error","code":"60011"}`))
	p := newTestParser(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		for round := 0; round < 2; round++ {
			evs, _, _ := p.Parse(msg, 1)
			for i := range evs {
				switch e := &evs[i]; e.Kind {
				case event.KindOrderAck, event.KindReject, event.KindCancelAck:
				case event.KindFill:
					if round == 1 {
						t.Fatalf("fill reported twice for %q", msg)
					}
					if e.Fill().Qty <= 0 {
						t.Fatalf("fill with qty %d", e.Fill().Qty)
					}
				default:
					t.Fatalf("event kind %s from %q", e.Kind, msg)
				}
			}
		}
	})
}

package bybit

import (
	"testing"

	"ems/core/event"
)

// FuzzParse: any message parses without panicking, and its events carry known kinds.
func FuzzParse(f *testing.F) {
	for _, l := range readLines(f, "testdata/stream.jsonl") {
		f.Add(l)
	}
	for _, name := range []string{"rest_open_orders.json", "rest_executions.json", "rest_order_by_link.json"} {
		f.Add(readLines(f, "testdata/"+name)[0])
	}
	p := streamParser(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		r, _ := p.Parse(msg, 1)
		for i := range r.Events {
			switch r.Events[i].Kind {
			case event.KindOrderAck, event.KindReject, event.KindFill, event.KindCancelAck:
			default:
				t.Fatalf("event of kind %v", r.Events[i].Kind)
			}
		}
		found := map[event.OrderID]bool{}
		_, _ = p.ApplyOrderList(msg, 1, true, found)
		_, _ = p.ApplyExecList(msg, 1)
	})
}

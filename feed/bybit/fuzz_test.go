package bybit

import (
	"strings"
	"testing"

	"ems/feed"
)

// FuzzDecode feeds arbitrary messages to a decoder that already holds a live book: Decode must
// never panic, every error must carry the package prefix, and the events must be well-formed.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{
		"orderbook50_BTCUSDT_snapshot_delta.jsonl", "publicTrade_gct.jsonl",
		"v5_linear_inverse_tardis.jsonl", "v5_spot_tardis.jsonl",
	} {
		for _, l := range readLines(f, name) {
			f.Add(l)
		}
	}
	f.Add(bookMsg(ob50, "delta", 11, `["100.1","0"]`, `["100.3","1"]`))
	f.Add(bookMsg(ob50, "delta", 1, `["100.1","0"]`, `["100.3","1"]`))
	f.Add([]byte(`{"success":false,"ret_msg":"x","op":"subscribe"}`))
	f.Add([]byte(`{"op":"pong"}`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		d := inferring()
		out := feed.NewBatch(16)
		if err := d.Decode(bookMsg(ob50, "snapshot", 10, `["100.1","1"]`, `["100.2","1"]`), 1, out); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			out.Reset()
			if err := d.Decode(msg, 2, out); err != nil && !strings.HasPrefix(err.Error(), "bybit: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			for _, e := range out.Events() {
				if !e.Kind.Valid() || e.Venue != 3 || e.Instrument == 0 {
					t.Fatalf("bad event %+v", e)
				}
			}
		}
		for _, r := range d.Books() {
			_ = r.AppendReport(nil, VenueName)
		}
		_ = d.Requests(nil)
	})
}

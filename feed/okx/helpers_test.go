package okx

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

// readLines returns the non-empty lines of testdata/name.
func readLines(tb testing.TB, name string) [][]byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	var lines [][]byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			lines = append(lines, l)
		}
	}
	return lines
}

// newReplayDecoder returns a decoder that infers scales, as `ems feed replay` builds it.
func newReplayDecoder() *Decoder {
	return New(feed.Config{Venue: 7, InferUnknown: true})
}

// run decodes every line into one batch (reset per line) and returns all events and errors.
func run(d *Decoder, lines [][]byte) ([]event.Event, []error) {
	out := feed.NewBatch(1024)
	var evs []event.Event
	var errs []error
	for i, l := range lines {
		if err := d.Decode(l, int64(i+1), out); err != nil {
			errs = append(errs, err)
		}
		evs = append(evs, out.Events()...)
		out.Reset()
	}
	return evs, errs
}

// replica returns d's book of (symbol, channel), or nil.
func replica(d *Decoder, symbol, channel string) *feed.Replica {
	for _, r := range d.Books() {
		if r.Config().Symbol == symbol && r.Config().Channel == channel {
			return r
		}
	}
	return nil
}

// best returns the best level of side as "px x qty" decimal text, or "" when the side is empty.
func best(r *feed.Replica, bid bool) string {
	var px, qty int64
	var ok bool
	if bid {
		px, qty, ok = r.Book().BestBid()
	} else {
		px, qty, ok = r.Book().BestAsk()
	}
	if !ok {
		return ""
	}
	b := fixed.AppendTrim(nil, px, r.PriceScale())
	b = append(b, " x "...)
	return string(fixed.AppendTrim(b, qty, r.QtyScale()))
}

// countKind returns the number of events of kind k.
func countKind(evs []event.Event, k event.Kind) int {
	n := 0
	for i := range evs {
		if evs[i].Kind == k {
			n++
		}
	}
	return n
}

// statuses returns the BookStatus events, in order.
func statuses(evs []event.Event) []event.BookStatus {
	var s []event.BookStatus
	for i := range evs {
		if evs[i].Kind == event.KindBookStatus {
			s = append(s, *evs[i].BookStatus())
		}
	}
	return s
}

package match

import (
	"testing"

	"ems/core/book"
	"ems/core/event"
)

func TestDepthBest(t *testing.T) {
	e, _ := newTestEngine(t, testRules)
	if _, _, ok := e.Best(buy); ok {
		t.Fatal("Best on an empty book")
	}
	if got := e.Depth(sell, 5, nil); len(got) != 0 {
		t.Fatalf("Depth on an empty book %v", got)
	}
	for _, r := range []Request{
		limit(1, buy, 9990, 30), limit(1, buy, 10000, 20), limit(2, buy, 9995, 40), limit(2, buy, 10000, 50),
		limit(1, sell, 10020, 30), limit(2, sell, 10010, 60), limit(1, sell, 10050, 70),
	} {
		mustSubmit(t, e, r)
	}
	if p, q, ok := e.Best(buy); !ok || p != 10000 || q != 70 {
		t.Fatalf("best bid %d x %d %v", p, q, ok)
	}
	if p, q, ok := e.Best(sell); !ok || p != 10010 || q != 60 {
		t.Fatalf("best ask %d x %d %v", p, q, ok)
	}
	if _, _, ok := e.Best(event.SideNone); ok {
		t.Fatal("Best of SideNone")
	}
	cases := []struct {
		side event.Side
		n    int
		want []book.Level
	}{
		{buy, -1, []book.Level{{Price: 10000, Qty: 70}, {Price: 9995, Qty: 40}, {Price: 9990, Qty: 30}}},
		{buy, 2, []book.Level{{Price: 10000, Qty: 70}, {Price: 9995, Qty: 40}}},
		{buy, 0, nil},
		{sell, 10, []book.Level{{Price: 10010, Qty: 60}, {Price: 10020, Qty: 30}, {Price: 10050, Qty: 70}}},
		{sell, 1, []book.Level{{Price: 10010, Qty: 60}}},
		{event.SideNone, 5, nil},
	}
	for _, c := range cases {
		prefix := []book.Level{{Price: 1, Qty: 1}}
		got := e.Depth(c.side, c.n, prefix)
		if !levelsEqual(got[:1], prefix) || !levelsEqual(got[1:], c.want) && len(c.want)+len(got[1:]) > 0 {
			t.Errorf("Depth(%v, %d) = %v, want %v after the prefix", c.side, c.n, got, c.want)
		}
	}
	if e.Levels(buy) != 3 || e.Levels(sell) != 3 || e.Levels(0) != 0 {
		t.Fatalf("Levels %d %d", e.Levels(buy), e.Levels(sell))
	}
	// Deleting a level in the middle keeps the order.
	if _, err := e.Cancel(1, 5, 2); err != nil {
		t.Fatal(err)
	}
	if got := depthString(e); got != "bids 10000x70 9995x40 9990x30 | asks 10010x60 10050x70" {
		t.Fatalf("book %s", got)
	}
	checkInvariants(t, e)
}

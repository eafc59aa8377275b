package match

import (
	"errors"
	"testing"
)

func TestHistory(t *testing.T) {
	e, _ := newTestEngine(t, testRules)
	if err := e.SetHistory(0); !errors.Is(err, ErrHistory) {
		t.Fatalf("SetHistory(0): %v", err)
	}
	if err := e.SetHistory(3); err != nil {
		t.Fatal(err)
	}
	old := mustSubmit(t, e, Request{Account: 1, ClientID: "old", Side: buy, Price: 9000, Qty: 20}) // 1 stays open
	if err := e.SetHistory(5); !errors.Is(err, ErrHistory) {
		t.Fatalf("SetHistory after an order: %v", err)
	}
	for i := range 5 { // 2..6, each canceled at once
		o := mustSubmit(t, e, Request{Account: 1, ClientID: string(rune('a' + i)), Side: buy, Price: 9500, Qty: 20})
		if _, err := e.Cancel(1, o.ID, 2); err != nil {
			t.Fatal(err)
		}
	}
	// The last 3 ids (4, 5, 6) are remembered; 2 and 3 were evicted, with their client ids.
	for id := OrderID(2); id <= 6; id++ {
		o, ok := e.Order(id)
		want := id >= 4
		if ok != want || ok && (o.ID != id || o.Status != StatusCanceled) {
			t.Errorf("Order(%d) = %+v, %v; want found %v", id, o, ok, want)
		}
		_, ok = e.OrderByClient(1, string(rune('a'+int(id)-2)))
		if ok != want {
			t.Errorf("OrderByClient for order %d: %v, want %v", id, ok, want)
		}
	}
	// An open order is found however old.
	if got, ok := e.Order(1); !ok || got != old {
		t.Fatalf("Order(1) %+v %v", got, ok)
	}
	// Terminal outside the window: forgotten at once, client id included.
	if _, err := e.Cancel(1, 1, 3); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Order(1); ok {
		t.Fatal("Order(1) found after it ended outside the window")
	}
	if _, ok := e.OrderByClient(1, "old"); ok {
		t.Fatal("OrderByClient(old) found after it ended outside the window")
	}
	if n := len(e.clients); n != 3 {
		t.Fatalf("%d client ids indexed, want 3", n)
	}
	if len(e.hist.ring) > 3 {
		t.Fatalf("history ring grew to %d", len(e.hist.ring))
	}
	checkInvariants(t, e)
}

package match

import (
	"slices"
	"testing"

	"ems/core/event"
)

func TestCancel(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, buy, 10000, 30))                                             // 1
	mustSubmit(t, e, Request{Account: 1, ClientID: "a", Side: buy, Price: 10000, Qty: 40}) // 2
	mustSubmit(t, e, limit(2, sell, 10010, 50))                                            // 3
	mustSubmit(t, e, limit(2, sell, 10000, 30))                                            // 4 fills 1
	rec.take()

	o, err := e.Cancel(1, 2, 9)
	if err != nil || o.Status != StatusCanceled || o.Exec != ExecCanceled || o.Updated != 9 || o.Created != 1 {
		t.Fatalf("Cancel: %+v, %v", o, err)
	}
	if got := rec.take(); !slices.Equal(got, []string{"order 2 canceled canceled 0/40", "level buy 10000 0"}) {
		t.Fatalf("events %q", got)
	}
	if got, ok := e.Order(2); !ok || got != o {
		t.Fatalf("Order(2) %+v %v", got, ok)
	}
	if got, ok := e.OrderByClient(1, "a"); !ok || got != o {
		t.Fatalf("OrderByClient %+v %v", got, ok)
	}

	refused := []struct {
		name    string
		account uint32
		id      OrderID
	}{
		{"already canceled", 1, 2},
		{"filled", 1, 1},
		{"other account", 1, 3},
		{"unknown id", 1, 99},
		{"zero id", 1, 0},
	}
	for _, c := range refused {
		if _, err := e.Cancel(c.account, c.id, 10); reasonOf(err) != event.RejectUnknownOrder {
			t.Errorf("%s: Cancel(%d, %d): %v", c.name, c.account, c.id, err)
		}
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("refused cancels reported %q", got)
	}
	if got := depthString(e); got != "bids | asks 10010x50" {
		t.Fatalf("book %s", got)
	}
	// A partially filled order cancels its leaves.
	mustSubmit(t, e, limit(1, buy, 10010, 20)) // 5 fills 20 of 3
	rec.take()
	if o, err := e.Cancel(2, 3, 11); err != nil || o.Filled != 20 || o.Status != StatusCanceled {
		t.Fatalf("Cancel partial: %+v %v", o, err)
	}
	if got := rec.take(); !slices.Equal(got, []string{"order 3 canceled canceled 20/50", "level sell 10010 0"}) {
		t.Fatalf("events %q", got)
	}
	checkInvariants(t, e)
}

func TestCancelClient(t *testing.T) {
	e, rec := newTestEngine(t, testRules)
	mustSubmit(t, e, Request{Account: 1, ClientID: "x", Side: buy, Price: 10000, Qty: 30}) // 1
	mustSubmit(t, e, Request{Account: 2, ClientID: "x", Side: buy, Price: 10000, Qty: 40}) // 2
	mustSubmit(t, e, Request{Account: 1, ClientID: "y", Side: buy, Price: 9995, Qty: 50})  // 3
	rec.take()
	o, err := e.CancelClient(2, "x", 5)
	if err != nil || o.ID != 2 || o.Status != StatusCanceled {
		t.Fatalf("CancelClient: %+v %v", o, err)
	}
	if got := rec.take(); !slices.Equal(got, []string{"order 2 canceled canceled 0/40", "level buy 10000 30"}) {
		t.Fatalf("events %q", got)
	}
	for _, c := range []struct {
		account uint32
		id      string
	}{{2, "x"}, {2, "y"}, {3, "x"}, {1, ""}, {1, "z"}} {
		if _, err := e.CancelClient(c.account, c.id, 6); reasonOf(err) != event.RejectUnknownOrder {
			t.Errorf("CancelClient(%d, %q): %v", c.account, c.id, err)
		}
	}
	// The client id is free again once its order is terminal; the new order takes it over.
	o2 := mustSubmit(t, e, Request{Account: 2, ClientID: "x", Side: sell, Price: 10100, Qty: 20}) // 4
	if got, ok := e.OrderByClient(2, "x"); !ok || got.ID != o2.ID {
		t.Fatalf("OrderByClient after reuse %+v", got)
	}
	if o, err := e.CancelClient(2, "x", 7); err != nil || o.ID != 4 {
		t.Fatalf("CancelClient reused: %+v %v", o, err)
	}
	if _, ok := e.OrderByClient(1, ""); ok {
		t.Fatal("OrderByClient with an empty id")
	}
	checkInvariants(t, e)
}

func TestOpen(t *testing.T) {
	e, _ := newTestEngine(t, testRules)
	mustSubmit(t, e, limit(1, buy, 10000, 30))  // 1
	mustSubmit(t, e, limit(2, buy, 9995, 30))   // 2
	mustSubmit(t, e, limit(1, sell, 10050, 30)) // 3
	mustSubmit(t, e, limit(1, buy, 9990, 30))   // 4
	mustSubmit(t, e, limit(1, buy, 10010, 30))  // 5
	if _, err := e.Cancel(1, 4, 2); err != nil {
		t.Fatal(err)
	}
	mustSubmit(t, e, limit(3, sell, 10010, 30)) // 6 fills 5
	ids := func(os []Order) []OrderID {
		var r []OrderID
		for _, o := range os {
			r = append(r, o.ID)
		}
		return r
	}
	dst := make([]Order, 1, 8)
	got := e.Open(1, dst)
	if !slices.Equal(ids(got[1:]), []OrderID{1, 3}) || len(got) != 3 {
		t.Fatalf("Open(1) %v", ids(got))
	}
	if got := e.Open(2, nil); !slices.Equal(ids(got), []OrderID{2}) {
		t.Fatalf("Open(2) %v", ids(got))
	}
	if got := e.Open(7, nil); len(got) != 0 {
		t.Fatalf("Open(7) %v", ids(got))
	}
	if e.OpenCount() != 3 {
		t.Fatalf("OpenCount %d", e.OpenCount())
	}
	checkInvariants(t, e)
}

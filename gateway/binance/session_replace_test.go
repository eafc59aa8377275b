package binance_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/fixed"
	"ems/gateway"
	"ems/gateway/binance"
	"ems/sim"
)

func replaceOf(instr event.InstrumentID, id, newID event.OrderID, price, qty int64) *event.Event {
	e := &event.Event{Kind: event.KindReplace, Instrument: instr}
	*e.Replace() = event.Replace{Order: id, Parent: 7, Price: price, Qty: qty, NewOrder: newID}
	return e
}

// openOrders returns key's open BTCUSDT orders as the venue holds them (REST openOrders).
func (e *simEnv) openOrders(key, secret string) []struct {
	ClientOrderID string `json:"clientOrderId"`
	Price         string `json:"price"`
	OrigQty       string `json:"origQty"`
} {
	e.t.Helper()
	q := "symbol=BTCUSDT&timestamp=" + strconv.FormatInt(e.clock.Load()/1e6, 10)
	q += "&signature=" + string(binance.NewHMAC([]byte(secret)).AppendRESTSignature(nil, []byte(q), nil))
	req, err := http.NewRequest(http.MethodGet, e.base+"/api/v3/openOrders?"+q, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("X-MBX-APIKEY", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []struct {
		ClientOrderID string `json:"clientOrderId"`
		Price         string `json:"price"`
		OrigQty       string `json:"origQty"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		e.t.Fatalf("openOrders: HTTP %d %v", resp.StatusCode, err)
	}
	return out
}

// wantReject waits for order's Reject and checks its code and reason.
func wantReject(t *testing.T, r *recorder, from int, order event.OrderID, code int64, why event.RejectReason) {
	t.Helper()
	ev, _ := r.wait(t, from, "reject", isKind(event.KindReject, order))
	if rj := ev.Reject(); rj.VenueCode != code || rj.Reason != why || rj.Parent != 7 {
		t.Fatalf("reject of %d: %+v, want code %d reason %v", order, *rj, code, why)
	}
}

// TestReplace: a resting order replaced to a new price and quantity is cancelled (CancelAck) and
// its replacement acknowledged (OrderAck under the new id) and resting at the new price; a
// replace whose new order the venue refuses cancels the old order and rejects the new one; a
// replace of an order the session does not hold as open is refused before sending.
func TestReplace(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	instr := btc(t, m)
	a, ra := e.session(t, "rp", key1, secret1, m, "", binance.Limits{})
	bid, ask := e.touch()

	send(t, a, newOrder(instr, 1, event.SideBuy, bid-5, 1000, event.TIFGTC, false))
	_, i := ra.wait(t, 0, "ack", isKind(event.KindOrderAck, 1))
	send(t, a, replaceOf(instr, 1, 2, bid-3, 2000))
	ca, _ := ra.wait(t, i, "cancel ack", isKind(event.KindCancelAck, 1))
	if ca.CancelAck().Leaves != 1000 {
		t.Fatalf("cancel ack %+v", *ca.CancelAck())
	}
	ack, i := ra.wait(t, i, "ack of the replacement", isKind(event.KindOrderAck, 2))
	if o := ack.OrderAck(); o.Price != bid-3 || o.Qty != 2000 || o.Leaves != 2000 || o.VenueOrder == 0 {
		t.Fatalf("ack %+v", *o)
	}
	open := e.openOrders(key1, secret1)
	wantID := string(gateway.AppendClientOrderID(nil, "rp", 2))
	if len(open) != 1 || open[0].ClientOrderID != wantID || open[0].Price != string(fixed.Append(nil, bid-3, 2))+"000000" ||
		open[0].OrigQty != "0.02000000" {
		t.Fatalf("open orders after the replace: %+v", open)
	}

	// The replaced order is no longer open: replacing it again is refused locally.
	send(t, a, replaceOf(instr, 1, 3, bid-4, 1000))
	wantReject(t, ra, i, 1, 0, event.RejectUnknownOrder)
	wantReject(t, ra, i, 3, 0, event.RejectUnknownOrder)
	send(t, a, replaceOf(instr, 99, 100, bid-4, 1000))
	wantReject(t, ra, i, 99, 0, event.RejectUnknownOrder)
	wantReject(t, ra, i, 100, 0, event.RejectUnknownOrder)

	// A post-only order replaced to a crossing price: the cancel succeeds, the new order is
	// refused (-2021 with the new order's -2010).
	send(t, a, newOrder(instr, 4, event.SideBuy, bid-5, 1000, event.TIFGTC, true))
	_, i = ra.wait(t, i, "ack", isKind(event.KindOrderAck, 4))
	send(t, a, replaceOf(instr, 4, 5, ask, 1000))
	ra.wait(t, i, "cancel ack", isKind(event.KindCancelAck, 4))
	wantReject(t, ra, i, 5, binance.CodeNewOrderReject, event.RejectPostOnly)
	for _, ev := range ra.all()[i:] {
		if ev.Kind == event.KindReject && ev.Reject().Order == 4 {
			t.Fatalf("the cancelled order was rejected: %+v", *ev.Reject())
		}
	}
	if open := e.openOrders(key1, secret1); len(open) != 1 || open[0].ClientOrderID != wantID {
		t.Fatalf("open orders: %+v", open)
	}
}

// TestReplaceUnknownAtVenue: after a cancel whose answer was lost (the simulator's
// lose-cancel-ack fault) the session still holds the order open; replacing it is refused by the
// venue (-2022, the cancel's -2011): Rejects for the old order (-2011) and the new (-2022), both
// RejectUnknownOrder, and nothing is placed.
func TestReplaceUnknownAtVenue(t *testing.T) {
	e := newSim(t, sim.RateLimit{}, sim.Fault{Kind: sim.FaultLoseCancelAck, At: time.Nanosecond})
	e.clock.Add(int64(time.Millisecond)) // past the one-shot fault's start
	m := loadMaster(t)
	instr := btc(t, m)
	a, ra := e.session(t, "ru", key1, secret1, m, "", binance.Limits{})
	bid, _ := e.touch()
	send(t, a, newOrder(instr, 1, event.SideBuy, bid-5, 1000, event.TIFGTC, false))
	_, i := ra.wait(t, 0, "ack", isKind(event.KindOrderAck, 1))
	send(t, a, cancelOf(instr, 1)) // canceled, never acknowledged
	send(t, a, replaceOf(instr, 1, 2, bid-3, 1000))
	wantReject(t, ra, i, 1, binance.CodeCancelReject, event.RejectUnknownOrder)
	wantReject(t, ra, i, 2, binance.CodeReplaceFailed, event.RejectUnknownOrder)
	for _, ev := range ra.all() {
		if (ev.Kind == event.KindOrderAck && ev.OrderAck().Order == 2) || ev.Kind == event.KindCancelAck {
			t.Fatalf("unexpected %v", ev.Kind)
		}
	}
	if open := e.openOrders(key1, secret1); len(open) != 0 {
		t.Fatalf("open orders: %+v", open)
	}
}

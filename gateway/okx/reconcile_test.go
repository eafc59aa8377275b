package okx

import (
	"fmt"
	"testing"

	"ems/core/event"
)

// fillsBody is a /trade/fills answer (newest first) in the simulator's field order.
func fillsBody(fills ...string) string {
	b := `{"code":"0","msg":"","data":[`
	for i, f := range fills {
		if i > 0 {
			b += ","
		}
		b += f
	}
	return b + `]}`
}

func fillObj(clOrdID, tradeID, sz, fee string) string {
	return fmt.Sprintf(`{"instType":"SPOT","instId":"BTC-USDT","tradeId":%q,"ordId":"600000000000000100","clOrdId":%q,"billId":"1","subType":"1","tag":"","fillPx":"68000.1","fillSz":%q,"side":"buy","posSide":"net","execType":"M","feeCcy":"BTC","fee":%q,"ts":"1700000000000","fillTime":"1700000000000","feeRate":"-0.0008","tradeQuoteCcy":"USDT"}`,
		tradeID, clOrdID, sz, fee)
}

// TestParseFillList: oldest first, Leaves worked back from the final leaves, de-duplicated
// against a fill already reported, other prefixes skipped.
func TestParseFillList(t *testing.T) {
	p := newTestParser(t)
	p.fills.Add(idKey{5, 9}) // trade 9 of order 5 was reported on the channel
	body := fillsBody(
		fillObj("t1x5", "11", "0.001", "-0.0000008"),
		fillObj("zz1x5", "12", "0.001", "-0.0000008"),
		fillObj("t1x5", "10", "0.002", "-0.0000016"),
		fillObj("t1x5", "9", "0.004", "-0.0000032"),
	)
	evs, err := p.ParseFillList([]byte(body), 1, map[event.OrderID]int64{5: 300_000})
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for i := range evs {
		f := evs[i].Fill()
		got += fmt.Sprintf("trade=%d qty=%d leaves=%d fee=%d liq=%s;", f.TradeID, f.Qty, f.Leaves, f.Fee, f.Liquidity)
	}
	want := "trade=10 qty=200000 leaves=400000 fee=160 liq=maker;trade=11 qty=100000 leaves=300000 fee=80 liq=maker;"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if evs, _ := p.ParseFillList([]byte(body), 1, nil); len(evs) != 0 {
		t.Fatalf("fills reported twice: %d", len(evs))
	}
	if _, err := p.ParseFillList([]byte(`{"code":"50113","msg":"Invalid Sign","data":[]}`), 1, nil); err == nil {
		t.Fatal("an error answer accepted")
	}
}

// TestParseOrderList: an unknown order's 51603 answer, and a canceled order acknowledged and
// canceled by one query.
func TestParseOrderList(t *testing.T) {
	p := newTestParser(t)
	evs, c, err := p.ParseOrderList([]byte(`{"code":"51603","msg":"Order does not exist.","data":[]}`), 1)
	if err != nil || c != 51603 || len(evs) != 0 {
		t.Fatalf("51603: %v %d %d", err, c, len(evs))
	}
	p.Track(6, 1)
	order := `{"code":"0","msg":"","data":[{"accFillSz":"0.001","cancelSource":"1","clOrdId":"t1x6","fillPx":"68000.1","fillSz":"0.001","tradeId":"4","execType":"T","fillFee":"-0.000001","fillFeeCcy":"BTC","instId":"BTC-USDT","ordId":"600000000000000200","px":"68000.1","state":"canceled","sz":"0.003","uTime":"1700000000000"}]}`
	evs, _, err = p.ParseOrderList([]byte(order), 1)
	if err != nil || len(evs) != 3 || evs[0].Kind != event.KindOrderAck || evs[1].Kind != event.KindFill ||
		evs[2].Kind != event.KindCancelAck || evs[2].CancelAck().Leaves != 200_000 || p.Live() != 0 {
		t.Fatalf("canceled order: %v %d live %d", err, len(evs), p.Live())
	}
}

package event

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestHeaderLayout pins the header offsets drawn at the top of event.go.
func TestHeaderLayout(t *testing.T) {
	var e Event
	checks := []struct {
		name string
		got  uintptr
		want uintptr
	}{
		{"Size", unsafe.Sizeof(e), Size},
		{"Kind", unsafe.Offsetof(e.Kind), 0},
		{"Flags", unsafe.Offsetof(e.Flags), 1},
		{"Venue", unsafe.Offsetof(e.Venue), 2},
		{"Instrument", unsafe.Offsetof(e.Instrument), 4},
		{"Seq", unsafe.Offsetof(e.Seq), 8},
		{"ExchTS", unsafe.Offsetof(e.ExchTS), 16},
		{"RecvTS", unsafe.Offsetof(e.RecvTS), 24},
		{"Payload", unsafe.Offsetof(e.Payload), 32},
		{"PayloadSize", unsafe.Sizeof(e.Payload), PayloadSize},
		{"Align", unsafe.Alignof(e), 8},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}

// TestPayloadLayouts pins each payload's field offsets (the table in payload.go) and proves every
// payload fits the payload area and holds no pointers.
func TestPayloadLayouts(t *testing.T) {
	layouts := []struct {
		typ     any
		offsets map[string]uintptr
	}{
		{BookLevel{}, map[string]uintptr{"Price": 0, "Qty": 8, "Side": 16}},
		{TopOfBook{}, map[string]uintptr{"BidPrice": 0, "BidQty": 8, "AskPrice": 16, "AskQty": 24}},
		{Trade{}, map[string]uintptr{"Price": 0, "Qty": 8, "TradeID": 16, "Aggressor": 24}},
		{BookStatus{}, map[string]uintptr{"State": 0, "Reason": 1}},
		{VenueStatus{}, map[string]uintptr{"State": 0, "Reason": 1}},
		{Order{}, map[string]uintptr{"Order": 0, "Parent": 8, "Price": 16, "Qty": 24, "Side": 32, "Type": 33, "TIF": 34, "PostOnly": 35}},
		{Cancel{}, map[string]uintptr{"Order": 0, "Parent": 8}},
		{Replace{}, map[string]uintptr{"Order": 0, "Parent": 8, "Price": 16, "Qty": 24, "NewOrder": 32}},
		{OrderAck{}, map[string]uintptr{"Order": 0, "VenueOrder": 8, "Price": 16, "Qty": 24, "Leaves": 32}},
		{Reject{}, map[string]uintptr{"Order": 0, "Parent": 8, "VenueCode": 16, "Reason": 24}},
		{Fill{}, map[string]uintptr{"Order": 0, "VenueOrder": 8, "Price": 16, "Qty": 24, "Fee": 32, "TradeID": 40, "Leaves": 48, "Liquidity": 56, "FeeAsset": 60}},
		{CancelAck{}, map[string]uintptr{"Order": 0, "Leaves": 8}},
		{Timer{}, map[string]uintptr{"TimerID": 0, "Deadline": 8}},
		{ParentCommand{}, map[string]uintptr{"Parent": 0, "Qty": 8, "LimitPrice": 16, "StartTS": 24, "EndTS": 32, "VenueMask": 40, "ParticipationBps": 48, "Action": 52, "Side": 53, "Algo": 54}},
		{RiskDeny{}, map[string]uintptr{"Order": 0, "Parent": 8, "Limit": 16, "Value": 24, "Reason": 32}},
	}
	for _, l := range layouts {
		typ := reflect.TypeOf(l.typ)
		if typ.Size() > PayloadSize {
			t.Errorf("%s: size %d exceeds the %d-byte payload", typ.Name(), typ.Size(), PayloadSize)
		}
		if typ.NumField() != len(l.offsets) {
			t.Errorf("%s: %d fields, layout table lists %d", typ.Name(), typ.NumField(), len(l.offsets))
		}
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			want, ok := l.offsets[f.Name]
			if !ok {
				t.Errorf("%s.%s: not in the layout table", typ.Name(), f.Name)
				continue
			}
			if f.Offset != want {
				t.Errorf("%s.%s at offset %d, want %d", typ.Name(), f.Name, f.Offset, want)
			}
			if hasPointers(f.Type) {
				t.Errorf("%s.%s holds pointers", typ.Name(), f.Name)
			}
		}
	}
	if hasPointers(reflect.TypeOf(Event{})) {
		t.Error("Event holds pointers")
	}
}

func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return false
	case reflect.Array:
		return hasPointers(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}

func TestBytesRoundTrip(t *testing.T) {
	var e Event
	e.Kind = KindFill
	e.Venue = 3
	e.Instrument = 77
	e.Seq = 1 << 40
	e.RecvTS = -5
	f := e.Fill()
	f.Order, f.Price, f.Qty, f.Fee, f.TradeID, f.Liquidity, f.FeeAsset = 9, 6712345, 25, -3, 1<<63, LiquidityMaker, 4
	b := e.Bytes()
	if len(b) != Size || b[0] != byte(KindFill) || b[2] != 3 || b[4] != 77 {
		t.Fatalf("Bytes: unexpected encoding % x", b[:8])
	}
	var back Event
	FromBytes(&back, b)
	if back != e {
		t.Fatalf("round trip: got %+v, want %+v", back, e)
	}
}

func TestNames(t *testing.T) {
	for k := Kind(0); k < numKinds; k++ {
		if k.String() == "unknown" || k.String() == "" {
			t.Errorf("kind %d has no name", k)
		}
	}
	if Kind(200).String() != "unknown" || Kind(200).Valid() || KindNone.Valid() || !KindRiskDeny.Valid() {
		t.Error("kind validity or fallback name wrong")
	}
	if len(rejectNames) != numRejectReasons || len(denyNames) != numDenyReasons {
		t.Error("reason name tables out of step with the constants")
	}
	if RejectReason(999).String() != "unknown" {
		t.Error("out-of-range reason must print as unknown")
	}
}

func TestFormatEveryKind(t *testing.T) {
	for k := KindNone; k < numKinds; k++ {
		e := Event{Kind: k, Venue: 1, Instrument: 2, Seq: 3}
		text := string(AppendText(nil, &e))
		js := string(AppendJSON(nil, &e))
		if want := "kind=" + k.String() + " venue=1 instrument=2 seq=3"; len(text) < len(want) || text[:len(want)] != want {
			t.Errorf("%v: text %q", k, text)
		}
		if js[0] != '{' || js[len(js)-1] != '}' {
			t.Errorf("%v: json %q", k, js)
		}
	}
}

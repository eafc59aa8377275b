package bybit

import (
	"testing"

	"ems/core/event"
)

// steady holds the inputs of the steady-state paths (allocation tests and benchmarks): an
// encoder, a parser that tracks order 1, and recorded messages.
type steady struct {
	enc          *Encoder
	p            *Parser
	create, cxl  event.Event
	amend        event.Event
	execMsg      []byte // an execution push; execIDAt is the offset of its execId's last digits
	execIDAt     int
	orderMsg     []byte // an order push (New) of order 1
	ackMsg       []byte // the create answer of order 1
	n            uint64
	execTemplate []byte
}

func newSteady(t testing.TB) *steady {
	m := testMaster(t)
	spot, _ := listings(t, m)
	enc, err := NewEncoder("cap", m, 5000)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewParser(ParserConfig{Prefix: "cap", Master: m})
	if err != nil {
		t.Fatal(err)
	}
	s := &steady{enc: enc, p: p}
	s.create = newOrderEvent(spot, 1, event.SideBuy, 6800050, 210_150)
	s.cxl = event.Event{Kind: event.KindCancel, Instrument: spot.Instrument}
	s.cxl.Cancel().Order = 1
	s.amend = event.Event{Kind: event.KindReplace, Instrument: spot.Instrument}
	r := s.amend.Replace()
	r.Order, r.Price, r.Qty = 1, 6800000, 100_000
	lines := readLines(t, "testdata/stream.jsonl")
	s.ackMsg, s.orderMsg, s.execMsg = lines[3], lines[4], lines[6]
	const key = `"execId":"`
	i := indexOf(s.execMsg, key)
	if i < 0 {
		t.Fatal("no execId in the recorded execution")
	}
	s.execIDAt = i + len(key) + 19 - 6 // the last 6 of 19 digits
	s.execTemplate = append([]byte(nil), s.execMsg...)
	return s
}

func indexOf(b []byte, sub string) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == sub {
			return i
		}
	}
	return -1
}

// nextExec rewrites the execution's id to a new one (so it is not a duplicate).
func (s *steady) nextExec() []byte {
	s.n++
	v := s.n
	for i := 5; i >= 0; i-- {
		s.execMsg[s.execIDAt+i] = byte('0' + v%10)
		v /= 10
	}
	return s.execMsg
}

// track tracks order 1 afresh.
func (s *steady) track() {
	s.p.Forget(1)
	s.p.Track(&s.create)
}

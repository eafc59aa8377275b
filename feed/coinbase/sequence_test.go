package coinbase

import (
	"testing"

	"ems/core/event"
	"ems/feed"
)

// want is what must hold for one book after a step.
type want struct {
	applied, dropped, gaps, resyncs int64
	state                           event.BookState
}

// seqStep is one message of a scripted connection and what must hold after it.
type seqStep struct {
	msg      []byte
	books    map[string]want
	requests int    // RequestReconnect requests queued by this message
	status   int    // BookStatus events in this message's batch
	reset    bool   // call ResetSequence before the message
	anomaly  string // an anomaly kind this message must note once
}

func TestConnectionSequence(t *testing.T) {
	live, invalid := event.BookLive, event.BookInvalid
	btc, eth := "BTC-USD", "ETH-USD"
	tests := []struct {
		name  string
		steps []seqStep
	}{
		{"contiguous across channels", []seqStep{
			{msg: l2(1, "snapshot", btc, "bid:100.1:1", "offer:100.2:1"), books: map[string]want{btc: {applied: 1, state: live}}, status: 1},
			{msg: l2(2, "update", btc, "bid:100.1:2"), books: map[string]want{btc: {applied: 2, state: live}}},
			{msg: heartbeat(3), books: map[string]want{btc: {applied: 2, state: live}}},
			{msg: l2(4, "update", btc, "bid:100.1:0"), books: map[string]want{btc: {applied: 3, state: live}}},
		}},
		{"update before snapshot is dropped", []seqStep{
			{msg: l2(7, "update", btc, "bid:100.1:2"), books: map[string]want{btc: {dropped: 1}}},
			{msg: l2(8, "snapshot", btc, "bid:100.1:1"), books: map[string]want{btc: {applied: 1, dropped: 1, state: live}}, status: 1},
		}},
		{"a jump invalidates every book; each resyncs on its own snapshot", []seqStep{
			{msg: l2(1, "snapshot", btc, "bid:100.1:1", "offer:100.2:1"), status: 1},
			{msg: l2(2, "snapshot", eth, "bid:10.1:1", "offer:10.2:1"), status: 1},
			{msg: l2(3, "update", btc, "bid:100.1:2"), books: map[string]want{btc: {applied: 2, state: live}, eth: {applied: 1, state: live}}},
			{msg: heartbeat(5), requests: 2, status: 2,
				books: map[string]want{btc: {applied: 2, gaps: 1, state: invalid}, eth: {applied: 1, gaps: 1, state: invalid}}},
			{msg: l2(6, "update", btc, "bid:100.1:3"), books: map[string]want{btc: {applied: 2, dropped: 1, gaps: 1, state: invalid}}},
			{msg: l2(7, "snapshot", btc, "bid:100.0:1", "offer:100.2:1"), status: 1,
				books: map[string]want{btc: {applied: 3, dropped: 1, gaps: 1, resyncs: 1, state: live}}},
			{msg: l2(8, "update", eth, "bid:10.1:2"), books: map[string]want{eth: {applied: 1, dropped: 1, gaps: 1, state: invalid}}},
			// A second break: only the live book is hit again.
			{msg: heartbeat(10), requests: 1, status: 1,
				books: map[string]want{btc: {applied: 3, dropped: 1, gaps: 2, resyncs: 1, state: invalid}, eth: {applied: 1, dropped: 1, gaps: 1, state: invalid}}},
		}},
		{"a decrease is a break", []seqStep{
			{msg: l2(50, "snapshot", btc, "bid:100.1:1"), status: 1},
			{msg: heartbeat(49), requests: 1, status: 1, books: map[string]want{btc: {applied: 1, gaps: 1, state: invalid}}},
		}},
		{"a snapshot carrying the break resyncs at once", []seqStep{
			{msg: l2(1, "snapshot", btc, "bid:100.1:1"), status: 1},
			{msg: l2(9, "snapshot", btc, "bid:100.3:1"), requests: 1, status: 2,
				books: map[string]want{btc: {applied: 2, gaps: 1, resyncs: 1, state: live}}},
		}},
		{"a repeated number is noted, not a break", []seqStep{
			{msg: l2(4, "snapshot", btc, "bid:100.1:1"), status: 1},
			{msg: l2(4, "update", btc, "bid:100.1:2"), anomaly: AnomalyRepeatedSeq, books: map[string]want{btc: {applied: 2, state: live}}},
			{msg: heartbeat(5), books: map[string]want{btc: {applied: 2, state: live}}},
		}},
		{"a new connection starts its own sequence", []seqStep{
			{msg: l2(100, "snapshot", btc, "bid:100.1:1"), status: 1},
			{msg: l2(0, "snapshot", btc, "bid:100.2:1"), reset: true, books: map[string]want{btc: {applied: 2, state: live}}},
			{msg: l2(1, "update", btc, "bid:100.2:3"), books: map[string]want{btc: {applied: 3, state: live}}},
		}},
		{"a message without sequence_num is noted and handled", []seqStep{
			{msg: l2(1, "snapshot", btc, "bid:100.1:1"), status: 1},
			{msg: []byte(`{"channel":"l2_data","events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"offer","price_level":"100.5","new_quantity":"1"}]}]}`),
				anomaly: AnomalyNoSequence, books: map[string]want{btc: {applied: 2, state: live}}},
			{msg: l2(2, "update", btc, "bid:100.1:2"), books: map[string]want{btc: {applied: 3, state: live}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(cfgInfer())
			out := feed.NewBatch(64)
			for i, s := range tt.steps {
				if s.reset {
					d.ResetSequence()
				}
				before := int64(0)
				if s.anomaly != "" {
					before = d.Anomalies().Count(s.anomaly)
				}
				out.Reset()
				if err := d.Decode(s.msg, int64(i), out); err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if s.anomaly != "" && d.Anomalies().Count(s.anomaly) != before+1 {
					t.Fatalf("step %d: anomaly %q not noted", i, s.anomaly)
				}
				for sym, w := range s.books {
					r := bookOf(t, d, sym)
					st := r.Stats
					if st.Applied != w.applied || st.Dropped != w.dropped || st.Gaps != w.gaps || st.Resyncs != w.resyncs || r.State() != w.state {
						t.Fatalf("step %d %s: stats %+v state %v, want %+v", i, sym, st, r.State(), w)
					}
				}
				status := 0
				for _, e := range out.Events() {
					if e.Kind == event.KindBookStatus {
						status++
						if e.BookStatus().State == event.BookInvalid && (e.BookStatus().Reason != event.BookReasonGap || e.Seq != seqOf(s.msg)) {
							t.Fatalf("step %d: status %+v", i, e)
						}
					}
				}
				if status != s.status {
					t.Fatalf("step %d: %d status events, want %d", i, status, s.status)
				}
				reqs := d.Requests(nil)
				if len(reqs) != s.requests {
					t.Fatalf("step %d: %d requests, want %d", i, len(reqs), s.requests)
				}
				for _, q := range reqs {
					if q.Kind != feed.RequestReconnect || q.Replica == nil {
						t.Fatalf("step %d: request %+v", i, q)
					}
				}
			}
		})
	}
}

// seqOf returns the sequence_num of a test message.
func seqOf(msg []byte) uint64 {
	var p = New(cfgInfer())
	v, err := p.parser.ParseBytes(msg)
	if err != nil {
		return 0
	}
	return v.GetUint64("sequence_num")
}

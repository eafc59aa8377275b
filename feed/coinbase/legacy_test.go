package coinbase

import (
	"errors"
	"strings"
	"testing"

	"ems/core/event"
	"ems/feed"
)

const legacySnap = `{"type":"snapshot","product_id":"BAND-GBP","asks":[["14.8024","12.77"]],"bids":[["14.7472","3.00"]]}`

func TestLegacyRules(t *testing.T) {
	d := NewLegacy(cfgInfer())
	decodeAll(t, d, nil,
		[]byte(`{"type":"subscriptions","channels":[{"name":"level2","product_ids":["BAND-GBP"]}]}`),
		[]byte(`{"type":"l2update","product_id":"BAND-GBP","changes":[["sell","14.8098","0.00"]],"time":"2021-04-17T16:43:37.083117Z"}`),
		[]byte(legacySnap),
		[]byte(`{"type":"l2update","product_id":"BAND-GBP","changes":[["sell","14.8024","0.00"],["buy","14.75","1.5"]],"time":"2021-04-17T16:43:37.083117Z"}`),
		[]byte(`{"type":"heartbeat","last_trade_id":1,"product_id":"BAND-GBP","sequence":1,"time":"2021-04-17T16:43:37.083117Z"}`),
		[]byte(`{"type":"last_match","trade_id":881613,"side":"sell","size":"0.04","price":"14.7775","product_id":"BAND-GBP","sequence":1,"time":"2021-04-17T16:43:30.244075Z"}`),
	)
	r := bookOf(t, d, "BAND-GBP")
	st := r.Stats
	if st.Messages != 5 || st.Applied != 2 || st.Dropped != 1 || st.Gaps != 0 || r.State() != event.BookLive {
		t.Fatalf("stats %+v state %v", st, r.State())
	}
	if got := string(r.AppendReport(nil, LegacyVenueName)); !strings.HasSuffix(got, `"bids":[["14.75","1.5"],["14.7472","3"]],"asks":[]}`) {
		t.Fatalf("report %s", got)
	}
}

func TestLegacyBroken(t *testing.T) {
	tests := []struct {
		name    string
		msg     string
		anomaly string
		invalid bool
	}{
		{"bad change side", `{"type":"l2update","product_id":"BAND-GBP","changes":[["bid","1","1"]]}`, AnomalyBadLevel, true},
		{"short change", `{"type":"l2update","product_id":"BAND-GBP","changes":[["buy","1"]]}`, AnomalyBadLevel, true},
		{"bad size", `{"type":"l2update","product_id":"BAND-GBP","changes":[["buy","1","x"]]}`, AnomalyBadLevel, true},
		{"snapshot without asks", `{"type":"snapshot","product_id":"BAND-GBP","bids":[]}`, AnomalyBadLevel, true},
		{"snapshot bad level", `{"type":"snapshot","product_id":"BAND-GBP","bids":[[1,2]],"asks":[]}`, AnomalyBadLevel, true},
		{"no changes", `{"type":"l2update","product_id":"BAND-GBP"}`, AnomalyBadBook, false},
		{"no product", `{"type":"l2update","changes":[]}`, AnomalyBadBook, false},
		{"match without size", `{"type":"match","trade_id":1,"side":"buy","price":"1","product_id":"BAND-GBP"}`, AnomalyBadTrade, false},
		{"match string trade_id", `{"type":"match","trade_id":"1","side":"buy","price":"1","size":"1","product_id":"BAND-GBP"}`, AnomalyBadTrade, false},
		{"error", `{"type":"error","message":"Failed to subscribe","reason":"BTC-XYZ is not a valid product"}`, AnomalyVenueError, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewLegacy(cfgInfer())
			decodeAll(t, d, nil, []byte(legacySnap))
			err := d.Decode([]byte(tt.msg), 2, feed.NewBatch(8))
			if err == nil || errors.Is(err, feed.ErrForeign) || !strings.HasPrefix(err.Error(), "coinbase: ") {
				t.Fatalf("error %v", err)
			}
			if d.Anomalies().Count(tt.anomaly) != 1 || d.Anomalies().Total() != 1 {
				t.Fatalf("anomalies:\n%s", anomalyText(d.Anomalies()))
			}
			r := bookOf(t, d, "BAND-GBP")
			reqs := d.Requests(nil)
			if tt.invalid != (r.State() == event.BookInvalid) || tt.invalid != (len(reqs) == 1) {
				t.Fatalf("state %v requests %v", r.State(), reqs)
			}
		})
	}
}

func TestLegacyForeign(t *testing.T) {
	for _, msg := range []string{
		`{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":1}]}`, // Kraken v2
		`{"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[],"a":[]}`,
		`{"type":"book_update","pair":"x"}`,
		`[1,2]`,
	} {
		d := NewLegacy(cfgInfer())
		if err := d.Decode([]byte(msg), 1, feed.NewBatch(8)); !errors.Is(err, feed.ErrForeign) {
			t.Errorf("%s: %v", msg, err)
		}
	}
}

package bybit

import (
	"errors"
	"strings"
	"testing"

	"ems/feed"
)

func TestNonBookMessages(t *testing.T) {
	tests := []struct {
		name string
		msg  string
	}{
		{"subscribe ack", `{"success":true,"ret_msg":"","conn_id":"d30fdpbboasp1pjbe7r0","req_id":"1","op":"subscribe"}`},
		{"unsubscribe ack", `{"success":true,"ret_msg":"","conn_id":"x","op":"unsubscribe"}`},
		{"pong (spot)", `{"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"}`},
		{"pong (linear)", `{"op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"}`},
		{"ticker", `{"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","lastPrice":"1"},"ts":1}`},
		{"kline", `{"topic":"kline.5.BTCUSDT","data":[{"start":1}],"ts":1,"type":"snapshot"}`},
		{"unknown fields", `{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":3,"seq":4,"new":[1]},"cts":1,"extra":{"a":1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := inferring()
			out := feed.NewBatch(8)
			if err := d.Decode([]byte(tt.msg), 1, out); err != nil {
				t.Fatal(err)
			}
			if d.Anomalies().Total() != 0 {
				t.Fatalf("%d anomalies", d.Anomalies().Total())
			}
		})
	}
}

func TestRefusedRequest(t *testing.T) {
	d := inferring()
	err := d.Decode([]byte(`{"success":false,"ret_msg":"error:handler not found","conn_id":"x","op":"subscribe"}`), 1, feed.NewBatch(8))
	if err == nil || !strings.Contains(err.Error(), "handler not found") || errors.Is(err, feed.ErrForeign) {
		t.Fatalf("error %v", err)
	}
	if d.Anomalies().Count(AnomalyRequestError) != 1 {
		t.Fatal("refusal not noted")
	}
}

// Messages of other venues (and other Bybit APIs) must be recognised as foreign, so a replay given
// the wrong recording says so.
func TestForeign(t *testing.T) {
	tests := []struct {
		name    string
		msg     string
		foreign bool
	}{
		{"okx books", `{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1","checksum":0,"prevSeqId":1,"seqId":2}]}`, true},
		{"binance depth", `{"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[],"a":[]}`, true},
		{"coinbase l2_data", `{"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,"events":[]}`, true},
		{"kraken v1 array", `[42,{"a":[["1","2","3"]]},"book-10","XBT/USD"]`, true},
		{"okx order reply", `{"id":"1512","op":"order","data":[],"code":"0","msg":""}`, true},
		{"not json", `{"topic":`, false},
		{"empty", ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := inferring()
			err := d.Decode([]byte(tt.msg), 1, feed.NewBatch(8))
			if err == nil || errors.Is(err, feed.ErrForeign) != tt.foreign || !strings.HasPrefix(err.Error(), "bybit: ") {
				t.Fatalf("error %v", err)
			}
			if d.Anomalies().Total() != 1 || len(d.Books()) != 0 {
				t.Fatalf("anomalies %d books %d", d.Anomalies().Total(), len(d.Books()))
			}
		})
	}
}

func TestTradeID(t *testing.T) {
	tests := []struct {
		id   string
		want uint64
	}{
		{"2290000000050703789", 2290000000050703789},
		{"0", 0},
		{"9999999999999999999", 9999999999999999999},
	}
	for _, tt := range tests {
		if got := feed.TradeID([]byte(tt.id)); got != tt.want {
			t.Errorf("feed.TradeID(%s) = %d", tt.id, got)
		}
	}
	for _, id := range []string{"", "0cbf2330-952d-5d03-a462-4bf826c867af", "12345678901234567890", "12a"} {
		if a, b := feed.TradeID([]byte(id)), feed.TradeID([]byte(id+"x")); a == b {
			t.Errorf("feed.TradeID(%q) not hashed distinctly", id)
		}
	}
}

package binance

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestAppendDec(t *testing.T) {
	cases := []struct {
		v     int64
		scale uint8
		want  string
	}{
		{6800001, 2, `"68000.01000000"`},
		{0, 2, `"0.00000000"`},
		{120, 5, `"0.00120000"`},
		{7, 0, `"7.00000000"`},
		{12345678, 8, `"0.12345678"`},
		{-5, 2, `"-0.05000000"`},
	}
	for _, c := range cases {
		if got := string(appendDec(nil, c.v, c.scale)); got != c.want {
			t.Errorf("appendDec(%d, %d) = %s, want %s", c.v, c.scale, got, c.want)
		}
	}
}

func TestParseDec(t *testing.T) {
	cases := []struct {
		s     string
		scale uint8
		want  int64
		err   error
	}{
		{"68000.01", 2, 6800001, nil},
		{"68000.01000000", 2, 6800001, nil},
		{"0.001", 5, 100, nil},
		{"1", 5, 100000, nil},
		{"0.000015", 5, 0, errDecGrid},
		{"0.000000001", 5, 0, errDecPrecision},
		{"0.1234567890", 8, 0, errDecPrecision},
		{"", 2, 0, errDecSyntax},
		{"1e5", 2, 0, errDecSyntax},
		{"-1", 2, 0, errDecSyntax},
		{".5", 2, 0, errDecSyntax},
		{"5.", 2, 0, errDecSyntax},
		{"1.2.3", 2, 0, errDecSyntax},
		{"+1", 2, 0, errDecSyntax},
		{"123456789012345678901", 0, 0, errDecSyntax},
		{"99999999999999999999", 2, 0, errDecRange},
	}
	for _, c := range cases {
		got, err := parseDec(c.s, c.scale)
		if got != c.want || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("parseDec(%q, %d) = %d, %v; want %d, %v", c.s, c.scale, got, err, c.want, c.err)
		}
	}
}

func TestStripParam(t *testing.T) {
	cases := []struct{ raw, rest, value string }{
		{"a=1&signature=x&b=2", "a=1&b=2", "x"},
		{"a=1&signature=x", "a=1", "x"},
		{"signature=x&a=1", "a=1", "x"},
		{"signature=x", "", "x"},
		{"a=1&b=2", "a=1&b=2", ""},
		{"", "", ""},
		{"xsignature=1&signature=y", "xsignature=1", "y"},
	}
	for _, c := range cases {
		rest, v, found := stripParam(c.raw, "signature")
		if rest != c.rest || v != c.value || found != (c.value != "") {
			t.Errorf("stripParam(%q) = %q, %q, %v; want %q, %q", c.raw, rest, v, found, c.rest, c.value)
		}
	}
}

func TestParseStream(t *testing.T) {
	cases := []struct {
		name string
		sym  string
		kind streamKind
		ok   bool
	}{
		{"btcusdt@depth@100ms", "btcusdt", kindDiffFast, true},
		{"btcusdt@depth", "btcusdt", kindDiffSlow, true},
		{"btcusdt@depth@1000ms", "btcusdt", kindDiffSlow, true},
		{"ethusdt@trade", "ethusdt", kindTrade, true},
		{"ethusdt@bookTicker", "ethusdt", kindBookTicker, true},
		{"ethusdt@depth20@100ms", "ethusdt", kindPart20Fast, true},
		{"ethusdt@depth5", "ethusdt", kindPart5Slow, true},
		{"ethusdt@aggTrade", "", 0, false},
		{"ethusdt@kline_1m", "", 0, false},
		{"@trade", "", 0, false},
		{"!ticker@arr", "", 0, false},
		{"nothing", "", 0, false},
	}
	for _, c := range cases {
		sym, k, ok := parseStream(c.name)
		if ok != c.ok || (ok && (sym != c.sym || k != c.kind)) {
			t.Errorf("parseStream(%q) = %q, %d, %v", c.name, sym, k, ok)
		}
	}
}

func TestIntervalOf(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{time.Minute, "1 MINUTE"}, {10 * time.Second, "10 SECOND"}, {time.Hour, "1 HOUR"},
		{24 * time.Hour, "1 DAY"}, {90 * time.Second, "90 SECOND"}, {1500 * time.Millisecond, "1 SECOND"},
	}
	for _, c := range cases {
		if got := intervalText(c.d); got != c.want {
			t.Errorf("intervalText(%v) = %s, want %s", c.d, got, c.want)
		}
	}
}

func TestClientID(t *testing.T) {
	var st orderState
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := st.newClientID()
		if len(id) != 22 || !validClientID(id) || seen[id] {
			t.Fatalf("generated id %q (len %d, seen %v)", id, len(id), seen[id])
		}
		seen[id] = true
	}
	for _, bad := range []string{"", "a b", "é", "0123456789012345678901234567890123456"} {
		if validClientID(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestExchangeInfo: the listing's grid as Binance's filters, values as JSON strings.
func TestExchangeInfo(t *testing.T) {
	e := newEnv(t, envConfig{})
	st, body := e.get("/api/v3/exchangeInfo?symbol=BTCUSDT")
	if st != http.StatusOK {
		t.Fatalf("HTTP %d %s", st, body)
	}
	var info struct {
		Timezone   string `json:"timezone"`
		RateLimits []struct {
			Type        string `json:"rateLimitType"`
			Interval    string `json:"interval"`
			IntervalNum int    `json:"intervalNum"`
			Limit       int    `json:"limit"`
		} `json:"rateLimits"`
		Symbols []struct {
			Symbol     string           `json:"symbol"`
			Status     string           `json:"status"`
			BaseAsset  string           `json:"baseAsset"`
			QuoteAsset string           `json:"quoteAsset"`
			OrderTypes []string         `json:"orderTypes"`
			Filters    []map[string]any `json:"filters"`
		} `json:"symbols"`
	}
	decodeJSON(t, body, &info)
	if info.Timezone != "UTC" || len(info.Symbols) != 1 || len(info.RateLimits) != 2 {
		t.Fatalf("%s", body)
	}
	s := info.Symbols[0]
	if s.Symbol != "BTCUSDT" || s.Status != "TRADING" || s.BaseAsset != "BTC" || s.QuoteAsset != "USDT" {
		t.Fatalf("symbol %+v", s)
	}
	want := map[string]map[string]string{
		"PRICE_FILTER": {"minPrice": "0.01000000", "tickSize": "0.01000000", "maxPrice": "1000000.00000000"},
		"LOT_SIZE":     {"minQty": "0.00001000", "stepSize": "0.00001000", "maxQty": "9000000.00000000"},
		"NOTIONAL":     {"minNotional": "5.00000000"},
	}
	for _, f := range s.Filters {
		typ, _ := f["filterType"].(string)
		for k, v := range want[typ] {
			if f[k] != v {
				t.Errorf("%s.%s = %v, want %q", typ, k, f[k], v)
			}
		}
		delete(want, typ)
	}
	if len(want) != 0 {
		t.Errorf("filters missing: %v", want)
	}
	st, body = e.get(`/api/v3/exchangeInfo?symbols=["BTCUSDT","ETHUSDT"]`)
	decodeJSON(t, body, &info)
	if st != 200 || len(info.Symbols) != 2 {
		t.Fatalf("symbols=: HTTP %d %s", st, body)
	}
	st, body = e.get(`/api/v3/exchangeInfo?symbols=["BTCUSDT","NOPE"]`)
	wantError(t, st, body, 400, -1121, "Invalid symbol.")
	st, body = e.get("/api/v3/time")
	if st != 200 || string(body) != `{"serverTime":`+e.nowMs()+`}` {
		t.Fatalf("time: %s", body)
	}
	if st, body = e.get("/api/v3/ping"); st != 200 || string(body) != "{}" {
		t.Fatalf("ping: %s", body)
	}
}

package bybit

import (
	"ems/core/jsontext"
	"strconv"

	"ems/core/book"
	"ems/core/fixed"
)

// Limits the simulator publishes in instruments-info that its Engine does not enforce (Bybit's
// maximum order sizes): they are there because clients read them, and are documented as such.
const (
	maxOrderBase   = 1_000_000   // maxOrderQty, in base units
	maxOrderAmount = 100_000_000 // spot maxOrderAmt, in quote units
)

// instrumentsInfo answers GET /v5/market/instruments-info?category=spot|linear[&symbol=...].
func (s *Server) instrumentsInfo(c *restCall) reply {
	cat, e := queryCategory(c.query)
	if e != nil {
		return reply{err: e}
	}
	sym := c.query.Get("symbol")
	b := append([]byte(nil), '{')
	b = appendStrField(b, "category", cat.String())
	b = append(jsontext.AppendKey(b, "list"), '[')
	for _, k := range s.mkts {
		if k.cat != cat || (sym != "" && k.sym != sym) {
			continue
		}
		if b[len(b)-1] != '[' {
			b = append(b, ',')
		}
		if cat == catSpot {
			b = k.appendSpotInstrument(b)
		} else {
			b = k.appendLinearInstrument(b)
		}
	}
	b = append(b, ']')
	b = appendStrField(b, "nextPageCursor", "")
	return reply{result: append(b, '}')}
}

// unitField appends "key":"<v at scale, trimmed>".
func unitField(dst []byte, key string, v int64, scale uint8) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(fixed.AppendTrim(dst, v, scale), '"')
}

// fixedField appends "key":"<v at scale>" with all its decimals.
func fixedField(dst []byte, key string, v int64, scale uint8) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(fixed.Append(dst, v, scale), '"')
}

// appendSpotInstrument appends a spot instrument: symbol, coins, status, lotSizeFilter
// (basePrecision is the lot), priceFilter.
func (k *mkt) appendSpotInstrument(b []byte) []byte {
	l := k.l
	b = append(b, '{')
	b = appendStrField(b, "symbol", k.sym)
	b = appendStrField(b, "baseCoin", k.base)
	b = appendStrField(b, "quoteCoin", k.quote)
	b = appendStrField(b, "innovation", "0")
	b = appendStrField(b, "status", "Trading")
	b = appendStrField(b, "marginTrading", "none")
	b = appendStrField(b, "stTag", "0")
	b = append(jsontext.AppendKey(b, "lotSizeFilter"), '{')
	b = fixedField(b, "basePrecision", l.Lot, l.QtyScale)
	qp := min(l.PriceScale+l.QtyScale, 8)
	b = fixedField(b, "quotePrecision", 1, qp)
	b = fixedField(b, "minOrderQty", l.MinQty, l.QtyScale)
	b = fixedField(b, "maxOrderQty", maxOrderBase*fixed.Pow10(l.QtyScale), l.QtyScale)
	b = unitField(b, "minOrderAmt", l.MinNotional, l.PriceScale)
	b = unitField(b, "maxOrderAmt", maxOrderAmount*fixed.Pow10(l.PriceScale), l.PriceScale)
	b = append(b, '}')
	b = append(jsontext.AppendKey(b, "priceFilter"), '{')
	b = fixedField(b, "tickSize", l.Tick, l.PriceScale)
	b = append(b, '}')
	b = append(jsontext.AppendKey(b, "riskParameters"), '{')
	b = appendStrField(b, "priceLimitRatioX", "0.05")
	b = appendStrField(b, "priceLimitRatioY", "0.05")
	b = append(b, '}')
	return append(b, '}')
}

// appendLinearInstrument appends a linear perpetual: contract type, coins, priceScale, filters.
func (k *mkt) appendLinearInstrument(b []byte) []byte {
	l := k.l
	b = append(b, '{')
	b = appendStrField(b, "symbol", k.sym)
	b = appendStrField(b, "contractType", "LinearPerpetual")
	b = appendStrField(b, "status", "Trading")
	b = appendStrField(b, "baseCoin", k.base)
	b = appendStrField(b, "quoteCoin", k.quote)
	b = appendStrField(b, "launchTime", "1585526400000")
	b = appendStrField(b, "deliveryTime", "0")
	b = appendStrField(b, "deliveryFeeRate", "")
	b = appendStrField(b, "priceScale", strconv.Itoa(int(l.PriceScale)))
	b = append(jsontext.AppendKey(b, "leverageFilter"), '{')
	b = appendStrField(b, "minLeverage", "1")
	b = appendStrField(b, "maxLeverage", "100.00")
	b = appendStrField(b, "leverageStep", "0.01")
	b = append(b, '}')
	b = append(jsontext.AppendKey(b, "priceFilter"), '{')
	b = fixedField(b, "minPrice", l.Tick, l.PriceScale)
	b = fixedField(b, "maxPrice", maxOrderAmount*fixed.Pow10(l.PriceScale)/100, l.PriceScale)
	b = fixedField(b, "tickSize", l.Tick, l.PriceScale)
	b = append(b, '}')
	b = append(jsontext.AppendKey(b, "lotSizeFilter"), '{')
	maxQty := maxOrderBase * fixed.Pow10(l.QtyScale) / 1000
	b = fixedField(b, "maxOrderQty", maxQty, l.QtyScale)
	b = fixedField(b, "minOrderQty", l.MinQty, l.QtyScale)
	b = fixedField(b, "qtyStep", l.Lot, l.QtyScale)
	b = fixedField(b, "postOnlyMaxOrderQty", maxQty, l.QtyScale)
	b = fixedField(b, "maxMktOrderQty", maxQty, l.QtyScale)
	b = unitField(b, "minNotionalValue", l.MinNotional, l.PriceScale)
	b = append(b, '}')
	b = appendBoolField(b, "unifiedMarginTrade", true)
	b = appendIntField(b, "fundingInterval", 480)
	b = appendStrField(b, "settleCoin", k.quote)
	b = appendStrField(b, "copyTrading", "both")
	b = appendStrField(b, "upperFundingRate", "0.00375")
	b = appendStrField(b, "lowerFundingRate", "-0.00375")
	b = appendBoolField(b, "isPreListing", false)
	b = appendRaw(b, "preListingInfo", []byte("null"))
	return append(b, '}')
}

// orderbook answers GET /v5/market/orderbook?category&symbol[&limit]: the mirror's best limit
// levels a side (spot 1..200, default 1; linear 1..500, default 25) with the u of the stream
// Bybit documents it against (spot: orderbook.50, linear: orderbook.200).
func (s *Server) orderbook(c *restCall) reply {
	cat, e := queryCategory(c.query)
	if e != nil {
		return reply{err: e}
	}
	sym := c.query.Get("symbol")
	if sym == "" {
		return reply{err: errParam(cat, "symbol")}
	}
	k, ok := s.market(cat, sym)
	if !ok {
		return reply{err: errSymbol(cat, sym)}
	}
	def, max := 1, 200
	if cat == catLinear {
		def, max = 25, 500
	}
	limit, e := queryLimit(c.query, def, max)
	if e != nil {
		return reply{err: e}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := k.streams[cat.restDepth()]
	if d.dirty && len(d.subs) == 0 {
		d.catchUp(k.mirror)
	}
	var lv []book.Level
	b := append([]byte(nil), '{')
	b = appendStrField(b, "s", k.sym)
	lv = k.mirror.Levels(book.Ask, limit, lv[:0])
	b = appendLevels(jsontext.AppendKey(b, "a"), k, lv)
	lv = k.mirror.Levels(book.Bid, limit, lv[:0])
	b = appendLevels(jsontext.AppendKey(b, "b"), k, lv)
	b = appendIntField(b, "ts", k.batchTS/1e6)
	b = strconv.AppendUint(jsontext.AppendKey(b, "u"), d.u, 10)
	b = strconv.AppendUint(jsontext.AppendKey(b, "seq"), k.seq, 10)
	b = appendIntField(b, "cts", k.batchTS/1e6)
	return reply{result: append(b, '}')}
}

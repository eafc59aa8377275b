package okx

// channel is a public channel the decoder understands.
type channel uint8

const (
	chanOther      channel = iota // a channel the decoder skips (tickers, candles, private ones)
	chanBooks                     // "books": 400-level snapshot, then increments every 100 ms
	chanBooksTBT                  // "books-l2-tbt": 400 levels, tick by tick
	chanBooks50TBT                // "books50-l2-tbt": 50 levels, tick by tick
	chanBooks5                    // "books5": the 5 best levels, each push complete
	chanBBO                       // "bbo-tbt": the best level, each push complete
	chanTrades                    // "trades": public trades, aggregated per taker order
	chanTradesAll                 // "trades-all": public trades, one per fill
)

// Channel names as OKX spells them in "arg":{"channel":...}.
const (
	ChannelBooks        = "books"
	ChannelBooksL2TBT   = "books-l2-tbt"
	ChannelBooks50L2TBT = "books50-l2-tbt"
	ChannelBooks5       = "books5"
	ChannelBBOTBT       = "bbo-tbt"
	ChannelTrades       = "trades"
	ChannelTradesAll    = "trades-all"
)

// lookupChannel maps a channel name to its channel; unknown names are chanOther.
func lookupChannel(name []byte) channel {
	switch string(name) { // compiled to comparisons: no conversion, no allocation
	case ChannelBooks:
		return chanBooks
	case ChannelBooksL2TBT:
		return chanBooksTBT
	case ChannelBooks50L2TBT:
		return chanBooks50TBT
	case ChannelBooks5:
		return chanBooks5
	case ChannelBBOTBT:
		return chanBBO
	case ChannelTrades:
		return chanTrades
	case ChannelTradesAll:
		return chanTradesAll
	}
	return chanOther
}

// name returns the channel's wire name ("" for chanOther).
func (c channel) name() string {
	switch c {
	case chanBooks:
		return ChannelBooks
	case chanBooksTBT:
		return ChannelBooksL2TBT
	case chanBooks50TBT:
		return ChannelBooks50L2TBT
	case chanBooks5:
		return ChannelBooks5
	case chanBBO:
		return ChannelBBOTBT
	case chanTrades:
		return ChannelTrades
	case chanTradesAll:
		return ChannelTradesAll
	}
	return ""
}

// isBook reports whether the channel carries an order book.
func (c channel) isBook() bool { return c >= chanBooks && c <= chanBBO }

// incremental reports whether the channel is a snapshot followed by sequenced increments (as
// opposed to complete pushes).
func (c channel) incremental() bool { return c >= chanBooks && c <= chanBooks50TBT }

// isTrades reports whether the channel carries public trades.
func (c channel) isTrades() bool { return c == chanTrades || c == chanTradesAll }

// depth returns the number of levels per side the venue keeps in the channel's book.
func (c channel) depth() int {
	switch c {
	case chanBooks, chanBooksTBT:
		return 400
	case chanBooks50TBT:
		return 50
	case chanBooks5:
		return 5
	case chanBBO:
		return 1
	}
	return 0
}

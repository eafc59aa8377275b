package binance_test

import (
	"fmt"

	"ems/core/fixed"
	"ems/feed"
	"ems/feed/binance"
)

// A live feed: the first diff waits and asks for a snapshot; the snapshot syncs the book and the
// waiting diff is applied (U <= lastUpdateId+1 <= u).
func Example() {
	d := binance.New(feed.Config{Venue: 1, InferUnknown: true})
	out := feed.NewBatch(64)

	diff := `{"stream":"abcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"ABCUSDT","U":101,"u":102,` +
		`"b":[["1.0010","3.5"]],"a":[["1.0030","0"]]}}`
	if err := d.Decode([]byte(diff), 1, out); err != nil {
		panic(err)
	}
	for _, r := range d.Requests(nil) {
		fmt.Println("request snapshot of", r.Replica.Config().Symbol)
	}
	snap := `{"lastUpdateId":100,"bids":[["1.0000","2"]],"asks":[["1.0030","1"],["1.0040","4"]]}`
	if err := d.LoadSnapshot("ABCUSDT", []byte(snap), 2, out); err != nil {
		panic(err)
	}
	r := d.Books()[0]
	bid, bq, _ := r.Book().BestBid()
	ask, aq, _ := r.Book().BestAsk()
	fmt.Printf("%s x %s / %s x %s\n",
		fixed.AppendTrim(nil, bid, r.PriceScale()), fixed.AppendTrim(nil, bq, r.QtyScale()),
		fixed.AppendTrim(nil, ask, r.PriceScale()), fixed.AppendTrim(nil, aq, r.QtyScale()))
	fmt.Printf("applied %d dropped %d\n", r.Stats.Applied, r.Stats.Dropped)
	// Output:
	// request snapshot of ABCUSDT
	// 1.001 x 3.5 / 1.004 x 4
	// applied 1 dropped 0
}

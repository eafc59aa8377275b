package okx_test

import (
	"fmt"

	"ems/feed"
	"ems/feed/okx"
)

func ExampleDecoder() {
	d := okx.New(feed.Config{Venue: 2, InferUnknown: true})
	out := feed.NewBatch(64)
	msgs := []string{
		`{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"}`,
		`{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["3366.8","9","0","1"],["3368","8","0","2"]],"bids":[["3366.1","7","0","1"],["3366","6","0","3"]],"ts":"1597026383085","checksum":-1881014294,"prevSeqId":-1,"seqId":10}]}`,
		`{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1597026443085","checksum":-1881014294,"prevSeqId":10,"seqId":10}]}`,
		`pong`,
	}
	for i, m := range msgs {
		if err := d.Decode([]byte(m), int64(i), out); err != nil {
			fmt.Println(err)
		}
	}
	r := d.Books()[0]
	px, qty, _ := r.Book().BestBid()
	fmt.Println(r.Config().Symbol, r.Config().Channel, r.State(), px, qty, r.PriceScale())
	fmt.Printf("%+v\n", r.Stats)
	// Output:
	// BTC-USDT books live 33661 7 1
	// {Messages:3 Applied:2 Dropped:0 Gaps:0 Resyncs:0 ChecksumsVerified:2 ChecksumFailures:0}
}

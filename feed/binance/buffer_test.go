package binance

import (
	"errors"
	"fmt"
	"testing"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/feed"
)

// diffLevels parses a depthUpdate body and returns its b and a arrays.
func diffLevels(t *testing.T, p *fastjson.Parser, body string) (*fastjson.Value, *fastjson.Value) {
	t.Helper()
	v, err := p.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	return v.Get("b"), v.Get("a")
}

func TestBufferEvictsOldest(t *testing.T) {
	var p fastjson.Parser
	b := NewBuffer(3, 100, 1000)
	for i := 1; i <= 5; i++ {
		bids, asks := diffLevels(t, &p, fmt.Sprintf(`{"b":[["1.%d","%d"]],"a":[["2.%d","%d"],["3","0"]]}`, i, i, i, i))
		ev, err := b.Add(Header{First: uint64(i), Last: uint64(i)}, bids, asks)
		if err != nil {
			t.Fatal(err)
		}
		if want := max(0, min(1, i-3)); ev != want {
			t.Errorf("add %d evicted %d, want %d", i, ev, want)
		}
	}
	if b.Len() != 3 {
		t.Fatalf("len %d, want 3", b.Len())
	}
	for i := 0; i < 3; i++ {
		if h := b.Header(i); h.First != uint64(i+3) {
			t.Errorf("diff %d is %d, want %d", i, h.First, i+3)
		}
	}
	r, err := feed.NewReplica(feed.ReplicaConfig{Symbol: "X"})
	if err != nil {
		t.Fatal(err)
	}
	out := feed.NewBatch(16)
	r.Begin(out, 1, 0, 0)
	if err := b.Apply(2, r); err != nil {
		t.Fatal(err)
	}
	r.Commit()
	if got := bookTop(r); got != (top{"1.5", "5", "2.5", "5"}) {
		t.Errorf("top %+v", got)
	}
	b.Discard(1)
	if b.Len() != 2 || b.Header(0).First != 4 {
		t.Fatalf("after discard: len %d first %d", b.Len(), b.Header(0).First)
	}
	r.Begin(out, 2, 0, 0)
	if err := b.Apply(0, r); err != nil {
		t.Fatal(err)
	}
	r.Commit()
	if px, q, _ := r.Book().Best(book.Bid); dec(px, r.PriceScale()) != "1.5" || r.Book().Qty(book.Bid, px) != q {
		t.Errorf("bid %d", px)
	}
	if q := r.Book().Qty(book.Ask, 24); dec(q, r.QtyScale()) != "4" {
		t.Errorf("ask 2.4 qty %s, want 4", dec(q, r.QtyScale()))
	}
}

func TestBufferLimits(t *testing.T) {
	var p fastjson.Parser
	tests := []struct {
		name            string
		diffs, lv, text int
		body            string
		want            error
	}{
		{"levels", 4, 1, 100, `{"b":[["1","1"],["2","2"]]}`, ErrBufferTooSmall},
		{"text", 4, 10, 4, `{"b":[["1.5","10"]]}`, ErrBufferTooSmall},
		{"level-shape", 4, 10, 100, `{"b":[["1"]]}`, ErrLevel},
		{"level-type", 4, 10, 100, `{"b":[[1,2]]}`, ErrLevel},
		{"side-type", 4, 10, 100, `{"b":{}}`, ErrLevel},
		{"empty", 1, 0, 0, `{"b":[],"a":[]}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBuffer(tc.diffs, tc.lv, tc.text)
			bids, asks := diffLevels(t, &p, tc.body)
			if _, err := b.Add(Header{First: 1, Last: 1}, bids, asks); !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if want := 0; tc.want == nil {
				want = 1
				if b.Len() != want {
					t.Errorf("len %d, want %d", b.Len(), want)
				}
			} else if b.Len() != want {
				t.Errorf("len %d after a refused diff", b.Len())
			}
		})
	}
}

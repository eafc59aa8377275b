module ems/bench/peers

go 1.26

require ems v0.0.0

require (
	github.com/adshao/go-binance/v2 v2.8.9 // indirect
	github.com/bitly/go-simplejson v0.5.1 // indirect
	github.com/c9s/bbgo v1.64.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/jpillora/backoff v1.0.0 // indirect
	github.com/shopspring/decimal v1.4.0 // indirect
)

replace ems => ../..

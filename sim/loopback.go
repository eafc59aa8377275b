package sim

import (
	"fmt"
	"net"
)

// CheckLoopback refuses a listen address whose host is not a loopback IP or "localhost": the
// simulator holds test keys only and must not be reachable from another host. venue prefixes the
// error ("binance: refusing to listen on ...").
func CheckLoopback(venue, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: listen address %q: %w", venue, addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s: refusing to listen on %q: the simulator serves loopback addresses only (use 127.0.0.1:PORT)", venue, addr)
}

package sim

import (
	"strings"
	"testing"
)

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:0", "127.0.0.2:8080", "[::1]:0", "localhost:0"} {
		if err := CheckLoopback("v", ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"0.0.0.0:0", ":0", "10.0.0.1:80", "example.com:80", "127.0.0.1"} {
		err := CheckLoopback("v", bad)
		if err == nil || !strings.HasPrefix(err.Error(), "v: ") {
			t.Errorf("%s: %v, want a refusal prefixed by the venue", bad, err)
		}
	}
}

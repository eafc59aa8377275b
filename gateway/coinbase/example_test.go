package coinbase_test

import (
	"fmt"

	"ems/gateway/coinbase"
)

// The FIX Logon RawData of the venue specs' section 7.3 vector.
func ExampleSigner_AppendFIXRawData() {
	s, err := coinbase.NewSigner("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==")
	if err != nil {
		panic(err)
	}
	raw := s.AppendFIXRawData(nil, "20230822-20:41:00.123", "A", "1",
		"b7ff0bd1a6b1e9ac2cf1e7c1c0b1a0d0", "Coinbase", "mypassphrase")
	fmt.Printf("95=%d 96=%s\n", len(raw), raw)
	// Output: 95=44 96=1Ge3KLVxRWbtGNTU8sV5b/Fa2fNN3Q449n8yc2dmjVg=
}

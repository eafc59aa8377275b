package fixed_test

import (
	"errors"
	"fmt"

	"ems/core/fixed"
)

func ExampleParse() {
	// A Binance price for an instrument whose price scale is 8.
	px, err := fixed.Parse([]byte("67123.45000000"), 8)
	fmt.Println(px, err)
	// The same text at scale 2: the extra zeros are fine.
	px, err = fixed.Parse([]byte("67123.45000000"), 2)
	fmt.Println(px, err)
	// A non-zero digit beyond the scale is an error, never a rounding.
	_, err = fixed.Parse([]byte("0.123"), 2)
	fmt.Println(err, errors.Is(err, fixed.ErrPrecision))
	_, err = fixed.Parse([]byte("1e-5"), 8)
	fmt.Println(err)
	// Output:
	// 6712345000000 <nil>
	// 6712345 <nil>
	// fixed: "0.123" has more than 2 decimal places true
	// fixed: "1e-5" has an exponent; exponents are not accepted
}

func ExampleAppend() {
	buf := make([]byte, 0, 32)
	buf = fixed.Append(buf, 35270000, 8)
	fmt.Println(string(buf))
	buf = fixed.AppendTrim(buf[:0], 35270000, 8)
	fmt.Println(string(buf))
	buf = fixed.AppendTrim(buf[:0], 960200000000, 8)
	fmt.Println(string(buf))
	// Output:
	// 0.35270000
	// 0.3527
	// 9602
}

func ExamplePlaces() {
	// Infer a scale from the text of an unknown symbol, then parse at it.
	text := []byte("0.00000637")
	scale := uint8(fixed.Places(text))
	v, _ := fixed.Parse(text, scale)
	fmt.Println(scale, v)
	// Output: 8 637
}

func ExampleRescale() {
	v, err := fixed.Rescale(6712345000000, 8, 2)
	fmt.Println(v, err)
	_, err = fixed.Rescale(6712345000001, 8, 2)
	fmt.Println(err)
	// Output:
	// 6712345 <nil>
	// fixed: rescaling 6712345000001 from scale 8 to scale 2 drops non-zero digits
}

func ExampleNotional() {
	// 67123.45 (price scale 2) × 1.5 (quantity scale 5), in quote units at scale 2.
	n, err := fixed.Notional(6712345, 150000, 2, 5, 2)
	fmt.Println(string(fixed.Append(nil, n, 2)), err)
	// Output: 100685.17 <nil>
}

func ExampleMulDiv() {
	// Truncation toward zero, with a 128-bit intermediate product.
	fmt.Println(fixed.MulDiv(-7, 1, 2))
	fmt.Println(fixed.MulDiv(9223372036854775807, 9223372036854775807, 9223372036854775807))
	// Output:
	// -3 <nil>
	// 9223372036854775807 <nil>
}

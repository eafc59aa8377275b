package fixed

import "encoding/binary"

// Eight-bytes-at-a-time digit work ("SIMD within a register").
//
// A word is eight text bytes loaded little-endian, so the first byte of the
// text is the low byte of the word: for digit text the low byte holds the most
// significant digit.
//
//	text   "67123.45"
//	byte    0  1  2  3  4  5  6  7
//	word   0x35342e3332313736  (byte 0 = '6' = 0x36 in the low 8 bits)
//
// None of these helpers looks outside b: a word is loaded only where eight
// bytes exist; text shorter than that goes byte by byte (parseShort).

const (
	ones8  = 0x0101010101010101
	high8  = 0x8080808080808080
	zeros8 = '0' * ones8 // "00000000"
)

// load8 returns b[i:i+8] as a little-endian word.
// REQUIRES: i+8 <= len(b).
func load8(b []byte, i int) uint64 {
	return binary.LittleEndian.Uint64(b[i : i+8])
}

// nonDigits returns a word with bit 7 of each byte set where that byte of x is
// not an ASCII digit. Each byte is judged alone (no carry or borrow crosses a
// byte), so the lowest set byte is the first non-digit wherever x came from.
func nonDigits(x uint64) uint64 {
	t := x & (0x7f * ones8)         // low 7 bits of each byte: t+0x50 and t+0x46 cannot carry out
	ge0 := t + 0x50*ones8           // bit 7 set iff t >= '0'
	gt9 := t + 0x46*ones8           // bit 7 set iff t >  '9'
	return (x | gt9 | ^ge0) & high8 // x's own bit 7: a byte >= 0x80 is no digit
}

// wordAt returns the eight bytes of b from j on as a word; where b ends before
// j+8 the word's top bytes are zero, which is no digit, so a digit run seen
// through wordAt always ends at the end of b.
// REQUIRES: len(b) >= 8 and 0 <= j <= len(b).
func wordAt(b []byte, j int) uint64 {
	if j+8 <= len(b) {
		return load8(b, j)
	}
	return load8(b, len(b)-8) >> (uint(j-(len(b)-8)) * 8) // 8 … 64 bits
}

// digits8 returns the number written by eight digit values, one per byte,
// most significant in the low byte (text order after subtracting "00000000").
//
//	d0 d1 d2 d3 d4 d5 d6 d7           bytes, each 0 … 9
//	x*10 + x>>8                       byte 2k = 10·d2k + d2k+1 = pair Pk (0 … 99)
//	P0, P2 at bits 0, 32 (mask a)     × (100 + 10^6<<32) → bits 32+: 10^6·P0 + 100·P2
//	P1, P3 at bits 0, 32 (mask b)     × (1 + 10^4<<32)   → bits 32+: 10^4·P1 + P3
//
// The two low halves sum to at most 100·99 + 99, so nothing carries into bit
// 32, and the high half, at most 99999999, fits 32 bits exactly.
func digits8(x uint64) uint64 {
	const mask = 0x000000ff000000ff
	x = x*10 + x>>8
	a := (x & mask) * (100 + 1000000<<32)
	b := (x >> 16 & mask) * (1 + 10000<<32)
	return (a + b) >> 32
}

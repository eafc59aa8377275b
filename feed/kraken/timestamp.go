package kraken

import "ems/core/fixed"

// parseRFC3339 returns the Unix time in ns of a UTC timestamp as Kraken v2 writes it,
// "2023-09-25T07:48:36.925533Z" (0 to 9 fractional digits, always 'Z'). ok is false for any other
// shape. It allocates nothing.
func parseRFC3339(b []byte) (ns int64, ok bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' ||
		b[len(b)-1] != 'Z' {
		return 0, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 ||
		hour > 23 || minute > 59 || sec > 60 {
		return 0, false
	}
	var frac int64
	if rest := b[19 : len(b)-1]; len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return 0, false
		}
		f, okf := digits(rest[1:])
		if !okf {
			return 0, false
		}
		frac = f * fixed.Pow10(uint8(10-len(rest)))
	}
	days := daysFromCivil(year, month, day)
	return ((days*24+hour)*60+minute)*60*1e9 + sec*1e9 + frac, true
}

// digits reads a run of ASCII digits (at most 18).
func digits(b []byte) (int64, bool) {
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, len(b) > 0
}

// daysFromCivil returns the number of days from 1970-01-01 to the proleptic Gregorian date y-m-d
// (the era-based conversion: years are counted from March so the leap day ends the year).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400 // [0, 399]
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// parseSeconds returns the Unix time in ns of a v1 decimal-seconds timestamp
// ("1618678133.924027").
func parseSeconds(b []byte) (int64, bool) {
	ns, err := fixed.Parse(b, 9)
	return ns, err == nil && ns >= 0
}

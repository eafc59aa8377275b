package coinbase

// parseTime returns the Unix time in ns of an RFC 3339 timestamp as Coinbase writes them
// ("2023-02-09T20:32:50.714964855Z", "2021-04-17T16:43:37.083117Z", "1970-01-01T00:00:00Z"):
// a fraction of 0 to 9 digits, and Z or a ±hh:mm offset. ok is false for anything else, and for
// years outside 1678-2261 (beyond int64 nanoseconds). It allocates nothing and keeps no state.
func parseTime(b []byte) (ns int64, ok bool) {
	// 0123456789012345678
	// YYYY-MM-DDTHH:MM:SS
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't') || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	min, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || year < 1678 || year > 2261 || month < 1 || month > 12 || day < 1 ||
		day > daysIn(year, month) || hour > 23 || min > 59 || sec > 60 {
		return 0, false
	}
	i := 19
	var frac int64
	if b[i] == '.' {
		i++
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if n < 9 {
				frac = frac*10 + int64(b[i]-'0')
				n++
			}
			i++
		}
		if n == 0 {
			return 0, false
		}
		for ; n < 9; n++ {
			frac *= 10
		}
	}
	var offset int64
	switch {
	case i == len(b)-1 && (b[i] == 'Z' || b[i] == 'z'):
	case i == len(b)-6 && (b[i] == '+' || b[i] == '-') && b[i+3] == ':':
		oh, ok1 := digits(b[i+1 : i+3])
		om, ok2 := digits(b[i+4 : i+6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return 0, false
		}
		offset = (oh*60 + om) * 60
		if b[i] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	secs := daysSinceEpoch(year, month, day)*86400 + hour*3600 + min*60 + sec - offset
	return secs*1e9 + frac, true
}

// digits returns the value of an all-digit field.
func digits(b []byte) (int64, bool) {
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func daysIn(year, month int64) int64 {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch returns the number of days from 1970-01-01 to the given proleptic Gregorian date,
// counting years from March so that the leap day ends a year.
func daysSinceEpoch(year, month, day int64) int64 {
	if month <= 2 {
		year--
	}
	era := year / 400 // REQUIRES: year >= 1, so the division truncates as a floor
	yoe := year - era*400
	m := month + 9 // March = 0
	if month > 2 {
		m = month - 3
	}
	doy := (153*m+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// monthNames maps folded month names and abbreviations (English,
// Azerbaijani, Russian nominative and genitive) to month numbers. Built
// once at start; read only.
var monthNames = func() map[string]int {
	m := map[string]int{}
	lists := [][]string{
		{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
		{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
		{"yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr", "noyabr", "dekabr"},
		{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
		{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
	}
	for _, l := range lists {
		for i, n := range l {
			m[fold(n)] = i + 1
		}
	}
	for n, i := range map[string]int{"sept": 9, "февр": 2, "сент": 9, "нояб": 11, "iyn": 6, "avq": 8, "sen": 9, "okt": 10, "noy": 11, "dek": 12, "yan": 1, "fev": 2} {
		m[fold(n)] = i
	}
	return m
}()

var (
	reISO      = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$`)
	reYMDSlash = regexp.MustCompile(`^(\d{4})[./](\d{1,2})[./](\d{1,2})$`)
	reDMY      = regexp.MustCompile(`^(\d{1,2})([./-])(\d{1,2})([./-])(\d{4}|\d{2})$`)
	reYM       = regexp.MustCompile(`^(\d{4})[-./](\d{1,2})$`)
	reMY       = regexp.MustCompile(`^(\d{1,2})[-./](\d{4})$`)
	reY        = regexp.MustCompile(`^(\d{4})$`)
	reDMonY    = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?\s+(\pL+)\s+(\d{4})$`)
	reMonDY    = regexp.MustCompile(`^(\pL+)\s+(\d{1,2})(?:st|nd|rd|th)?\s+(\d{4})$`)
	reMonY     = regexp.MustCompile(`^(\pL+)\s+(\d{4})$`)
	reYMonD    = regexp.MustCompile(`^(\d{4})\s+(\pL+)\s+(\d{1,2})$`)
	// Trailing words that only say "year": "г.", "года", "il", "ildə", "-ci il".
	reYearWord = regexp.MustCompile(`(?:\s+(?:ci|cu))?\s+(?:г|гг|год|года|il|ilde|ilin|yil|y)$`)
)

// ParseDate reads a date as lists write it and returns it in ISO form:
// YYYY-MM-DD, YYYY-MM or YYYY. Accepted: 2024-03-12, 12.03.2024,
// 12/03/2024 (day first; month first when the second number is over 12),
// 12-03-2024, 12.03.24 (00–30 → 20xx), 2024-03, 03.2024, 2024, 12 March
// 2024, March 12, 2024, 12th March 2024, March 2024, 12 mart 2024, 12 марта
// 2024 г., март 2024, and ISO timestamps. Anything else is !ok.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return "", false
	}
	if iso, ok, done := fastDate(s); done {
		return iso, ok
	}
	f := fold(s) // "12 марта 2024 г." → "12 марта 2024 г"; "2024-03-12" → "2024 03 12"
	// Folding drops the separators; keep a lower-case copy with them.
	l := strings.ToLower(s)
	l = strings.TrimSuffix(strings.TrimSpace(l), ".")
	if m := reISO.FindStringSubmatch(l); m != nil {
		return ymd(m[1], m[2], m[3])
	}
	if m := reYMDSlash.FindStringSubmatch(l); m != nil {
		return ymd(m[1], m[2], m[3])
	}
	if m := reDMY.FindStringSubmatch(l); m != nil {
		if m[2] != m[4] {
			return "", false
		}
		d, mo := m[1], m[3]
		if m[2] == "/" {
			if a, _ := strconv.Atoi(mo); a > 12 {
				d, mo = mo, d // US order: 03/12/2024 with day > 12
			}
		}
		y := m[5]
		if len(y) == 2 {
			n, _ := strconv.Atoi(y)
			if n <= 30 {
				y = strconv.Itoa(2000 + n)
			} else {
				y = strconv.Itoa(1900 + n)
			}
		}
		return ymd(y, mo, d)
	}
	if m := reYM.FindStringSubmatch(l); m != nil {
		return ym(m[1], m[2])
	}
	if m := reMY.FindStringSubmatch(l); m != nil {
		return ym(m[2], m[1])
	}
	f = strings.TrimSpace(reYearWord.ReplaceAllString(f, ""))
	if m := reY.FindStringSubmatch(f); m != nil {
		if y, ok := year(m[1]); ok {
			return fmt.Sprintf("%04d", y), true
		}
		return "", false
	}
	if m := reDMonY.FindStringSubmatch(f); m != nil {
		if mo, ok := monthNames[m[2]]; ok {
			return ymd(m[3], strconv.Itoa(mo), m[1])
		}
		return "", false
	}
	if m := reMonDY.FindStringSubmatch(f); m != nil {
		if mo, ok := monthNames[m[1]]; ok {
			return ymd(m[3], strconv.Itoa(mo), m[2])
		}
		return "", false
	}
	if m := reYMonD.FindStringSubmatch(f); m != nil {
		if mo, ok := monthNames[m[2]]; ok {
			return ymd(m[1], strconv.Itoa(mo), m[3])
		}
		return "", false
	}
	if m := reMonY.FindStringSubmatch(f); m != nil {
		if mo, ok := monthNames[m[1]]; ok {
			return ym(m[2], strconv.Itoa(mo))
		}
	}
	return "", false
}

// fastDate handles the commonest forms (1985, 12.03.2024, 2024-03-12)
// without regular expressions; done is false for anything else.
func fastDate(s string) (iso string, ok, done bool) {
	digits := func(a, b int) bool {
		for i := a; i < b; i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	switch {
	case len(s) == 4 && digits(0, 4):
		if _, ok := year(s); ok {
			return s, true, true
		}
		return "", false, true
	case len(s) == 10 && s[2] == '.' && s[5] == '.' && digits(0, 2) && digits(3, 5) && digits(6, 10):
		iso, ok := ymd(s[6:10], s[3:5], s[0:2])
		return iso, ok, true
	case len(s) == 10 && s[4] == '-' && s[7] == '-' && digits(0, 4) && digits(5, 7) && digits(8, 10):
		iso, ok := ymd(s[0:4], s[5:7], s[8:10])
		return iso, ok, true
	}
	return "", false, false
}

func year(s string) (int, bool) {
	y, err := strconv.Atoi(s)
	if err != nil || y < 1800 || y > 2100 {
		return 0, false
	}
	return y, true
}

func ymd(ys, ms, ds string) (string, bool) {
	y, ok := year(ys)
	if !ok {
		return "", false
	}
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false // 31 April, 29 February of a common year
	}
	return t.Format("2006-01-02"), true
}

func ym(ys, ms string) (string, bool) {
	y, ok := year(ys)
	if !ok {
		return "", false
	}
	m, _ := strconv.Atoi(ms)
	if m < 1 || m > 12 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d", y, m), true
}

// ParseYear reads a year from a year or a date ("1985", "12.03.1985",
// "1985-ci il", "born 1985", "1985 г.р."). It fails when no year, or two
// different years, are found.
func ParseYear(s string) (int, bool) {
	if iso, ok := ParseDate(s); ok {
		y, _ := strconv.Atoi(iso[:4])
		return y, true
	}
	found := 0
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j-i == 4 {
			if y, ok := year(s[i:j]); ok {
				if found != 0 && y != found {
					return 0, false
				}
				found = y
			}
		}
		i = j
	}
	return found, found != 0
}

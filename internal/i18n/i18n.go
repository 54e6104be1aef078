// Package i18n holds Roster's messages in Azerbaijani, Russian and
// English, and prints them: plural forms, numbers and dates as each
// language writes them. The report and the web UI use it.
//
// A message is looked up by key ("report.title"). Its text is a
// fmt format; the catalogs of the three languages have the same keys and
// the same verbs in each message (a test holds them to it). A message
// that depends on a count has plural forms under "key.one", "key.few",
// "key.many" and "key.other", as the language needs: English one/other,
// Russian one/few/many, Azerbaijani other only (a noun after a numeral
// stays singular: "5 nəfər").
//
// The package is pure: no files, no environment; the catalogs are Go
// values.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
)

// Lang is a language of the interface.
type Lang string

// The languages.
const (
	Azerbaijani Lang = "az"
	Russian     Lang = "ru"
	English     Lang = "en"
)

// Langs lists the languages in the order a language menu shows them.
var Langs = []Lang{Azerbaijani, Russian, English}

// Default is the language when nothing says otherwise.
const Default = English

// catalogs are each language's messages: the report's and the domain's
// (az, ru, en) with the web UI's (azWeb, ruWeb, enWeb, kept apart for
// reading; no key is in both, a test checks).
var catalogs = map[Lang]map[string]string{
	Azerbaijani: merge(az, azWeb),
	Russian:     merge(ru, ruWeb),
	English:     merge(en, enWeb),
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// Parse reads a language code ("az", "ru-RU", "EN"); ok is false for a
// language Roster does not speak.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	for _, l := range Langs {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// Negotiate picks the language of an Accept-Language header: the first of
// the highest quality that Roster speaks, else Default.
func Negotiate(header string) Lang {
	best, bestQ := Default, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, q := part, 1.0
		if i := strings.Index(part, ";"); i >= 0 {
			tag = part[:i]
			for _, p := range strings.Split(part[i+1:], ";") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
					if f, err := strconv.ParseFloat(v, 64); err == nil {
						q = f
					}
				}
			}
		}
		if l, ok := Parse(tag); ok && q > bestQ && q > 0 {
			best, bestQ = l, q
		}
	}
	return best
}

// Printer prints messages in one language.
type Printer struct {
	Lang Lang
	// Missing, when set, is called with each key the catalog lacks (the
	// message then prints as the key in brackets).
	Missing func(key string)
	msgs    map[string]string
}

// New returns a printer for l (Default when l is unknown).
func New(l Lang) *Printer {
	msgs, ok := catalogs[l]
	if !ok {
		l, msgs = Default, catalogs[Default]
	}
	return &Printer{Lang: l, msgs: msgs}
}

// Has reports whether the catalog has key (or its plural forms).
func (p *Printer) Has(key string) bool {
	if _, ok := p.msgs[key]; ok {
		return true
	}
	_, ok := p.msgs[key+".other"]
	return ok
}

func (p *Printer) lookup(key string) string {
	if m, ok := p.msgs[key]; ok {
		return m
	}
	if p.Missing != nil {
		p.Missing(key)
	}
	return "[" + key + "]"
}

// T prints the message key with args. Every message is a format: a
// percent sign is written %%.
func (p *Printer) T(key string, args ...any) string {
	return fmt.Sprintf(p.lookup(key), args...)
}

// N prints the plural form of key for the count n; n is the message's
// first argument, args follow it.
func (p *Printer) N(key string, n int, args ...any) string {
	form := key + "." + PluralCategory(p.Lang, n)
	if _, ok := p.msgs[form]; !ok {
		form = key + ".other"
	}
	return fmt.Sprintf(p.lookup(form), append([]any{n}, args...)...)
}

// PluralCategory is the CLDR plural category of the integer n in l: "one",
// "few", "many" or "other".
func PluralCategory(l Lang, n int) string {
	if n < 0 {
		n = -n
	}
	switch l {
	case Russian:
		switch d, h := n%10, n%100; {
		case d == 1 && h != 11:
			return "one"
		case d >= 2 && d <= 4 && (h < 12 || h > 14):
			return "few"
		default:
			return "many"
		}
	case Azerbaijani:
		return "other"
	default:
		if n == 1 {
			return "one"
		}
		return "other"
	}
}

// pluralForms are the categories each language's catalog must give for a
// plural message.
var pluralForms = map[Lang][]string{
	English:     {"one", "other"},
	Russian:     {"one", "few", "many", "other"},
	Azerbaijani: {"other"},
}

// Int writes an integer with the language's grouping: "12,345" in
// English, "12 345" in Russian and Azerbaijani (a narrow no-break space).
func (p *Printer) Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) > 4 || (len(s) == 4 && p.Lang == English) {
		sep := ","
		if p.Lang != English {
			sep = "\u202f"
		}
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	if neg {
		return "−" + s
	}
	return s
}

// Decimal writes x with prec decimals and the language's decimal mark
// (a comma in Russian and Azerbaijani).
func (p *Printer) Decimal(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if p.Lang != English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return strings.Replace(s, "-", "−", 1)
}

// Percent writes a share (0.083) as a whole percentage ("8%").
func (p *Printer) Percent(share float64) string {
	return p.T("format.percent", p.Decimal(share*100, 0))
}

// Date writes an ISO date ("2025-06-01") as the language writes dates:
// "1 June 2025", "1 июня 2025 г.", "1 iyun 2025". Anything else is
// returned as it is.
func (p *Printer) Date(iso string) string {
	if len(iso) != 10 || iso[4] != '-' || iso[7] != '-' {
		return iso
	}
	y, err1 := strconv.Atoi(iso[:4])
	m, err2 := strconv.Atoi(iso[5:7])
	d, err3 := strconv.Atoi(iso[8:])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 {
		return iso
	}
	return p.T("format.date", d, p.T(fmt.Sprintf("month.%d", m)), y)
}

// Funcs are the printer's functions for a template (html/template's
// FuncMap): t (a message), n (a plural message), int, decimal and date.
// The report uses them, and the web UI, one printer per language.
func (p *Printer) Funcs() map[string]any {
	return map[string]any{
		"t":       p.T,
		"n":       p.N,
		"int":     p.Int,
		"decimal": p.Decimal,
		"date":    p.Date,
	}
}

// Keys lists the keys of a language's catalog (for tests and tools).
func Keys(l Lang) []string {
	var out []string
	for k := range catalogs[l] {
		out = append(out, k)
	}
	return out
}

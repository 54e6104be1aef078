package i18n

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// messageKeys are the catalog's keys with plural forms folded into their
// message key ("persons.one" -> "persons").
func messageKeys(l Lang) map[string]bool {
	out := map[string]bool{}
	for k := range catalogs[l] {
		out[pluralBase(k)] = true
	}
	return out
}

func pluralBase(k string) string {
	for _, f := range []string{".one", ".few", ".many", ".other"} {
		if b, ok := strings.CutSuffix(k, f); ok {
			return b
		}
	}
	return k
}

// TestCatalogsComplete fails on a key that one language has and another
// lacks, on a plural message without the forms its language needs, and on
// a message whose verbs differ from the English one's.
func TestCatalogsComplete(t *testing.T) {
	ref := messageKeys(English)
	for _, l := range Langs {
		keys := messageKeys(l)
		for k := range ref {
			if !keys[k] {
				t.Errorf("%s lacks %q", l, k)
			}
		}
		for k := range keys {
			if !ref[k] {
				t.Errorf("%s has %q, which English lacks", l, k)
			}
		}
		for k := range keys {
			_, single := catalogs[l][k]
			_, plural := catalogs[l][k+".other"]
			if single && plural {
				t.Errorf("%s: %q is both a message and a plural", l, k)
			}
			if !plural {
				continue
			}
			for _, f := range pluralForms[l] {
				if _, ok := catalogs[l][k+"."+f]; !ok {
					t.Errorf("%s: plural %q lacks its %q form", l, k, f)
				}
			}
		}
		for k, m := range catalogs[l] {
			want, ok := catalogs[English][k]
			if !ok {
				want = catalogs[English][pluralBase(k)+".other"]
			}
			if got, wantV := verbs(m), verbs(want); !maps.Equal(got, wantV) {
				t.Errorf("%s %q: verbs %v, English has %v", l, k, got, wantV)
			}
		}
	}
}

// TestWebApart: the web UI's messages are kept apart from the report's,
// and no key is in both (the merge would hide one).
func TestWebApart(t *testing.T) {
	for l, pair := range map[Lang][2]map[string]string{Azerbaijani: {az, azWeb}, Russian: {ru, ruWeb}, English: {en, enWeb}} {
		for k := range pair[1] {
			if _, ok := pair[0][k]; ok {
				t.Errorf("%s: %q is in both catalogs", l, k)
			}
		}
	}
}

// verbs maps each argument index of a fmt format to its verb.
func verbs(format string) map[int]rune {
	out := map[int]rune{}
	arg := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			fmt.Sscanf(format[i+1:i+end], "%d", &arg)
			i += end + 1
		}
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i < len(format) {
			out[arg] = rune(format[i])
			arg++
		}
	}
	return out
}

func TestPrinter(t *testing.T) {
	cases := []struct {
		lang Lang
		n    int
		want string
	}{
		{English, 1, "1 person"}, {English, 2, "2 persons"}, {English, 0, "0 persons"},
		{Russian, 1, "1 человек"}, {Russian, 3, "3 человека"}, {Russian, 5, "5 человек"}, {Russian, 11, "11 человек"},
		{Russian, 21, "21 человек"}, {Russian, 22, "22 человека"}, {Russian, 112, "112 человек"},
		{Azerbaijani, 1, "1 nəfər"}, {Azerbaijani, 7, "7 nəfər"},
	}
	for _, c := range cases {
		if got := New(c.lang).N("persons", c.n); got != c.want {
			t.Errorf("%s N(persons, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	dates := map[Lang]string{English: "1 June 2025", Russian: "1 июня 2025 г.", Azerbaijani: "1 iyun 2025"}
	for l, want := range dates {
		if got := New(l).Date("2025-06-01"); got != want {
			t.Errorf("%s Date = %q, want %q", l, got, want)
		}
	}
	if got := New(English).Date("2025-06"); got != "2025-06" {
		t.Errorf("a partial date: %q", got)
	}
	nums := []struct {
		lang Lang
		n    int
		want string
	}{
		{English, 1234, "1,234"}, {English, 12345678, "12,345,678"}, {Russian, 1234, "1234"}, {Russian, 12345, "12\u202f345"},
		{Azerbaijani, -54321, "−54\u202f321"}, {English, 999, "999"},
	}
	for _, c := range nums {
		if got := New(c.lang).Int(c.n); got != c.want {
			t.Errorf("%s Int(%d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := New(Russian).Decimal(0.95, 2); got != "0,95" {
		t.Errorf("Russian Decimal = %q", got)
	}
	if got := New(English).Percent(0.083); got != "8%" {
		t.Errorf("Percent = %q", got)
	}
	var missing []string
	p := New(Azerbaijani)
	p.Missing = func(k string) { missing = append(missing, k) }
	if got := p.T("no.such.key"); got != "[no.such.key]" || !slices.Equal(missing, []string{"no.such.key"}) {
		t.Errorf("a missing key: %q, reported %v", got, missing)
	}
}

func TestNegotiate(t *testing.T) {
	cases := map[string]Lang{
		"":                            English,
		"ru-RU,ru;q=0.9,en-US;q=0.8":  Russian,
		"az":                          Azerbaijani,
		"de-DE,de;q=0.9,az;q=0.5":     Azerbaijani,
		"en-GB;q=0.4, ru;q=0.7":       Russian,
		"fr":                          English,
		"ru;q=0":                      English,
		"tr-TR, az-Latn-AZ;q=0.8, en": English,
	}
	for h, want := range cases {
		if got := Negotiate(h); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", h, got, want)
		}
	}
	if _, ok := Parse("de"); ok {
		t.Error("Parse(de) is ok")
	}
	if l, ok := Parse("RU_ru"); !ok || l != Russian {
		t.Errorf("Parse(RU_ru) = %s, %v", l, ok)
	}
}

// TestDomainWords: every group, review item kind and verdict of the
// domain has its words in each language.
func TestDomainWords(t *testing.T) {
	var keys []string
	for _, g := range roster.Groups {
		keys = append(keys, "group."+g)
	}
	for _, k := range roster.Kinds {
		keys = append(keys, "kind."+k)
	}
	for _, v := range []string{roster.VerdictSame, roster.VerdictDifferent, roster.VerdictUnsure, roster.VerdictDismiss,
		roster.VerdictConfirm, roster.VerdictNotOmission, roster.VerdictOutOfScope, roster.VerdictComprehensive} {
		keys = append(keys, "verdict."+v)
	}
	for _, l := range Langs {
		p := New(l)
		for _, k := range keys {
			if !p.Has(k) {
				t.Errorf("%s lacks %q", l, k)
			}
		}
	}
}

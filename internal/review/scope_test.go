package review

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// TestScopeGatesOmissions: a list's scope removes the omissions and gaps
// outside it and keeps those inside; a list without one is asked about
// once and has none raised against it.
func TestScopeGatesOmissions(t *testing.T) {
	// planted: abc lacks P-AW1, P-AW2 (anti-war), P-R3…P-R8 (religious)
	// and P-omit (journalist); mhm lacks P-AW1 and P-AW2.
	abcAll := []string{"omission:abc:P-AW1", "omission:abc:P-AW2", "omission:abc:P-R3", "omission:abc:P-R4", "omission:abc:P-R5",
		"omission:abc:P-R6", "omission:abc:P-R7", "omission:abc:P-R8", "omission:abc:P-omit"}
	mhm := []string{"omission:mhm:P-AW1", "omission:mhm:P-AW2"}
	for _, tc := range []struct {
		name   string
		scope  *Scope // abc's; every other source is comprehensive
		arrest map[string]string
		place  map[string]string
		omit   []string
		gaps   []string
		asked  bool // a scope item for abc
	}{
		{name: "no scope: asked, nothing raised", omit: mhm, gaps: []string{"group-gap:mhm:anti-war"}, asked: true},
		{name: "comprehensive", scope: &Scope{Comprehensive: true}, omit: append(abcAll, mhm...),
			gaps: []string{"group-gap:abc:anti-war", "group-gap:abc:religious", "group-gap:mhm:anti-war"}},
		{name: "journalists only", scope: &Scope{Groups: []string{roster.GroupJournalist}},
			omit: append([]string{"omission:abc:P-omit"}, mhm...), gaps: []string{"group-gap:mhm:anti-war"}},
		{name: "religious and anti-war", scope: &Scope{Groups: []string{roster.GroupReligious, roster.GroupAntiWar}},
			omit: append(append([]string{}, abcAll[:8]...), mhm...),
			gaps: []string{"group-gap:abc:anti-war", "group-gap:abc:religious", "group-gap:mhm:anti-war"}},
		{name: "arrests in 2024", scope: &Scope{From: "2024", To: "2024"},
			arrest: map[string]string{"P-R3": "2024-03-01", "P-R4": "2023-12-31", "P-omit": "2024-11"},
			omit:   append([]string{"omission:abc:P-R3", "omission:abc:P-omit"}, mhm...), gaps: []string{"group-gap:mhm:anti-war"}},
		{name: "one case", scope: &Scope{Cases: []string{"the Abzas Media case"}},
			// Case names fold and nest: "Abzas Media" is the same case.
			place:  nil,
			arrest: nil,
			omit:   append([]string{"omission:abc:P-omit"}, mhm...), gaps: []string{"group-gap:mhm:anti-war"}},
		{name: "held in Azerbaijan", scope: &Scope{Country: "Azerbaijan"},
			place: map[string]string{"P-R5": "SIZO-1, Moscow, Russia", "P-R6": "Baku pre-trial detention centre"},
			omit:  append(append(append([]string{}, abcAll[:4]...), abcAll[5:]...), mhm...),
			gaps:  []string{"group-gap:abc:anti-war", "group-gap:abc:religious", "group-gap:mhm:anti-war"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := planted()
			for i := range w.in.Records {
				r := &w.in.Records[i]
				pid := w.in.Members[i].PersonID
				if d := tc.arrest[pid]; d != "" && r.Source != "abc" {
					r.ArrestDate = d
				}
				if p := tc.place[pid]; p != "" && r.Source == "ipm" {
					r.Place = p
				}
				if pid == "P-omit" && r.Source == "hrc" {
					r.Case = "Abzas Media"
				}
			}
			for _, src := range []string{"ipm", "hrc", "mhm"} {
				w.in.Scopes = append(w.in.Scopes, Scope{Source: src, Comprehensive: true})
			}
			if tc.scope != nil {
				sc := *tc.scope
				sc.Source = "abc"
				w.in.Scopes = append(w.in.Scopes, sc)
			}
			items := Build(w.in)
			if got := keys(items, roster.KindOmission); !reflect.DeepEqual(got, sortedCopy(tc.omit)) {
				t.Errorf("omissions %q, want %q", got, sortedCopy(tc.omit))
			}
			if got := keys(items, roster.KindGroupGap); !reflect.DeepEqual(got, tc.gaps) {
				t.Errorf("gaps %q, want %q", got, tc.gaps)
			}
			asked := keys(items, roster.KindScope)
			if tc.asked != reflect.DeepEqual(asked, []string{"scope:abc"}) {
				t.Fatalf("scope items %q, asked=%v", asked, tc.asked)
			}
			if !tc.asked {
				return
			}
			for _, it := range items {
				if it.Kind != roster.KindScope {
					continue
				}
				var p struct {
					Omissions int            `json:"omissions"`
					Gaps      []string       `json:"gaps"`
					Examples  []scopeExample `json:"examples"`
				}
				if err := json.Unmarshal([]byte(it.Payload), &p); err != nil {
					t.Fatal(err)
				}
				if p.Omissions != 9 || !reflect.DeepEqual(p.Gaps, []string{roster.GroupReligious, roster.GroupAntiWar}) || len(p.Examples) != 9 {
					t.Errorf("scope payload %s", it.Payload)
				}
				for _, want := range []string{"abc declares no scope", "9 persons other lists name are missing from it",
					"few or no religious believers, anti-war activists", "no omission or group gap is raised"} {
					if !strings.Contains(it.Title, want) {
						t.Errorf("scope title %q lacks %q", it.Title, want)
					}
				}
			}
		})
	}
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestTitlesUseCanonicalNames: a person's item names them by the
// registry's canonical name, with the record's own spelling beside it.
func TestTitlesUseCanonicalNames(t *testing.T) {
	w := newWorld()
	w.add("ipm", "2025-06-01", "P-1", "Gasymov Orkhan", roster.GroupJournalist, 1985)
	w.add("hrc", "2025-06-01", "P-1", "QASIMOV Orxan", roster.GroupJournalist, 1986)
	w.add("abc", "2025-06-01", "P-2", "Other Person", roster.GroupJournalist, 1970)
	w.in.Names = map[string]string{"P-1": "Qasımov Orxan Elman oğlu"}
	w.comprehensive()
	titles := map[string]string{}
	for _, it := range Build(w.in) {
		titles[it.Key] = it.Title
	}
	for key, want := range map[string]string{
		"omission:abc:P-1":                  `abc does not list P-1 Qasımov Orxan Elman oğlu ("QASIMOV Orxan" in hrc) (journalists and bloggers), listed by hrc, ipm`,
		"conflict:P-1:birth_year:1985|1986": `P-1 Qasımov Orxan Elman oğlu ("QASIMOV Orxan" in hrc): lists disagree on birth year (hrc: 1986; ipm: 1985)`,
	} {
		if titles[key] != want {
			t.Errorf("%s: title %q, want %q", key, titles[key], want)
		}
	}
}

func TestWhyPair(t *testing.T) {
	a := PairCluster{Ref: "ipm@2025-06-01:12", PersonID: "P-000012", Total: 2, Records: []ClusterRecord{
		{Ref: "ipm@2025-06-01:12", Name: "Həsənov Əli"}, {Ref: "mhm@2025-05-01:3", Name: "Гасанов Али"}}}
	b := PairCluster{Ref: "hrc@2025-04-01:7", PersonID: "P-000045", Total: 2, Records: []ClusterRecord{
		{Ref: "hrc@2025-04-01:7", Name: "Ali Hasanov"}, {Ref: "ipm@2025-06-01:40", Name: "Həsənov Əli Vaqif oğlu"}}}
	got := WhyPair(roster.KindMatch, "link refused: the clusters conflict", 1, []PairCluster{a, b}, nil)
	for _, want := range []string{"would link them (p = 1.00)", "merge P-000012 (ipm@2025-06-01:12 “Həsənov Əli”, mhm@2025-05-01:3 “Гасанов Али”)",
		"with P-000045", "ipm@2025-06-01:12 and ipm@2025-06-01:40 (two records of ipm@2025-06-01) into one person"} {
		if !strings.Contains(got, want) {
			t.Errorf("refused link: %q lacks %q", got, want)
		}
	}
	b.Records[1].Ref = "azk@2025-06-01:40"
	if got := WhyPair(roster.KindMatch, "link refused: the clusters conflict", 0.99, []PairCluster{a, b}, nil); !strings.Contains(got, "look like different people") {
		t.Errorf("conflict: %q", got)
	}
	if got := WhyPair(roster.KindMatch, "review band", 0.62, nil, nil); !strings.Contains(got, "p = 0.62") || !strings.Contains(got, "review band") {
		t.Errorf("review band: %q", got)
	}
}

package review

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

// world builds planted test data: records with their memberships.
type world struct {
	in  Input
	ref map[string]int // per source@edition: next ref
}

func newWorld() *world { return &world{ref: map[string]int{}} }

// add lists person pid in source@edition with the given group and birth year.
func (w *world) add(src, ed, pid, name, grp string, born int) roster.Record {
	w.ref[src+"@"+ed]++
	r := roster.Record{Source: src, Edition: ed, Ref: fmt.Sprint(w.ref[src+"@"+ed]), Name: name, Group: grp, BirthYear: born}
	w.in.Records = append(w.in.Records, r)
	if pid != "" {
		w.in.Members = append(w.in.Members, roster.Membership{PersonID: pid, Source: src, Edition: ed, Ref: r.Ref,
			Fingerprint: "fp:" + src + ":" + name})
	}
	return r
}

// comprehensive declares every source of the world comprehensive, as
// an analyst confirms it.
func (w *world) comprehensive() *world {
	seen := map[string]bool{}
	for _, r := range w.in.Records {
		if !seen[r.Source] {
			seen[r.Source] = true
			w.in.Scopes = append(w.in.Scopes, Scope{Source: r.Source, Comprehensive: true})
		}
	}
	return w
}

func keys(items []roster.ReviewItem, kind string) []string {
	var out []string
	for _, it := range items {
		if it.Kind == kind {
			out = append(out, it.Key)
		}
	}
	sort.Strings(out)
	return out
}

// planted: four sources. anti-war: ipm and hrc list 2, mhm and abc none
// (two gaps). religious: ipm, hrc, mhm list 8, abc lists 2 (far fewer).
// P-omit is listed by ipm, hrc and mhm, not abc (one omission, abc).
func planted() *world {
	w := newWorld()
	ed := map[string]string{"ipm": "2025-06-01", "hrc": "2025-05-01", "mhm": "2025-04-01", "abc": "2025-06-01"}
	for i := 1; i <= 2; i++ {
		pid := fmt.Sprintf("P-AW%d", i)
		for _, s := range []string{"ipm", "hrc"} {
			w.add(s, ed[s], pid, "Antiwar "+pid, roster.GroupAntiWar, 1990+i)
		}
	}
	for i := 1; i <= 8; i++ {
		pid := fmt.Sprintf("P-R%d", i)
		srcs := []string{"ipm", "hrc", "mhm"}
		if i <= 2 {
			srcs = append(srcs, "abc")
		}
		for _, s := range srcs {
			w.add(s, ed[s], pid, "Believer "+pid, roster.GroupReligious, 1970+i)
		}
	}
	for _, s := range []string{"ipm", "hrc", "mhm"} {
		w.add(s, ed[s], "P-omit", "Omitted Person", roster.GroupJournalist, 1980)
	}
	for _, s := range []string{"ipm", "hrc", "mhm", "abc"} {
		w.add(s, ed[s], "P-all-"+s, "Everyone "+s, roster.GroupOpposition, 1960)
	}
	return w
}

func TestBuildPlanted(t *testing.T) {
	items := Build(planted().comprehensive().in)
	for _, tc := range []struct {
		kind string
		want []string
	}{
		{roster.KindGroupGap, []string{"group-gap:abc:anti-war", "group-gap:abc:religious", "group-gap:mhm:anti-war"}},
		// The religious believers abc leaves out are omissions too (3 sources list them).
		{roster.KindOmission, []string{"omission:abc:P-AW1", "omission:abc:P-AW2", "omission:abc:P-R3", "omission:abc:P-R4", "omission:abc:P-R5", "omission:abc:P-R6",
			"omission:abc:P-R7", "omission:abc:P-R8", "omission:abc:P-omit", "omission:mhm:P-AW1", "omission:mhm:P-AW2"}},
		{roster.KindConflict, nil},
		{roster.KindChange, nil},
	} {
		if got := keys(items, tc.kind); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.kind, got, tc.want)
		}
	}
	for _, it := range items {
		if it.Key == "group-gap:mhm:anti-war" {
			if want := "mhm lists no anti-war activists; hrc and ipm list 2 — mhm omits 2 of the 2 persons they list"; it.Title != want {
				t.Errorf("title %q, want %q", it.Title, want)
			}
			var p struct {
				Count  int            `json:"count"`
				Others map[string]int `json:"others"`
			}
			if err := json.Unmarshal([]byte(it.Payload), &p); err != nil || p.Others["ipm"] != 2 || p.Others["abc"] != 0 {
				t.Errorf("payload %s (%v)", it.Payload, err)
			}
		}
	}
}

func TestOmissionOptionsAndSuppression(t *testing.T) {
	for _, tc := range []struct {
		name    string
		min     int
		arrest  string // arrest date of P-x
		pending bool   // a review pair links P-x to an abc record
		want    []string
	}{
		{"default 2", 0, "", false, []string{"omission:abc:P-x"}},
		{"needs 3", 3, "", false, nil},
		{"arrested after abc's edition", 0, "2025-07-01", false, nil},
		{"arrested before", 0, "2024-01-01", false, []string{"omission:abc:P-x"}},
		{"pending match item", 0, "", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld()
			for _, s := range []string{"ipm", "hrc"} {
				w.add(s, "2025-06-01", "P-x", "X Person", roster.GroupJournalist, 1980)
				w.in.Records[len(w.in.Records)-1].ArrestDate = tc.arrest
			}
			w.add("abc", "2025-06-01", "P-y", "Y Person", roster.GroupJournalist, 1981)
			if tc.pending {
				w.in.Pairs = []Pair{{A: roster.Side{Source: "ipm", Edition: "2025-06-01", Ref: "1"},
					B: roster.Side{Source: "abc", Edition: "2025-06-01", Ref: "1"}, Probability: 0.6, Band: BandReview}}
			}
			w.in.Options.OmissionMinSources = tc.min
			w.comprehensive()
			if got := keys(Build(w.in), roster.KindOmission); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGapRule(t *testing.T) {
	for _, tc := range []struct {
		counts []int // source 0 is the one judged
		gap    bool
	}{
		{[]int{0, 2, 2}, true},       // none, others list several
		{[]int{0, 1, 1}, false},      // others list one each: not "several"
		{[]int{0, 5, 0, 0}, false},   // only one other lists them: the outlier is the other
		{[]int{0, 2, 2, 0}, true},    // the article's case
		{[]int{3, 10, 10, 10}, true}, // far fewer
		{[]int{5, 10, 10, 10}, true}, // half the median and 5 below
		{[]int{6, 10, 10, 10}, false},
		{[]int{1, 2, 2, 2}, false}, // half, but only 1 below
		{[]int{2, 2, 2, 2}, false},
	} {
		w := newWorld()
		n := 0
		for s, c := range tc.counts {
			src := fmt.Sprintf("s%d", s)
			for i := 0; i < c; i++ {
				n++
				w.add(src, "2025-01-01", fmt.Sprintf("P-%d", n), "N", roster.GroupAntiWar, 0)
			}
			w.add(src, "2025-01-01", "P-base"+src, "B", roster.GroupReligious, 0)
		}
		got := false
		for _, k := range keys(Build(w.comprehensive().in), roster.KindGroupGap) {
			got = got || k == "group-gap:s0:anti-war"
		}
		if got != tc.gap {
			t.Errorf("counts %v: gap=%v, want %v", tc.counts, got, tc.gap)
		}
	}
}

func TestConflictsDuplicatesMatchesUnknown(t *testing.T) {
	w := newWorld()
	w.add("ipm", "2025-06-01", "P-1", "Əliyev Əli", roster.GroupJournalist, 1985)
	w.add("hrc", "2025-05-01", "P-1", "Aliyev Ali", roster.GroupOpposition, 1986)
	w.in.Records[0].Case, w.in.Records[1].Case = "Abzas Media case", "Abzas Media"
	w.add("ipm", "2025-06-01", "P-2", "Həsənov Vüqar", "", 1970)
	w.in.Records[2].GroupRaw = "Prisoners of conscience"
	w.add("ipm", "2025-06-01", "P-3", "Hasanov Vugar", "", 1970)
	w.in.Records[3].GroupRaw = "prisoners of conscience!"
	w.add("hrc", "2025-05-01", "P-4", "Qasımov Elçin", roster.GroupJournalist, 1975)
	w.in.Pairs = []Pair{
		{A: roster.Side{Source: "ipm", Edition: "2025-06-01", Ref: "3"}, B: roster.Side{Source: "ipm", Edition: "2025-06-01", Ref: "2"},
			Probability: 0.97, Band: BandDuplicate},
		{A: roster.Side{Source: "hrc", Edition: "2025-05-01", Ref: "2"}, B: roster.Side{Source: "ipm", Edition: "2025-06-01", Ref: "1"},
			Probability: 0.55, Band: BandReview},
	}
	w.in.Decisions = []roster.Decision{{ID: 7, Verdict: roster.VerdictDifferent,
		A: roster.Side{Source: "ipm", Edition: "2025-01-01", Ref: "99", Fingerprint: "fp:ipm:Əliyev Əli"},
		B: roster.Side{Source: "hrc", Edition: "2025-05-01", Ref: "2"}}}
	items := Build(w.in)
	got := map[string]roster.ReviewItem{}
	for _, it := range items {
		got[it.Key] = it
	}
	want := []string{
		"conflict:P-1:birth_year:1985|1986",
		"conflict:P-1:group:journalist|opposition",
		"duplicate:ipm@2025-06-01:2|ipm@2025-06-01:3",
		"match:hrc@2025-05-01:2|ipm@2025-06-01:1",
		"unknown-group:ipm:prisoners of conscience",
	}
	if !reflect.DeepEqual(sortedKeys(got), want) {
		t.Fatalf("keys %q, want %q", sortedKeys(got), want)
	}
	if it := got["match:hrc@2025-05-01:2|ipm@2025-06-01:1"]; it.DecisionID != 7 {
		t.Errorf("match item not settled by the decision found by fingerprint: %+v", it)
	}
	if it := got["unknown-group:ipm:prisoners of conscience"]; len(it.Records) != 2 || it.Source != "ipm" {
		t.Errorf("unknown-group %+v", it)
	}
	c := got["conflict:P-1:birth_year:1985|1986"]
	if !strings.Contains(c.Title, "hrc: 1986; ipm: 1985") || strings.Contains(c.Payload, `"sides"`) {
		t.Errorf("conflict %+v (sides with the clustering's fingerprints are the store's to add)", c)
	}
	// Deterministic.
	if again := Build(w.in); !reflect.DeepEqual(again, items) {
		t.Error("Build is not deterministic")
	}
	// A fingerprint the clustering does not give is in the payload's sides.
	w.in.Members[0].Fingerprint = ""
	for _, it := range Build(w.in) {
		if it.Key == "conflict:P-1:birth_year:1985|1986" && !strings.Contains(it.Payload, `"sides":[{"source":"hrc","edition":"2025-05-01","ref":"1","fingerprint":"fp:hrc:Aliyev Ali"},{"source":"ipm","edition":"2025-06-01","ref":"1","fingerprint":"ref:ipm:1"}]`) {
			t.Errorf("conflict without the clustering's fingerprint: %s", it.Payload)
		}
	}
}

func TestChangesAndDiff(t *testing.T) {
	w := newWorld()
	w.add("ipm", "2025-02-01", "P-1", "Stays", roster.GroupJournalist, 1980)
	w.add("ipm", "2025-02-01", "P-2", "Released", roster.GroupJournalist, 1981)
	w.add("ipm", "2025-06-01", "P-1", "Stays", roster.GroupJournalist, 1980)
	w.add("ipm", "2025-06-01", "P-3", "New", roster.GroupAntiWar, 1999)
	w.add("hrc", "2025-06-01", "P-2", "Released", roster.GroupJournalist, 1981)
	d, err := DiffEditions(w.in, "ipm", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if d.From != "2025-02-01" || d.Kept != 1 || len(d.Added) != 1 || d.Added[0].ID != "P-3" || len(d.Removed) != 1 ||
		d.Removed[0].ID != "P-2" || !reflect.DeepEqual(d.Removed[0].ListedBy, []string{"hrc"}) {
		t.Fatalf("diff %+v", d)
	}
	if _, err := DiffEditions(w.in, "hrc", "", ""); roster.ErrorCode(err) != roster.EINVALID {
		t.Errorf("one edition: %v", err)
	}
	if _, err := DiffEditions(w.in, "ipm", "2024-01-01", ""); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Errorf("bad edition: %v", err)
	}
	want := []string{"change:ipm@2025-06-01:added:P-3", "change:ipm@2025-06-01:removed:P-2"}
	if got := keys(Build(w.in), roster.KindChange); !reflect.DeepEqual(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
	// Before the first match: by fingerprint.
	w.in.Members = nil
	w.in.Fingerprint = func(r roster.Record) string { return "fp:" + r.Name }
	d, _ = DiffEditions(w.in, "ipm", "", "")
	if d.Kept != 1 || len(d.Added) != 1 || d.Added[0].ID != "fp:New" {
		t.Fatalf("diff by fingerprint %+v", d)
	}
}

func TestTallies(t *testing.T) {
	w := planted()
	w.add("ipm", "2025-06-01", "", "Nobody", "", 0) // unmatched, no group: counted as a record
	tl := Tallies(w.in)
	row := func(g string) TallyRow {
		for _, r := range tl.Rows {
			if r.Group == g {
				return r
			}
		}
		t.Fatalf("no row %s", g)
		return TallyRow{}
	}
	aw := row(roster.GroupAntiWar)
	if aw.BySource["ipm"] != 2 || aw.BySource["mhm"] != 0 || aw.Registry != 2 || aw.Spread != 2 ||
		!reflect.DeepEqual(aw.Gaps, []string{"abc", "mhm"}) {
		t.Errorf("anti-war %+v", aw)
	}
	if r := row(roster.GroupReligious); r.BySource["abc"] != 2 || r.Registry != 8 {
		t.Errorf("religious %+v", r)
	}
	tot := row("total")
	// 2 anti-war + 8 religious + 1 omitted + 4 opposition = 15 persons; ipm has 13 (and the unmatched record).
	if tot.Registry != 15 || tot.BySource["ipm"] != 13 {
		t.Errorf("total %+v", tot)
	}
	if row("unknown").BySource["ipm"] != 1 {
		t.Errorf("unknown %+v", row("unknown"))
	}
}

package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/roster"
)

func recs(keys ...string) []Record {
	var out []Record
	for _, k := range keys {
		// k is "list:ref"
		var l, r string
		fmt.Sscanf(k, "%1s:%s", &l, &r)
		out = append(out, Record{Key: l + "@2025-01-01:" + r, List: l + "@2025-01-01", Source: l, Edition: "2025-01-01", Ref: r, Fingerprint: "fp-" + k})
	}
	return out
}

// label is a record as the tests name it: "list:ref".
func label(in Input, i int) string { return in.Records[i].Source + ":" + in.Records[i].Ref }

// explained renders each cluster as its members, each with why it is
// there: "a:1 auto<b:1 0.99" (linked to b:1 by a pair of 0.99), "b:1
// analyst<a:1" (a must-link), "c:1 single".
func explained(in Input, out Output) []string {
	var cs []string
	for _, c := range out.Clusters {
		var ms []string
		for _, m := range c.Members {
			x := label(in, m.Record) + " " + m.Link
			switch {
			case m.Via >= 0:
				x += fmt.Sprintf("<%s %.2f", label(in, m.Via), m.Score)
			case m.Score != 0:
				x += fmt.Sprintf(" %.2f", m.Score)
			}
			ms = append(ms, x)
		}
		cs = append(cs, strings.Join(ms, ", "))
	}
	return cs
}

// flagged renders the flagged pairs, each record of a pair in key order:
// "b:1~c:1 review 0.940 (reason)".
func flagged(in Input, out Output) []string {
	var fs []string
	for _, f := range out.Flagged {
		a, b := f.A, f.B
		if in.Records[a].Key > in.Records[b].Key {
			a, b = b, a
		}
		fs = append(fs, fmt.Sprintf("%s~%s %s %.3f (%s)", label(in, a), label(in, b), f.Band, f.Probability, f.Reason))
	}
	return fs
}

// counts is what Build counts.
type counts struct{ auto, analyst, refused, conflicts int }

func countsOf(out Output) counts {
	return counts{out.AutoLinks, out.AnalystLinks, out.Refused, out.Conflicts}
}

func TestBuild(t *testing.T) {
	for _, tc := range []struct {
		name      string
		recs      []Record
		pairs     []Pair
		must, not []Constraint
		clusters  []string // explained
		flagged   []string
		counts    counts
	}{
		{name: "links join", recs: recs("a:1", "b:1", "c:1"),
			pairs:    []Pair{{0, 1, .99}, {1, 2, .98}, {0, 2, .97}},
			clusters: []string{"a:1 auto<b:1 0.99, b:1 auto<a:1 0.99, c:1 auto<b:1 0.98"},
			counts:   counts{auto: 2}},
		{name: "no chaining when A and C conflict", recs: recs("a:1", "b:1", "c:1"),
			pairs:    []Pair{{0, 1, .95}, {1, 2, .94}, {0, 2, .001}},
			clusters: []string{"a:1 auto<b:1 0.95, b:1 auto<a:1 0.95", "c:1 single"},
			flagged:  []string{"b:1~c:1 review 0.940 (link refused: the clusters conflict)"},
			counts:   counts{auto: 1, refused: 1}},
		{name: "same list stays apart and is a duplicate", recs: recs("a:1", "a:2"),
			pairs:    []Pair{{0, 1, .999}},
			clusters: []string{"a:1 single", "a:2 single"},
			flagged:  []string{"a:1~a:2 duplicate 0.999 (same list)"}},
		{name: "same list via a third record", recs: recs("a:1", "a:2", "b:1"),
			pairs:    []Pair{{0, 2, .99}, {1, 2, .98}, {0, 1, .97}},
			clusters: []string{"a:1 auto<b:1 0.99, b:1 auto<a:1 0.99", "a:2 single"},
			flagged:  []string{"a:1~a:2 duplicate 0.970 (same list)"},
			counts:   counts{auto: 1, refused: 1}},
		{name: "cannot-link beats identical names", recs: recs("a:1", "b:1"),
			pairs: []Pair{{0, 1, .9999}}, not: []Constraint{{0, 1, 7}},
			clusters: []string{"a:1 single", "b:1 single"},
			counts:   counts{refused: 1}},
		{name: "must-link joins without a pair", recs: recs("a:1", "b:1"),
			must:     []Constraint{{0, 1, 8}},
			clusters: []string{"a:1 analyst<b:1 1.00, b:1 analyst<a:1 1.00"},
			counts:   counts{analyst: 1}},
		{name: "must-link then an automatic link", recs: recs("a:1", "b:1", "c:1"),
			pairs: []Pair{{1, 2, .95}, {0, 2, .92}}, must: []Constraint{{0, 1, 8}},
			clusters: []string{"a:1 analyst<b:1 1.00, b:1 analyst<a:1 1.00, c:1 auto<b:1 0.95"},
			counts:   counts{auto: 1, analyst: 1}},
		{name: "must-link against a cannot-link is a conflict", recs: recs("a:1", "b:1", "c:1"),
			must: []Constraint{{1, 2, 8}, {0, 1, 9}}, not: []Constraint{{2, 0, 10}},
			clusters: []string{"a:1 analyst<b:1 1.00, b:1 analyst<a:1 1.00", "c:1 single"},
			counts:   counts{analyst: 1, conflicts: 1}},
		{name: "cannot-link blocks the chain", recs: recs("a:1", "b:1", "c:1"),
			pairs: []Pair{{0, 1, .99}, {1, 2, .99}, {0, 2, .99}}, not: []Constraint{{0, 2, 9}},
			clusters: []string{"a:1 auto<b:1 0.99, b:1 auto<a:1 0.99", "c:1 single"},
			flagged:  []string{"b:1~c:1 review 0.990 (link refused: an analyst said different)"},
			counts:   counts{auto: 1, refused: 2}},
		{name: "review band is flagged", recs: recs("a:1", "b:1"),
			pairs:    []Pair{{0, 1, .5}},
			clusters: []string{"a:1 single", "b:1 single"},
			flagged:  []string{"a:1~b:1 review 0.500 (review band)"}},
		{name: "below the review band is not", recs: recs("a:1", "b:1"),
			pairs:    []Pair{{0, 1, .29}},
			clusters: []string{"a:1 single", "b:1 single"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Records: tc.recs, Pairs: tc.pairs, LinkThreshold: .9, ReviewThreshold: .3, MustLink: tc.must, CannotLink: tc.not}
			out := Build(in)
			if got := explained(in, out); !slices.Equal(got, tc.clusters) {
				t.Errorf("clusters:\n got %q\nwant %q", got, tc.clusters)
			}
			if got := flagged(in, out); !slices.Equal(got, tc.flagged) {
				t.Errorf("flagged:\n got %q\nwant %q", got, tc.flagged)
			}
			if got := countsOf(out); got != tc.counts {
				t.Errorf("counts = %+v, want %+v", got, tc.counts)
			}
		})
	}
}

// The output does not depend on the order of the records, pairs and
// constraints: the same clusters, explanations, flags and counts, by key.
func FuzzBuildOrder(f *testing.F) {
	f.Add(uint64(1), uint8(60), uint64(2))
	f.Fuzz(func(t *testing.T, seed uint64, size uint8, shuffle uint64) {
		in := randomInput(seed, 2+int(size)%80)
		out := Build(in)
		want, wantFlags, wantCounts := explained(in, out), flagged(in, out), countsOf(out)
		in2 := permuted(in, rand.New(rand.NewPCG(shuffle, seed)))
		out2 := Build(in2)
		if got := explained(in2, out2); !slices.Equal(got, want) {
			t.Fatalf("clusters differ:\n%q\n%q", got, want)
		}
		if got := flagged(in2, out2); !slices.Equal(got, wantFlags) {
			t.Fatalf("flagged differ:\n%q\n%q", got, wantFlags)
		}
		if got := countsOf(out2); got != wantCounts {
			t.Fatalf("counts %+v, want %+v", got, wantCounts)
		}
	})
}

// randomInput is n records in five lists, scored pairs (probabilities in
// steps of 0.05, so that ties occur) and a few must- and cannot-links.
func randomInput(seed uint64, n int) Input {
	rng := rand.New(rand.NewPCG(seed, 7))
	var rs []Record
	for i := range n {
		rs = append(rs, recs(fmt.Sprintf("%c:%d", 'a'+rng.IntN(5), i))...)
	}
	in := Input{Records: rs, LinkThreshold: .8, ReviewThreshold: .3}
	for i := range n {
		for j := i + 1; j < n; j++ {
			switch x := rng.Float64(); {
			case x < 0.1:
				in.Pairs = append(in.Pairs, Pair{i, j, float64(rng.IntN(21)) / 20})
			case x < 0.11:
				in.MustLink = append(in.MustLink, Constraint{i, j, int64(len(in.MustLink) + 1)})
			case x < 0.12:
				in.CannotLink = append(in.CannotLink, Constraint{i, j, int64(len(in.CannotLink) + 1)})
			}
		}
	}
	return in
}

// permuted is in with its records, pairs and constraints in another
// order, and each pair's records swapped.
func permuted(in Input, rng *rand.Rand) Input {
	perm := rng.Perm(len(in.Records))
	out := in
	out.Records = make([]Record, len(in.Records))
	for i, p := range perm {
		out.Records[p] = in.Records[i]
	}
	out.Pairs = nil
	for _, p := range in.Pairs {
		out.Pairs = append(out.Pairs, Pair{perm[p.B], perm[p.A], p.Probability})
	}
	rng.Shuffle(len(out.Pairs), func(i, j int) { out.Pairs[i], out.Pairs[j] = out.Pairs[j], out.Pairs[i] })
	cons := func(cs []Constraint) []Constraint {
		var out []Constraint
		for _, c := range cs {
			out = append(out, Constraint{perm[c.B], perm[c.A], c.Decision})
		}
		rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out
	}
	out.MustLink, out.CannotLink = cons(in.MustLink), cons(in.CannotLink)
	return out
}

func TestConstraintsFromDecisions(t *testing.T) {
	rs := recs("a:1", "b:1", "b:2")
	rs[2].Fingerprint = "fp-moved"
	decs := []roster.Decision{
		{ID: 1, Verdict: roster.VerdictDifferent, A: roster.Side{Source: "a", Edition: "2025-01-01", Ref: "1", Fingerprint: "fp-a:1"},
			B: roster.Side{Source: "b", Edition: "2024-01-01", Ref: "9", Fingerprint: "fp-moved"}}, // b's record moved edition and ref
		{ID: 2, Verdict: roster.VerdictSame, A: roster.Side{Source: "a", Edition: "2025-01-01", Ref: "1", Fingerprint: "fp-a:1"},
			B: roster.Side{Source: "b", Edition: "2025-01-01", Ref: "1", Fingerprint: "fp-b:1"}},
		{ID: 3, Verdict: roster.VerdictUnsure, A: roster.Side{Source: "a", Ref: "1"}, B: roster.Side{Source: "b", Ref: "1"}},
	}
	must, cannot := Constraints(rs, decs)
	if len(must) != 1 || must[0].A != 0 || must[0].B != 1 {
		t.Errorf("must=%+v", must)
	}
	if len(cannot) != 1 || cannot[0].A != 0 || cannot[0].B != 2 {
		t.Errorf("cannot=%+v", cannot)
	}
}

func single(n int) []Cluster {
	var cs []Cluster
	for i := 0; i < n; i++ {
		cs = append(cs, Cluster{Members: []Member{{Record: i}}})
	}
	return cs
}

func prevOf(rs []Record, ids ...string) []PrevMember {
	var out []PrevMember
	for i, r := range rs {
		if ids[i] == "" {
			continue
		}
		var seq int64
		fmt.Sscanf(ids[i], "P-%d", &seq)
		out = append(out, PrevMember{PersonID: ids[i], Seq: seq, Source: r.Source, Edition: r.Edition, Ref: r.Ref, Fingerprint: r.Fingerprint})
	}
	return out
}

func TestAssignIDs(t *testing.T) {
	rs := recs("a:1", "b:1", "a:2")
	t.Run("first run numbers in cluster order", func(t *testing.T) {
		a := AssignIDs(rs, single(3), nil, 1)
		if !slices.Equal(a.IDs, []string{"P-000001", "P-000002", "P-000003"}) {
			t.Errorf("IDs=%v", a.IDs)
		}
	})
	t.Run("rerun keeps IDs", func(t *testing.T) {
		a := AssignIDs(rs, single(3), prevOf(rs, "P-000005", "P-000002", "P-000009"), 10)
		if !slices.Equal(a.IDs, []string{"P-000005", "P-000002", "P-000009"}) || len(a.New) != 0 {
			t.Errorf("IDs=%v new=%v", a.IDs, a.New)
		}
	})
	t.Run("re-import with shuffled row-number refs keeps IDs by fingerprint", func(t *testing.T) {
		prev := prevOf(rs, "P-000001", "P-000002", "P-000003")
		moved := slices.Clone(rs)
		moved[0].Ref, moved[2].Ref = "2", "1" // rows swapped, refs are row numbers
		moved[0].Key, moved[2].Key = "a@2025-01-01:2", "a@2025-01-01:1"
		a := AssignIDs(moved, single(3), prev, 4)
		if !slices.Equal(a.IDs, []string{"P-000001", "P-000002", "P-000003"}) {
			t.Errorf("IDs=%v", a.IDs)
		}
	})
	t.Run("new edition keeps IDs, new person gets a new ID", func(t *testing.T) {
		prev := prevOf(rs, "P-000001", "P-000002", "P-000003")
		ed2 := recs("a:1", "b:1", "a:3")
		for i := range ed2 {
			ed2[i].Edition = "2025-06-01"
			ed2[i].Key = ed2[i].Source + "@2025-06-01:" + ed2[i].Ref
			ed2[i].List = ed2[i].Source + "@2025-06-01"
		}
		ed2[0].Ref, ed2[0].Key = "7", "a@2025-06-01:7" // renumbered
		a := AssignIDs(ed2, single(3), prev, 4)
		if a.IDs[0] != "P-000001" || a.IDs[1] != "P-000002" || a.IDs[2] != "P-000004" {
			t.Errorf("IDs=%v", a.IDs)
		}
		if len(a.Retired) != 1 || a.Retired[0] != "P-000003" {
			t.Errorf("retired=%v, want P-000003 (removed from the list)", a.Retired)
		}
	})
	t.Run("merge keeps the older ID and redirects the other", func(t *testing.T) {
		prev := prevOf(rs, "P-000004", "P-000002", "P-000003")
		cs := []Cluster{{Members: []Member{{Record: 0}, {Record: 1}}}, {Members: []Member{{Record: 2}}}}
		a := AssignIDs(rs, cs, prev, 5)
		if a.IDs[0] != "P-000002" {
			t.Errorf("IDs=%v, want the older P-000002 to stay", a.IDs)
		}
		if len(a.Merged) != 1 || a.Merged[0] != (Redirect{From: "P-000004", To: "P-000002"}) {
			t.Errorf("merged=%v", a.Merged)
		}
	})
	t.Run("split keeps the ID on the larger part", func(t *testing.T) {
		three := recs("a:1", "b:1", "c:1")
		prev := prevOf(three, "P-000001", "P-000001", "P-000001")
		cs := []Cluster{{Members: []Member{{Record: 0}}}, {Members: []Member{{Record: 1}, {Record: 2}}}}
		a := AssignIDs(three, cs, prev, 2)
		if a.IDs[1] != "P-000001" || a.IDs[0] != "P-000002" {
			t.Errorf("IDs=%v", a.IDs)
		}
	})
}

// rendered gives every item in order, whatever the workers, and a reader
// may stop early.
func TestRenderedInOrder(t *testing.T) {
	for _, tc := range []struct{ n, workers, stop int }{{0, 2, -1}, {10, 2, -1}, {10000, 2, -1}, {10000, 3, 4100}, {9000, 1, -1}} {
		var got []int
		for v := range rendered(tc.n, tc.workers, func(k int) int { return k * 2 }) {
			if len(got) == tc.stop {
				break
			}
			got = append(got, v)
		}
		want := tc.n
		if tc.stop >= 0 {
			want = tc.stop
		}
		if len(got) != want {
			t.Fatalf("n=%d workers=%d: got %d items, want %d", tc.n, tc.workers, len(got), want)
		}
		for k, v := range got {
			if v != 2*k {
				t.Fatalf("n=%d workers=%d: item %d is %d, want %d", tc.n, tc.workers, k, v, 2*k)
			}
		}
	}
}

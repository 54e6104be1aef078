package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
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

// groups renders clusters as sorted key lists.
func groups(in Input, out Output) [][]string {
	var g [][]string
	for _, c := range out.Clusters {
		var ks []string
		for _, m := range c.Members {
			ks = append(ks, in.Records[m.Record].Key)
		}
		g = append(g, ks)
	}
	return g
}

func TestBuild(t *testing.T) {
	for _, tc := range []struct {
		name      string
		recs      []Record
		pairs     []Pair
		must, not []Constraint
		want      int // clusters
		together  [][2]int
		apart     [][2]int
		flagged   int
	}{
		{name: "links join", recs: recs("a:1", "b:1", "c:1"),
			pairs: []Pair{{0, 1, .99}, {1, 2, .98}, {0, 2, .97}}, want: 1, together: [][2]int{{0, 2}}},
		{name: "no chaining when A and C conflict", recs: recs("a:1", "b:1", "c:1"),
			pairs: []Pair{{0, 1, .95}, {1, 2, .94}, {0, 2, .001}}, want: 2, apart: [][2]int{{0, 2}}, flagged: 1},
		{name: "same list stays apart and is a duplicate", recs: recs("a:1", "a:2"),
			pairs: []Pair{{0, 1, .999}}, want: 2, flagged: 1},
		{name: "same list via a third record", recs: recs("a:1", "a:2", "b:1"),
			pairs: []Pair{{0, 2, .99}, {1, 2, .98}, {0, 1, .97}}, want: 2, together: [][2]int{{0, 2}}, apart: [][2]int{{0, 1}}, flagged: 1},
		{name: "cannot-link beats identical names", recs: recs("a:1", "b:1"),
			pairs: []Pair{{0, 1, .9999}}, not: []Constraint{{0, 1, 7}}, want: 2, apart: [][2]int{{0, 1}}},
		{name: "must-link joins without a pair", recs: recs("a:1", "b:1"),
			must: []Constraint{{0, 1, 8}}, want: 1, together: [][2]int{{0, 1}}},
		{name: "cannot-link blocks the chain", recs: recs("a:1", "b:1", "c:1"),
			pairs: []Pair{{0, 1, .99}, {1, 2, .99}, {0, 2, .99}}, not: []Constraint{{0, 2, 9}}, want: 2, apart: [][2]int{{0, 2}}, flagged: 1},
		{name: "review band is flagged", recs: recs("a:1", "b:1"),
			pairs: []Pair{{0, 1, .5}}, want: 2, flagged: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Records: tc.recs, Pairs: tc.pairs, LinkThreshold: .9, ReviewThreshold: .3, MustLink: tc.must, CannotLink: tc.not}
			out := Build(in)
			if len(out.Clusters) != tc.want {
				t.Fatalf("clusters=%v, want %d", groups(in, out), tc.want)
			}
			where := map[int]int{}
			for c, cl := range out.Clusters {
				for _, m := range cl.Members {
					where[m.Record] = c
				}
			}
			for _, p := range tc.together {
				if where[p[0]] != where[p[1]] {
					t.Errorf("%d and %d apart: %v", p[0], p[1], groups(in, out))
				}
			}
			for _, p := range tc.apart {
				if where[p[0]] == where[p[1]] {
					t.Errorf("%d and %d together: %v", p[0], p[1], groups(in, out))
				}
			}
			if len(out.Flagged) != tc.flagged {
				t.Errorf("flagged=%+v, want %d", out.Flagged, tc.flagged)
			}
		})
	}
}

func TestBuildIsOrderIndependent(t *testing.T) {
	var rs []Record
	var ps []Pair
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 60; i++ {
		rs = append(rs, recs(fmt.Sprintf("%c:%d", 'a'+i%5, i))...)
	}
	for i := 0; i < 60; i++ {
		for j := i + 1; j < 60; j++ {
			if rng.Float64() < 0.1 {
				ps = append(ps, Pair{i, j, rng.Float64()})
			}
		}
	}
	in := Input{Records: rs, Pairs: ps, LinkThreshold: .8, ReviewThreshold: .3}
	want := groups(in, Build(in))
	for trial := 0; trial < 5; trial++ {
		perm := rng.Perm(len(rs))
		rs2 := make([]Record, len(rs))
		for i, p := range perm {
			rs2[p] = rs[i]
		}
		var ps2 []Pair
		for _, p := range ps {
			ps2 = append(ps2, Pair{perm[p.B], perm[p.A], p.Probability})
		}
		rng.Shuffle(len(ps2), func(i, j int) { ps2[i], ps2[j] = ps2[j], ps2[i] })
		in2 := Input{Records: rs2, Pairs: ps2, LinkThreshold: .8, ReviewThreshold: .3}
		if got := groups(in2, Build(in2)); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("trial %d: clusters differ:\n%v\n%v", trial, got, want)
		}
	}
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

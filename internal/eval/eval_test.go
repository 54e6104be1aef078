package eval

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// assign builds an Assignment from clusters written as {"A": {"a1","a2"}}.
func assign(clusters map[string][]string) Assignment {
	a := Assignment{}
	for id, keys := range clusters {
		for _, k := range keys {
			a[k] = id
		}
	}
	return a
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestEvaluate(t *testing.T) {
	truth := assign(map[string][]string{"A": {"a1", "a2", "a3"}, "B": {"b1", "b2"}, "C": {"c1"}})
	tests := []struct {
		name     string
		pred     Assignment
		pairs    Pairs
		pairwise Metrics
		bcubed   Metrics
		merges   int
		missed   int
	}{
		{
			name:     "perfect",
			pred:     assign(map[string][]string{"P1": {"a1", "a2", "a3"}, "P2": {"b1", "b2"}, "P3": {"c1"}}),
			pairs:    Pairs{True: 4, Predicted: 4, Correct: 4},
			pairwise: Metrics{1, 1, 1},
			bcubed:   Metrics{1, 1, 1},
		},
		{
			// a3 joins B's person. Pairs: true {a1a2,a1a3,a2a3,b1b2}=4;
			// predicted {a1a2, a3b1,a3b2,b1b2}=4; correct {a1a2,b1b2}=2.
			// B³ precision per record: a1 1, a2 1, a3 1/3, b1 2/3, b2 2/3, c1 1 → 14/3 / 6.
			// B³ recall per record: a1 2/3, a2 2/3, a3 1/3, b1 1, b2 1, c1 1 → 14/3 / 6.
			name:     "one record in the wrong person",
			pred:     assign(map[string][]string{"P1": {"a1", "a2"}, "P2": {"a3", "b1", "b2"}, "P3": {"c1"}}),
			pairs:    Pairs{True: 4, Predicted: 4, Correct: 2},
			pairwise: Metrics{0.5, 0.5, 0.5},
			bcubed:   Metrics{7.0 / 9, 7.0 / 9, 7.0 / 9},
			merges:   1,
			missed:   1,
		},
		{
			// Nothing linked: no predicted pairs, so precision is 1 by convention.
			// B³ recall: a's 1/3 each, b's 1/2 each, c 1 → (1+1+1)/6 = 1/2.
			name:     "all singletons",
			pred:     assign(map[string][]string{"1": {"a1"}, "2": {"a2"}, "3": {"a3"}, "4": {"b1"}, "5": {"b2"}, "6": {"c1"}}),
			pairs:    Pairs{True: 4, Predicted: 0, Correct: 0},
			pairwise: Metrics{1, 0, 0},
			bcubed:   Metrics{1, 0.5, 2.0 / 3},
			missed:   2,
		},
		{
			// Everything in one person: 15 predicted pairs, 4 correct.
			// B³ precision: a's 3/6, b's 2/6, c 1/6 → (9+4+1)/6 / 6 = 14/36.
			name:     "all in one",
			pred:     assign(map[string][]string{"P": {"a1", "a2", "a3", "b1", "b2", "c1"}}),
			pairs:    Pairs{True: 4, Predicted: 15, Correct: 4},
			pairwise: Metrics{4.0 / 15, 1, 2 * (4.0 / 15) / (4.0/15 + 1)},
			bcubed:   Metrics{14.0 / 36, 1, 2 * (14.0 / 36) / (14.0/36 + 1)},
			merges:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Evaluate(truth, tt.pred, Options{Examples: 5})
			if rep.Pairs != tt.pairs {
				t.Errorf("pairs = %+v; want %+v", rep.Pairs, tt.pairs)
			}
			for _, c := range []struct {
				what      string
				got, want Metrics
			}{{"pairwise", rep.Pairwise, tt.pairwise}, {"B-cubed", rep.BCubed, tt.bcubed}} {
				if !near(c.got.Precision, c.want.Precision) || !near(c.got.Recall, c.want.Recall) || !near(c.got.F1, c.want.F1) {
					t.Errorf("%s = %+v; want %+v", c.what, c.got, c.want)
				}
			}
			if rep.FalseMergeCount != tt.merges || rep.MissedLinkCount != tt.missed {
				t.Errorf("false merges, missed links = %d, %d; want %d, %d", rep.FalseMergeCount, rep.MissedLinkCount, tt.merges, tt.missed)
			}
			if rep.Records != 6 || rep.TruePersons != 3 {
				t.Errorf("records, true persons = %d, %d; want 6, 3", rep.Records, rep.TruePersons)
			}
		})
	}
}

func TestEvaluateIgnoresUnknownRecords(t *testing.T) {
	truth := Assignment{"ipm:1": "T1", "mhm:1": "T1", "fpc:9": "T2"}
	pred := Assignment{"ipm:1": "P1", "mhm:1": "P1", "extra:1": "P1"}
	rep := Evaluate(truth, pred, Options{})
	if rep.Records != 2 || rep.NotInTruth != 1 || rep.NotClustered != 1 {
		t.Errorf("records %d, not in truth %d, not clustered %d; want 2, 1, 1", rep.Records, rep.NotInTruth, rep.NotClustered)
	}
	if rep.Pairwise != (Metrics{1, 1, 1}) {
		t.Errorf("pairwise = %+v; want all 1 (the extra record is ignored)", rep.Pairwise)
	}
}

func TestEvaluateExamples(t *testing.T) {
	truth := assign(map[string][]string{"T1": {"k1", "k2"}, "T2": {"k3"}, "T3": {"k4", "k5", "k6"}})
	pred := assign(map[string][]string{"P1": {"k1", "k2", "k3"}, "P2": {"k4"}, "P3": {"k5", "k6"}})
	names := map[string]string{"k1": "Məmmədov Əli", "k3": "Mamedov Ali"}
	rep := Evaluate(truth, pred, Options{Examples: 1, Names: names})
	if len(rep.FalseMerges) != 1 || rep.FalseMerges[0].ID != "P1" || rep.FalseMerges[0].WrongPairs != 2 {
		t.Fatalf("false merges = %+v; want P1 costing 2 pairs", rep.FalseMerges)
	}
	parts := rep.FalseMerges[0].Parts
	if parts[0].ID != "T1" || parts[1].ID != "T2" || parts[0].Records[0].Name != "Məmmədov Əli" {
		t.Errorf("parts = %+v; want T1 (with names) before T2", parts)
	}
	if len(rep.MissedLinks) != 1 || rep.MissedLinks[0].ID != "T3" || rep.MissedLinks[0].WrongPairs != 2 {
		t.Errorf("missed links = %+v; want T3 costing 2 pairs", rep.MissedLinks)
	}
}

func TestEvaluateBySources(t *testing.T) {
	truth := assign(map[string][]string{"A": {"ipm:1", "mhm:1", "fpc:1"}, "B": {"ipm:2", "mhm:2"}})
	pred := assign(map[string][]string{"P1": {"ipm:1", "mhm:1"}, "P2": {"fpc:1"}, "P3": {"ipm:2", "mhm:2"}})
	source := func(k string) string { s, _, _ := strings.Cut(k, ":"); return s }
	rep := Evaluate(truth, pred, Options{Source: source})
	want := []SourcePair{
		{A: "fpc", B: "ipm", Pairs: Pairs{True: 1}, Metrics: Metrics{Precision: 1}},
		{A: "fpc", B: "mhm", Pairs: Pairs{True: 1}, Metrics: Metrics{Precision: 1}},
		{A: "ipm", B: "mhm", Pairs: Pairs{True: 2, Predicted: 2, Correct: 2}, Metrics: Metrics{1, 1, 1}},
	}
	if !reflect.DeepEqual(rep.BySources, want) {
		t.Errorf("BySources = %+v; want %+v", rep.BySources, want)
	}
}

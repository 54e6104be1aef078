package review

import (
	"math"
	"testing"
	"time"
)

// TestCohenKappaHandWorked checks kappa against an example worked by
// hand. Alice and Bob each decided the same 10 match items:
//
//	                 Bob: same   Bob: different
//	Alice: same          4             1          (5)
//	Alice: different     2             3          (5)
//	                    (6)           (4)
//
// They agree on 4 + 3 = 7 items: po = 0.7. By chance they would agree
// on "same" 0.5 × 0.6 = 0.30 of the time and on "different"
// 0.5 × 0.4 = 0.20: pe = 0.5. kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
func TestCohenKappaHandWorked(t *testing.T) {
	var alice, bob []string
	add := func(n int, a, b string) {
		for range n {
			alice, bob = append(alice, a), append(bob, b)
		}
	}
	add(4, "same", "same")
	add(1, "same", "different")
	add(2, "different", "same")
	add(3, "different", "different")
	k, ok := CohenKappa(alice, bob)
	if !ok || math.Abs(k-0.4) > 1e-12 {
		t.Fatalf("kappa = %v (defined %v), want 0.4", k, ok)
	}
	// The same through Agreement, with the rounds in both orders of
	// voting: per pair the raters are the analysts, not the order.
	var rounds []Round
	at := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	for i := range alice {
		a, b := Verdict{User: "alice", Verdict: alice[i], At: at}, Verdict{User: "bob", Verdict: bob[i], At: at}
		if i%2 == 1 {
			a, b = b, a
		}
		rounds = append(rounds, Round{ItemID: int64(i + 1), Kind: "match", First: a, Second: b})
	}
	_, byPair := Agreement(rounds)
	if len(byPair) != 1 || byPair[0].A != "alice" || byPair[0].B != "bob" || byPair[0].Items != 10 || byPair[0].Agreed != 7 ||
		byPair[0].Rate != 0.7 || byPair[0].Kappa != 0.4 || !byPair[0].KappaDefined {
		t.Fatalf("by pair %+v", byPair)
	}
}

func TestCohenKappaEdges(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a, b   []string
		kappa  float64
		wantOK bool
	}{
		{"perfect", []string{"same", "different", "same"}, []string{"same", "different", "same"}, 1, true},
		{"one verdict each, all alike: undefined", []string{"same", "same"}, []string{"same", "same"}, 0, false},
		{"no items", nil, nil, 0, false},
		// Systematic disagreement: po = 0, pe = 0.5 -> -1.
		{"opposite", []string{"same", "different"}, []string{"different", "same"}, -1, true},
		// Three verdicts: po = 2/4; A gives same 2, different 1, dismiss 1,
		// B same 2, different 2: pe = (2·2 + 1·2 + 1·0)/16 = 6/16 ->
		// (8/16 - 6/16) / (10/16) = 0.2.
		{"three verdicts", []string{"same", "same", "different", "dismiss"}, []string{"same", "different", "different", "same"}, 0.2, true},
	} {
		k, ok := CohenKappa(tc.a, tc.b)
		if ok != tc.wantOK || math.Abs(k-tc.kappa) > 1e-12 {
			t.Errorf("%s: kappa %v (%v), want %v (%v)", tc.name, k, ok, tc.kappa, tc.wantOK)
		}
	}
}

func TestThroughputs(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2026, 1, day, h, m, 0, 0, time.UTC) }
	acts := []Act{
		{"alice", d(15, 10, 0)}, {"alice", d(15, 10, 2)}, {"alice", d(15, 10, 6)}, // gaps 2 and 4 minutes
		{"alice", d(16, 9, 0)}, // a new day and sitting
		{"bob", d(15, 11, 0)},
		{"alice+bob", d(15, 11, 0)}, // an agreed decision: counted as the votes
	}
	got := Throughputs(acts)
	if len(got) != 2 || got[0].Analyst != "alice" || got[0].Items != 4 || got[0].Days != 2 || got[0].PerDay != 2 ||
		got[0].MedianMinutes != 3 || got[1].Items != 1 || got[1].MedianMinutes != 0 {
		t.Fatalf("throughputs %+v", got)
	}
}

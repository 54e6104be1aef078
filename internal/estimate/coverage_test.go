package estimate

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// population is a made-up population of N persons and four lists with
// known capture probabilities. List b depends on list a when BGivenA ≥ 0:
// a person on list a is on b with probability BGivenA, anyone else with
// P[1]. That is exactly an a×b interaction in the log-linear model:
// positive when BGivenA > P[1], negative when below.
type population struct {
	Name    string
	N       int
	P       [4]float64
	BGivenA float64
}

var populations = []population{
	{"independent lists", 500, [4]float64{0.30, 0.40, 0.35, 0.25}, -1},
	{"positive dependence (b|a 0.60, b 0.25)", 500, [4]float64{0.30, 0.25, 0.35, 0.30}, 0.60},
	{"negative dependence (b|a 0.15, b 0.45)", 500, [4]float64{0.30, 0.45, 0.35, 0.30}, 0.15},
}

// draw lists the persons of one draw who are on at least one list.
func (pop population) draw(rng *rand.Rand) ([]List, []Person) {
	names := []string{"a", "b", "c", "d"}
	lists := []List{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}}
	var ps []Person
	for id := range pop.N {
		var on []string
		for i, p := range pop.P {
			if i == 1 && pop.BGivenA >= 0 && len(on) > 0 && on[0] == "a" {
				p = pop.BGivenA
			}
			if rng.Float64() < p {
				on = append(on, names[i])
			}
		}
		if len(on) > 0 {
			ps = append(ps, Person{ID: fmt.Sprint(id), Lists: on})
		}
	}
	return lists, ps
}

// coverage estimates from draws of pop and counts the intervals that hold
// the true total.
func coverage(t *testing.T, pop population, o Options, draws int) (covered int, width float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(2026, 13))
	for d := range draws {
		lists, ps := pop.draw(rng)
		o.Seed = uint64(d)
		o.Shown = 1 // the model table's own intervals are not what is measured
		r, err := Estimate(Input{Lists: lists, Persons: ps, Options: o})
		if err != nil {
			t.Fatal(err)
		}
		if r.Refused != nil {
			continue
		}
		width += r.Upper - r.Lower
		if r.Lower <= float64(pop.N) && float64(pop.N) <= r.Upper {
			covered++
		}
	}
	return covered, width / float64(draws)
}

// TestCoverage: on made-up populations with a known total and known
// capture probabilities, the 95% interval holds the truth in at least 90%
// of 200 draws, for independent lists and for lists with a positive and
// a negative dependence; with the default choice (BIC, profile
// likelihood), the Bales–Hesketh–Silverman rule and the bootstrap.
//
// AIC with the profile interval is measured but not held to 90%: AIC
// picks spurious interactions often enough that an interval which takes
// the chosen model as given is at the edge (90–91.5% on these draws,
// 85–86% on others). The bootstrap chooses the model again in every draw
// and so counts the choice in its width.
func TestCoverage(t *testing.T) {
	const draws = 200
	type method struct {
		name string
		opts Options
		hold bool
	}
	methods := []method{
		{"BIC, profile likelihood (default)", Options{}, true},
		{"stepwise (Bales–Hesketh–Silverman), profile likelihood", Options{Criterion: ByStepwise}, true},
		{"BIC, bootstrap", Options{Interval: Bootstrap, Resamples: 200}, true},
		{"AIC, profile likelihood", Options{Criterion: ByAIC}, false},
	}
	for _, m := range methods {
		if m.opts.Interval == Bootstrap && testing.Short() {
			continue
		}
		for _, pop := range populations {
			covered, width := coverage(t, pop, m.opts, draws)
			rate := float64(covered) / draws
			t.Logf("%s, %s: %d of %d intervals hold N = %d (%.1f%%), mean width %.0f", m.name, pop.Name, covered, draws, pop.N, 100*rate, width)
			if m.hold && rate < 0.90 {
				t.Errorf("%s, %s: coverage %.1f%% < 90%%", m.name, pop.Name, 100*rate)
			}
		}
	}
}

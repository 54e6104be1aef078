package review

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Agreement between analysts, from blind double review: each round of
// votes on an item is two independent verdicts. For each item kind and
// each pair of analysts Roster reports how many items both decided, the
// share on which they agreed, and Cohen's kappa, which discounts the
// agreement two analysts would reach by chance given how often each gives
// each verdict:
//
//	kappa = (po - pe) / (1 - pe)
//	po = the share of items they agreed on
//	pe = Σ over verdicts v of (share of A's verdicts that are v) × (share of B's that are v)
//
// Per kind, the two raters are the round's first and second vote (the
// analysts differ from item to item); per pair of analysts, the raters are
// the two analysts, in name order. Kappa is undefined (and reported so)
// when pe = 1: both gave one and the same verdict to every item.

// Round is one item's round of two blind votes.
type Round struct {
	ItemID int64
	Kind   string
	First  Verdict
	Second Verdict
}

// Verdict is one analyst's vote.
type Verdict struct {
	User    string
	Verdict string
	At      time.Time
}

// AgreementRow is the agreement of one kind or one pair of analysts.
type AgreementRow struct {
	Kind         string  `json:"kind,omitempty"`
	A            string  `json:"analyst_a,omitempty"`
	B            string  `json:"analyst_b,omitempty"`
	Items        int     `json:"items"`
	Agreed       int     `json:"agreed"`
	Rate         float64 `json:"agreement"`
	Kappa        float64 `json:"kappa"`
	KappaDefined bool    `json:"kappa_defined"`
}

// CohenKappa returns Cohen's kappa of two raters' labels of the same
// items (a[i] and b[i] label item i); ok is false when it is undefined
// (no items, or chance agreement is 1).
func CohenKappa(a, b []string) (kappa float64, ok bool) {
	n := len(a)
	if n == 0 || len(b) != n {
		return 0, false
	}
	ca, cb := map[string]int{}, map[string]int{}
	agree := 0
	for i := range a {
		ca[a[i]]++
		cb[b[i]]++
		if a[i] == b[i] {
			agree++
		}
	}
	po := float64(agree) / float64(n)
	pe := 0.0
	for v, x := range ca {
		pe += float64(x) / float64(n) * float64(cb[v]) / float64(n)
	}
	if pe >= 1-1e-12 {
		return 0, false
	}
	return (po - pe) / (1 - pe), true
}

func agreementRow(a, b []string) AgreementRow {
	r := AgreementRow{Items: len(a)}
	for i := range a {
		if a[i] == b[i] {
			r.Agreed++
		}
	}
	if r.Items > 0 {
		r.Rate = float64(r.Agreed) / float64(r.Items)
	}
	r.Kappa, r.KappaDefined = CohenKappa(a, b)
	if r.KappaDefined {
		r.Kappa = math.Round(r.Kappa*10000) / 10000
	}
	return r
}

// Agreement returns the agreement per kind (sorted by kind) and per pair
// of analysts (sorted by their names).
func Agreement(rounds []Round) (byKind, byPair []AgreementRow) {
	type labels struct{ a, b []string }
	kinds := map[string]*labels{}
	pairs := map[[2]string]*labels{}
	for _, r := range rounds {
		k := kinds[r.Kind]
		if k == nil {
			k = &labels{}
			kinds[r.Kind] = k
		}
		k.a, k.b = append(k.a, r.First.Verdict), append(k.b, r.Second.Verdict)
		x, y := r.First, r.Second
		if y.User < x.User {
			x, y = y, x
		}
		key := [2]string{x.User, y.User}
		p := pairs[key]
		if p == nil {
			p = &labels{}
			pairs[key] = p
		}
		p.a, p.b = append(p.a, x.Verdict), append(p.b, y.Verdict)
	}
	for _, k := range sortedKeys(kinds) {
		row := agreementRow(kinds[k].a, kinds[k].b)
		row.Kind = k
		byKind = append(byKind, row)
	}
	keys := make([][2]string, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		row := agreementRow(pairs[k].a, pairs[k].b)
		row.A, row.B = k[0], k[1]
		byPair = append(byPair, row)
	}
	return byKind, byPair
}

// Act is one thing an analyst did: a decision or a blind vote.
type Act struct {
	Who string
	At  time.Time
}

// Throughput is one analyst's pace.
type Throughput struct {
	Analyst string `json:"analyst"`
	Items   int    `json:"items"` // decisions and votes
	Days    int    `json:"days"`  // days with at least one
	// PerDay is Items / Days.
	PerDay float64 `json:"per_day"`
	// MedianMinutes is the median time between two consecutive items
	// of a sitting (gaps of half an hour or more start a new sitting);
	// 0 without two items in one sitting.
	MedianMinutes float64   `json:"median_minutes"`
	First         time.Time `json:"first"`
	Last          time.Time `json:"last"`
}

// sitting is the longest gap between two items of one sitting.
const sitting = 30 * time.Minute

// Throughputs returns each analyst's pace, by name. A decision made by
// two analysts who agreed ("alice+bob") counts as their votes, which the
// acts list on their own: it is left out.
func Throughputs(acts []Act) []Throughput {
	by := map[string][]time.Time{}
	for _, a := range acts {
		if a.Who == "" || strings.Contains(a.Who, "+") {
			continue
		}
		by[a.Who] = append(by[a.Who], a.At)
	}
	var out []Throughput
	for _, who := range sortedKeys(by) {
		ts := by[who]
		slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		t := Throughput{Analyst: who, Items: len(ts), First: ts[0], Last: ts[len(ts)-1]}
		days := map[string]bool{}
		var gaps []float64
		for i, x := range ts {
			days[x.UTC().Format("2006-01-02")] = true
			if i > 0 {
				if g := x.Sub(ts[i-1]); g < sitting {
					gaps = append(gaps, g.Minutes())
				}
			}
		}
		t.Days = len(days)
		t.PerDay = math.Round(float64(t.Items)/float64(t.Days)*10) / 10
		if len(gaps) > 0 {
			sort.Float64s(gaps)
			m := gaps[len(gaps)/2]
			if len(gaps)%2 == 0 {
				m = (gaps[len(gaps)/2-1] + gaps[len(gaps)/2]) / 2
			}
			t.MedianMinutes = math.Round(m*10) / 10
		}
		out = append(out, t)
	}
	return out
}

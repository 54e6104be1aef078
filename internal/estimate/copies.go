package estimate

import "math"

// A list that copies another is not an independent capture: nearly all
// its persons are on the other list, and so many that chance cannot
// explain it.
const (
	copyShare = 0.95  // at least this share of the copy is on the original
	copyP     = 0.001 // and the chance of so few outside it, were the lists independent, is below this
)

// findCopy returns the first list (by index) that looks like a copy of
// another, the list it copies and how many persons they share. When two
// lists copy each other, the smaller one (then the later one) is the copy.
//
// Were the lists independent, the persons of list i outside list j would
// be a random draw of |i| from the n persons observed, of whom n − |j| are
// outside j: hypergeometric. A copy is a list with at least 95% of its
// persons on the other and a lower-tail probability below 0.001.
func findCopy(t Table) (cp, orig, shared int, ok bool) {
	n := t.Observed()
	for i := range t.Lists {
		ni := t.ListTotal(i)
		for j := range t.Lists {
			if i == j {
				continue
			}
			nj := t.ListTotal(j)
			m := t.Overlap(i, j)
			if float64(m) < copyShare*float64(ni) {
				continue
			}
			if ni > nj || (ni == nj && i < j) {
				continue // j is the copy of the two; it is found in its own turn
			}
			if hyperLowerTail(ni-m, n, n-nj, ni) < copyP {
				return i, j, m, true
			}
		}
	}
	return -1, -1, 0, false
}

// hyperLowerTail is P(X ≤ k) for X hypergeometric: draws from a population
// of size pop holding succ successes.
func hyperLowerTail(k, pop, succ, draws int) float64 {
	lchoose := func(a, b int) float64 {
		if b < 0 || b > a {
			return math.Inf(-1)
		}
		x, _ := math.Lgamma(float64(a + 1))
		y, _ := math.Lgamma(float64(b + 1))
		z, _ := math.Lgamma(float64(a - b + 1))
		return x - y - z
	}
	total := lchoose(pop, draws)
	p := 0.0
	for x := 0; x <= k; x++ {
		p += math.Exp(lchoose(succ, x) + lchoose(pop-succ, draws-x) - total)
	}
	return p
}

// mergeInto moves the persons of list cp onto list orig and drops cp.
func (t Table) mergeInto(cp, orig int) Table {
	moved := Table{Lists: t.Lists, Counts: make([]int, len(t.Counts))}
	for p := 1; p < len(t.Counts); p++ {
		q := Pattern(p)
		if q.Has(cp) {
			q = q&^(1<<uint(cp)) | 1<<uint(orig)
		}
		moved.Counts[q] += t.Counts[p]
	}
	return moved.dropLists(map[int]bool{cp: true})
}

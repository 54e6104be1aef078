package estimate

// A list that copies another is not an independent capture: nearly all
// its persons are on the other list, far more than the other list's reach
// among everyone else would explain.
const (
	copyShare    = 0.95 // at least this share of the copy is on the original
	copyExpected = 5.0  // and independence would have left at least this many of them off it
)

// findCopy returns the first list (by index) that looks like a copy of
// another, the list it copies and how many persons they share. When two
// lists copy each other, the smaller one (then the later one) is the copy.
func findCopy(t Table) (cp, orig, shared int, ok bool) {
	n := float64(t.Observed())
	bestI, bestJ, bestShared := -1, -1, 0
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
			// How often j holds persons who are not on i.
			others := n - float64(ni)
			if others <= 0 {
				continue
			}
			reach := float64(nj-m) / others
			if (1-reach)*float64(ni) < copyExpected {
				continue
			}
			if ni > nj || (ni == nj && i < j) {
				continue // j is the copy of the two; it is found in its own turn
			}
			if bestI < 0 {
				bestI, bestJ, bestShared = i, j, m
			}
		}
	}
	return bestI, bestJ, bestShared, bestI >= 0
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

package estimate

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// MaxLists is the most lists a table may have (2¹² − 1 observed cells).
const MaxLists = 12

// Pattern is a set of lists as a bit mask: bit i is list i of a Table.
type Pattern uint32

// Has reports whether the pattern includes list i.
func (p Pattern) Has(i int) bool { return p&(1<<uint(i)) != 0 }

// Size is the number of lists in the pattern.
func (p Pattern) Size() int { return bits.OnesCount32(uint32(p)) }

// Table is the overlap of k lists: how many persons each combination of
// lists holds.
type Table struct {
	Lists []string
	// Counts[p] is the number of persons whose lists are exactly pattern
	// p, for p in 1 … 2ᵏ−1; Counts[0] (on no list) is unknown and 0.
	Counts []int
}

// NewTable counts patterns. Each pattern must be a non-empty subset of the
// lists.
func NewTable(lists []string, patterns []Pattern) (Table, error) {
	if len(lists) > MaxLists {
		return Table{}, fmt.Errorf("%d lists: at most %d can be estimated together", len(lists), MaxLists)
	}
	t := Table{Lists: slices.Clone(lists), Counts: make([]int, 1<<uint(len(lists)))}
	for _, p := range patterns {
		if p == 0 || int(p) >= len(t.Counts) {
			return Table{}, fmt.Errorf("pattern %b is not a non-empty set of %d lists", p, len(lists))
		}
		t.Counts[p]++
	}
	return t, nil
}

// K is the number of lists.
func (t Table) K() int { return len(t.Lists) }

// Observed is the number of persons on at least one list.
func (t Table) Observed() int {
	n := 0
	for _, c := range t.Counts[1:] {
		n += c
	}
	return n
}

// ListTotal is the number of persons on list i.
func (t Table) ListTotal(i int) int {
	n := 0
	for p := 1; p < len(t.Counts); p++ {
		if Pattern(p).Has(i) {
			n += t.Counts[p]
		}
	}
	return n
}

// Overlap is the number of persons on both list i and list j.
func (t Table) Overlap(i, j int) int {
	n := 0
	for p := 1; p < len(t.Counts); p++ {
		if Pattern(p).Has(i) && Pattern(p).Has(j) {
			n += t.Counts[p]
		}
	}
	return n
}

// PatternName writes a pattern with the lists' names: "ipm+mhm".
func (t Table) PatternName(p Pattern) string {
	var parts []string
	for i, l := range t.Lists {
		if p.Has(i) {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "+")
}

// Cell is one combination of lists and how many persons it holds.
type Cell struct {
	Pattern Pattern
	Lists   []string
	Count   int
}

// Cells lists the non-empty combinations, largest first (the order of an
// UpSet chart); ties by the number of lists, then by pattern.
func (t Table) Cells() []Cell {
	var out []Cell
	for p := 1; p < len(t.Counts); p++ {
		if t.Counts[p] == 0 {
			continue
		}
		c := Cell{Pattern: Pattern(p), Count: t.Counts[p]}
		for i, l := range t.Lists {
			if c.Pattern.Has(i) {
				c.Lists = append(c.Lists, l)
			}
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Cell) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Pattern.Size() != b.Pattern.Size() {
			return a.Pattern.Size() - b.Pattern.Size()
		}
		return int(a.Pattern) - int(b.Pattern)
	})
	return out
}

// dropLists returns the table without the lists in drop (their persons
// keep their other lists; persons left on no list are gone) and the new
// pattern of each old one.
func (t Table) dropLists(drop map[int]bool) Table {
	var keep []int
	for i := range t.Lists {
		if !drop[i] {
			keep = append(keep, i)
		}
	}
	nt := Table{Counts: make([]int, 1<<uint(len(keep)))}
	for _, i := range keep {
		nt.Lists = append(nt.Lists, t.Lists[i])
	}
	for p := 1; p < len(t.Counts); p++ {
		nt.Counts[remap(Pattern(p), keep)] += t.Counts[p]
	}
	nt.Counts[0] = 0
	return nt
}

// remap moves the bits keep[0], keep[1], … of p to bits 0, 1, ….
func remap(p Pattern, keep []int) Pattern {
	var q Pattern
	for ni, oi := range keep {
		if p.Has(oi) {
			q |= 1 << uint(ni)
		}
	}
	return q
}

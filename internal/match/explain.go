package match

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
)

// FieldWeight is one step of a score's waterfall.
type FieldWeight struct {
	Field  string   `json:"field"`
	Level  string   `json:"level"`
	A      string   `json:"a"`
	B      string   `json:"b"`
	M      float64  `json:"m,omitempty"`
	U      float64  `json:"u,omitempty"`
	Weight float64  `json:"weight"`                  // log2(m/u), 0 when missing
	TF     float64  `json:"tf_adjustment,omitempty"` // term-frequency adjustment, bits
	Rules  []string `json:"rules,omitempty"`         // name rules that fired on this part
}

// Explanation is a score with the weight each field added.
type Explanation struct {
	Prior       float64       `json:"prior_weight"` // log2 prior odds
	Fields      []FieldWeight `json:"fields"`
	Weight      float64       `json:"weight"` // prior + fields + TF
	Probability float64       `json:"probability"`
	Band        string        `json:"band"`
	SameList    bool          `json:"same_list,omitempty"`
	NameScore   float64       `json:"name_score"`
	NameSame    bool          `json:"name_same"`
	Swapped     bool          `json:"swapped,omitempty"`
	Rules       []string      `json:"name_rules,omitempty"`
	// Bounded is the weight, in bits, given back because disagreement on
	// group, case and arrest date may not push a pair the names put in
	// review or above below the review threshold (0 when it did not).
	Bounded float64 `json:"attributes_bounded,omitempty"`
	// FormA and FormB are the other names (aliases) that met, when the
	// best-supported pair of names was not the two main names.
	FormA string `json:"alias_a,omitempty"`
	FormB string `json:"alias_b,omitempty"`
	// OneToOne is the one-person-per-list step (see oneToOne), when it
	// applied.
	OneToOne *OneToOne `json:"one_to_one,omitempty"`
}

// OneToOne explains the one-person-per-list step for a pair: how much of
// each record's weight with the other's list this pair carries, how much
// the lists overlap, and the bits it added (or took).
type OneToOne struct {
	ListA    string  `json:"list_a"`
	ListB    string  `json:"list_b"`
	ShareA   float64 `json:"share_a"`   // of A's likelihood with list B's records, the part this pair has
	ShareB   float64 `json:"share_b"`   // of B's with list A's
	OverlapA float64 `json:"overlap_a"` // share of A's list that B's list names too
	OverlapB float64 `json:"overlap_b"`
	Bits     float64 `json:"bits"`
}

// Explain returns the field-by-field explanation of records i and j under
// the model of the last Run (or the Config's model).
func (m *Matcher) Explain(i, j int) Explanation {
	a, b := &m.ps[i], &m.ps[j]
	ra, rb := m.recs[i], m.recs[j]
	g, c, forms := compare(a, b)
	na, nb := form(a, forms[0]), form(b, forms[1])
	ex := Explanation{Prior: m.model.PriorWeight(), SameList: a.list == b.list, NameScore: c.Score, NameSame: c.Same,
		Swapped: c.Swapped, Rules: c.Rules}
	if forms[0] > 0 {
		ex.FormA = na.Raw
	}
	if forms[1] > 0 {
		ex.FormB = nb.Raw
	}
	w := ex.Prior
	var ws [NumFields]float64
	for f := 0; f < NumFields; f++ {
		ws[f] = m.model.Weight(f, g.level(f))
	}
	combine(&ws)
	for f := 0; f < NumFields; f++ {
		l := g.level(f)
		fw := FieldWeight{Field: FieldNames[f], Level: LevelName(f, l), Weight: ws[f]}
		if l > 0 && l < len(m.model.M[f]) {
			fw.M, fw.U = m.model.M[f][l], m.model.U[f][l]
		}
		fw.A, fw.B = fieldValue(f, ra, na), fieldValue(f, rb, nb)
		switch f {
		case FieldSurname:
			fw.Rules = c.Surname.Rules
			if agreeTF(f, l) {
				fw.TF = tfAdjust(m.model.TFRef[0], max(m.tfSur[i], m.tfSur[j]))
			}
		case FieldGiven:
			fw.Rules = c.Given.Rules
			if agreeTF(f, l) {
				fw.TF = tfAdjust(m.model.TFRef[1], max(m.tfGiv[i], m.tfGiv[j]))
			}
		case FieldPatronymic:
			fw.Rules = c.Patronymic.Rules
		}
		w += fw.Weight + fw.TF
		ex.Fields = append(ex.Fields, fw)
	}
	var attr float64
	for f := 0; f < NumFields; f++ {
		if attrField(f) {
			attr += ws[f]
		}
	}
	if b := boundAttributes(w-attr, attr, m.reviewFloor()); b != attr {
		ex.Bounded = b - attr
		w += ex.Bounded
	}
	if o := m.explainOneToOne(i, j, w); o != nil {
		ex.OneToOne = o
		w += o.Bits
	}
	ex.Weight = w
	ex.Probability = Probability(w)
	ex.Band = m.cfg.Band(ex.Probability, ex.SameList)
	return ex
}

func fieldValue(f int, r roster.Record, n *names.Name) string {
	switch f {
	case FieldSurname:
		return n.SurnameRaw
	case FieldGiven:
		return n.GivenRaw
	case FieldPatronymic:
		return n.PatronymicRaw
	case FieldBirthYear:
		if r.BirthYear != 0 {
			return strconv.Itoa(r.BirthYear)
		}
		return r.BirthDate
	case FieldGender:
		if r.Gender != "" {
			return r.Gender
		}
		return n.Gender
	case FieldGroup:
		if r.Group != "" {
			return r.Group
		}
		return r.GroupRaw
	case FieldCase:
		return r.Case
	case FieldArrest:
		return r.ArrestDate
	}
	return ""
}

// explainOneToOne recomputes the one-to-one step for records i and j of
// different lists whose weight, scored alone, is w; nil when the step did
// not run or does not apply.
func (m *Matcher) explainOneToOne(i, j int, w float64) *OneToOne {
	a, b := &m.ps[i], &m.ps[j]
	ov := m.model.Overlap
	if m.o2o == nil || a.list == b.list || int(max(a.list, b.list)) >= len(ov) {
		return nil
	}
	la, lb := a.list, b.list
	size := func(l int32) float64 { return float64(m.listSize[l]) }
	r := math.Exp2(w - m.model.PriorWeight())
	sa, sb := m.o2o.sum(int32(i), lb), m.o2o.sum(int32(j), la)
	if Probability(w) < m.cfg.KeepFloor { // not among the kept pairs summed
		sa, sb = sa+r, sb+r
	}
	sa, sb = max(sa, r), max(sb, r)
	p := o2oProb(r, sa, ov[la][lb], size(lb), sb, ov[lb][la], size(la))
	lo, hi := min(i, j), max(i, j)
	if x, ok := slices.BinarySearchFunc(m.final, finalProb{a: int32(lo), b: int32(hi)}, func(x, y finalProb) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b))
	}); ok {
		p = m.final[x].p // as the run found it, with its rivals
	} else if Probability(w) >= m.cfg.KeepFloor {
		p = Probability(w) // a scored pair the step left as it was
	} else if sa <= r*(1+1e-9) && sb <= r*(1+1e-9) {
		p = max(p, Probability(w)) // no rival: never lowered (see oneToOne)
	}
	return &OneToOne{ListA: m.lists[la], ListB: m.lists[lb], ShareA: r / sa, ShareB: r / sb,
		OverlapA: ov[la][lb], OverlapB: ov[lb][la], Bits: logOdds(p) - w}
}

// Rounded returns the explanation with its numbers rounded for storage and
// display: weights to 1/10,000 of a bit, m and u to four significant
// digits, the probability to six decimals. A stored explanation is then
// about half the size, and the pair's exact probability is kept apart.
func (e Explanation) Rounded() Explanation {
	e.Prior = roundTo(e.Prior, 4)
	e.Weight = roundTo(e.Weight, 4)
	e.Probability = roundTo(e.Probability, 6)
	e.NameScore = roundTo(e.NameScore, 4)
	e.Bounded = roundTo(e.Bounded, 4)
	if e.OneToOne != nil {
		o := *e.OneToOne
		o.ShareA, o.ShareB = roundTo(o.ShareA, 4), roundTo(o.ShareB, 4)
		o.OverlapA, o.OverlapB, o.Bits = roundTo(o.OverlapA, 4), roundTo(o.OverlapB, 4), roundTo(o.Bits, 4)
		e.OneToOne = &o
	}
	fs := make([]FieldWeight, len(e.Fields))
	for k, f := range e.Fields {
		f.M, f.U = roundSig(f.M, 4), roundSig(f.U, 4)
		f.Weight, f.TF = roundTo(f.Weight, 4), roundTo(f.TF, 4)
		fs[k] = f
	}
	e.Fields = fs
	return e
}

func roundTo(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

func roundSig(x float64, digits int) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	d := math.Ceil(math.Log10(math.Abs(x)))
	return roundTo(x, digits-int(d))
}

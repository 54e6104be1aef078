package cluster

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"slices"
	"sync"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/roster"
)

// PlanInput is everything a match run reads.
type PlanInput struct {
	Records   []roster.Record
	Decisions []roster.Decision
	Previous  []PrevMember
	NextSeq   int64 // the seq the first new person gets
	Match     match.Config
}

// PlanPair is a pair an analyst should see, with its explanation.
type PlanPair struct {
	A, B        int
	Probability float64
	Band        string // review | duplicate
	Reason      string
	Explanation match.Explanation
	JSON        string // the reason and the explanation, as stored with the pair
}

// Plan is the whole outcome of a match run, computed in memory before
// anything is written. It is kept compact: the memberships and the pairs
// for review, with their explanations, are rendered while they are read
// ([Plan.Members], [Plan.Pairs]), so that a million records never hold a
// million explanations in memory at once.
type Plan struct {
	Records []Record
	Matcher *match.Matcher
	Result  *match.Result // its Pairs are dropped once clustered
	Output  Output
	Assign  Assignment
	Must    int // must-link constraints applied from decisions
	Cannot  int

	recs       []roster.Record
	order      []memberAt // memberships sorted by source, edition, ref
	decisionOf map[pkey]int64
	workers    int
}

// memberAt is a membership: member m of cluster c.
type memberAt struct{ c, m int32 }

// MemberWhy is the explanation stored with a membership.
type MemberWhy struct {
	Via         string            `json:"via,omitempty"`
	Probability float64           `json:"probability,omitempty"`
	Weight      float64           `json:"weight,omitempty"`
	Fields      map[string]string `json:"fields,omitempty"` // field: "level +bits"
	Rules       []string          `json:"name_rules,omitempty"`
	Decision    int64             `json:"decision,omitempty"`
	Note        string            `json:"note,omitempty"`
}

// Run matches, clusters and assigns IDs: the pure core of `roster match`.
func Run(ctx context.Context, in PlanInput) (*Plan, error) {
	if err := in.Match.Validate(); err != nil {
		return nil, err
	}
	pl := &Plan{recs: in.Records}
	m := match.New(in.Records, in.Match)
	pl.Matcher = m
	cfg := m.Config()
	pl.workers = cfg.Workers
	pl.Records = make([]Record, len(in.Records))
	lists := map[string]string{}
	for i, r := range in.Records {
		l := r.Source + "@" + r.Edition
		if x, ok := lists[l]; ok {
			l = x
		} else {
			lists[l] = l
		}
		pl.Records[i] = Record{Key: roster.FormatRef(r.Source, r.Edition, r.Ref, true), List: l,
			Source: r.Source, Edition: r.Edition, Ref: r.Ref, Fingerprint: m.Fingerprint(i)}
	}
	res, err := m.Run(ctx)
	if err != nil {
		return nil, err
	}
	pl.Result = res
	must, cannot := Constraints(pl.Records, in.Decisions)
	pl.Must, pl.Cannot = len(must), len(cannot)
	cin := Input{Records: pl.Records, LinkThreshold: cfg.LinkThreshold, ReviewThreshold: cfg.ReviewThreshold,
		MustLink: must, CannotLink: cannot, Pairs: make([]Pair, len(res.Pairs))}
	for k, p := range res.Pairs {
		cin.Pairs[k] = Pair{A: p.A, B: p.B, Probability: p.Probability}
	}
	res.Pairs = nil
	cin.Score = func(a, b int) float64 {
		_, p := m.Score(a, b)
		return p
	}
	if in.Match.Progress != nil {
		in.Match.Progress("cluster", 0, 1)
	}
	pl.Output = Build(cin)
	cin = Input{}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	pl.Assign = AssignIDs(pl.Records, pl.Output.Clusters, in.Previous, in.NextSeq)
	pl.decisionOf = map[pkey]int64{}
	for _, c := range must {
		pl.decisionOf[mk(c.A, c.B)] = c.Decision
	}
	for c, cl := range pl.Output.Clusters {
		for x := range cl.Members {
			pl.order = append(pl.order, memberAt{int32(c), int32(x)})
		}
	}
	rec := func(a memberAt) *Record { return &pl.Records[pl.Output.Clusters[a.c].Members[a.m].Record] }
	slices.SortFunc(pl.order, func(a, b memberAt) int {
		x, y := rec(a), rec(b)
		return cmp.Or(cmp.Compare(x.Source, y.Source), cmp.Compare(x.Edition, y.Edition), cmp.Compare(x.Ref, y.Ref))
	})
	return pl, nil
}

// Members gives every membership of the new clustering with its
// explanation, sorted by source, edition and ref. Explanations are
// rendered a few thousand at a time on all cores, ahead of the reader.
func (pl *Plan) Members() iter.Seq[roster.Membership] {
	return rendered(len(pl.order), pl.workers, func(k int) roster.Membership { return pl.member(pl.order[k]) })
}

func (pl *Plan) member(at memberAt) roster.Membership {
	m := pl.Matcher
	mem := pl.Output.Clusters[at.c].Members[at.m]
	r := pl.recs[mem.Record]
	ms := roster.Membership{PersonID: pl.Assign.IDs[at.c], Source: r.Source, Edition: r.Edition, Ref: r.Ref,
		Fingerprint: pl.Records[mem.Record].Fingerprint, RecordID: r.ID, Link: mem.Link, Score: mem.Score}
	why := MemberWhy{}
	switch mem.Link {
	case roster.LinkSingle:
		why.Note = "no other record links to it"
	case roster.LinkAnalyst:
		why.Note = "an analyst decided these are the same person"
		if mem.Via >= 0 {
			why.Via = pl.Records[mem.Via].Key
			why.Decision = pl.decisionOf[mk(mem.Record, mem.Via)]
		}
	case roster.LinkAuto:
		ex := m.Explain(mem.Record, mem.Via)
		why.Via = pl.Records[mem.Via].Key
		why.Probability = round(ex.Probability, 6)
		why.Weight = round(ex.Weight, 2)
		why.Rules = ex.Rules
		why.Fields = map[string]string{}
		for _, f := range ex.Fields {
			if f.Level != "missing" {
				why.Fields[f.Field] = fmt.Sprintf("%s %+.1f", f.Level, f.Weight+f.TF)
			}
		}
	}
	b, _ := json.Marshal(why)
	ms.Explanation = string(b)
	return ms
}

// Pairs gives the pairs for review (Output.Flagged, in its order) with
// their explanations, rendered ahead of the reader like Members.
func (pl *Plan) Pairs() iter.Seq[PlanPair] {
	fl := pl.Output.Flagged
	return rendered(len(fl), pl.workers, func(k int) PlanPair {
		f := fl[k]
		p := PlanPair{A: f.A, B: f.B, Probability: f.Probability, Band: f.Band, Reason: f.Reason,
			Explanation: pl.Matcher.Explain(f.A, f.B)}
		js, _ := json.Marshal(struct {
			Reason string `json:"reason"`
			match.Explanation
		}{p.Reason, p.Explanation.Rounded()})
		p.JSON = string(js)
		return p
	})
}

// rendered yields render(0), …, render(n-1) in order. A producer renders
// chunks on the given number of workers, one chunk ahead of the reader.
func rendered[T any](n, workers int, render func(k int) T) iter.Seq[T] {
	const step = 4096
	return func(yield func(T) bool) {
		if n <= step || workers <= 1 {
			for k := range n {
				if !yield(render(k)) {
					return
				}
			}
			return
		}
		chunks := make(chan []T, 1)
		done := make(chan struct{})
		defer close(done)
		go func() {
			defer close(chunks)
			for lo := 0; lo < n; lo += step {
				hi := min(n, lo+step)
				buf := make([]T, hi-lo)
				var wg sync.WaitGroup
				per := (hi - lo + workers - 1) / workers
				for w := lo; w < hi; w += per {
					wg.Add(1)
					go func(a, b int) {
						defer wg.Done()
						for k := a; k < b; k++ {
							buf[k-lo] = render(k)
						}
					}(w, min(hi, w+per))
				}
				wg.Wait()
				select {
				case chunks <- buf:
				case <-done:
					return
				}
			}
		}()
		for buf := range chunks {
			for _, v := range buf {
				if !yield(v) {
					return
				}
			}
		}
	}
}

func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

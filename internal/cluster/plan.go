package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"

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
}

// Plan is the whole outcome of a match run, computed in memory before
// anything is written.
type Plan struct {
	Records []Record
	Matcher *match.Matcher
	Result  *match.Result
	Output  Output
	Assign  Assignment
	Members []roster.Membership // sorted by source, edition, ref
	Pairs   []PlanPair
	Must    int // must-link constraints applied from decisions
	Cannot  int
}

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
	pl := &Plan{}
	m := match.New(in.Records, in.Match)
	pl.Matcher = m
	cfg := m.Config()
	pl.Records = make([]Record, len(in.Records))
	for i, r := range in.Records {
		pl.Records[i] = Record{Key: roster.FormatRef(r.Source, r.Edition, r.Ref, true), List: r.Source + "@" + r.Edition,
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
	cin.Score = func(a, b int) float64 {
		_, p := m.Score(a, b)
		return p
	}
	if in.Match.Progress != nil {
		in.Match.Progress("cluster", 0, 1)
	}
	pl.Output = Build(cin)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	pl.Assign = AssignIDs(pl.Records, pl.Output.Clusters, in.Previous, in.NextSeq)
	decisionOf := map[pkey]int64{}
	for _, c := range must {
		decisionOf[mk(c.A, c.B)] = c.Decision
	}
	for c, cl := range pl.Output.Clusters {
		id := pl.Assign.IDs[c]
		for _, mem := range cl.Members {
			r := in.Records[mem.Record]
			ms := roster.Membership{PersonID: id, Source: r.Source, Edition: r.Edition, Ref: r.Ref,
				Fingerprint: pl.Records[mem.Record].Fingerprint, RecordID: r.ID, Link: mem.Link, Score: mem.Score}
			why := MemberWhy{}
			switch mem.Link {
			case roster.LinkSingle:
				why.Note = "no other record links to it"
			case roster.LinkAnalyst:
				why.Note = "an analyst decided these are the same person"
				if mem.Via >= 0 {
					why.Via = pl.Records[mem.Via].Key
					why.Decision = decisionOf[mk(mem.Record, mem.Via)]
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
			pl.Members = append(pl.Members, ms)
		}
	}
	sortMembers(pl.Members)
	for _, f := range pl.Output.Flagged {
		pl.Pairs = append(pl.Pairs, PlanPair{A: f.A, B: f.B, Probability: f.Probability, Band: f.Band, Reason: f.Reason,
			Explanation: m.Explain(f.A, f.B)})
	}
	return pl, nil
}

func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

func sortMembers(ms []roster.Membership) {
	slices.SortFunc(ms, func(a, b roster.Membership) int {
		if a.Source != b.Source {
			return cmpStr(a.Source, b.Source)
		}
		if a.Edition != b.Edition {
			return cmpStr(a.Edition, b.Edition)
		}
		return cmpStr(a.Ref, b.Ref)
	})
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

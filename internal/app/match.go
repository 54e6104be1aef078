package app

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/roster-coalition/roster/internal/cluster"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// MatchSummary is what a match run did; it is also stored with the run.
type MatchSummary struct {
	RunID          int64       `json:"run_id"`
	Records        int         `json:"records"`
	Lists          int         `json:"lists"`
	Blocks         int         `json:"blocks"`
	GiantBlocks    int         `json:"giant_blocks"`
	BlockCap       int         `json:"block_cap"`
	PairsCompared  int64       `json:"pairs_compared"`
	AllPairs       int64       `json:"all_pairs"`
	Persons        int         `json:"persons"`
	NewPersons     int         `json:"new_persons"`
	MergedPersons  int         `json:"merged_persons"`
	RetiredPersons int         `json:"retired_persons"`
	AutoLinks      int         `json:"auto_links"`
	AnalystLinks   int         `json:"analyst_links"`
	Refused        int         `json:"links_refused"`
	ReviewPairs    int         `json:"review_pairs"`
	Duplicates     int         `json:"duplicates"`
	LinkThreshold  float64     `json:"link_threshold"`
	ReviewThresh   float64     `json:"review_threshold"`
	Model          match.Model `json:"model"`
	Seconds        float64     `json:"seconds"`
	DataVersion    int64       `json:"data_version"` // of the records the run read
}

// Match runs the whole match in memory and writes it in one transaction:
// every record, the active decisions and the previous clustering in;
// persons with stable IDs, their history and the scored pairs out. It
// does not rebuild the review queue (see [Service.RebuildReview]). When
// an import changed the records while it ran, nothing is saved and the
// error (roster.ECONFLICT) says so.
func (a *Service) Match(ctx context.Context, cfg match.Config) (MatchSummary, error) {
	sum, _, err := a.match(ctx, cfg, false)
	return sum, err
}

// matched is what a saved match still holds that the queue's rebuild
// reads: the records, their memberships in the new clustering and the
// pairs for review, in the order and shape [store.Store.ReadReviewInput]
// gives them (TestMatchAndReviewReadsNothingBack checks that they are
// the same).
type matched struct {
	version int64 // the data version the records were read at
	runID   int64
	records []roster.Record
	members []roster.Membership
	pairs   []store.ReviewPair
}

// MatchAndReview is roster match: [Service.Match], then the review queue
// rebuilt as [Service.RebuildReview] does, but from the records,
// clustering and pairs the match holds instead of reading them back (at
// 100,000 records that read was a second of the match). When an import
// landed after the match read the records, the rebuild reads the store
// like RebuildReview. A failed rebuild returns the match's summary with
// its RunID, so the caller can say the run itself was saved.
func (a *Service) MatchAndReview(ctx context.Context, cfg match.Config, opts review.Options) (MatchSummary, ReviewSummary, error) {
	sum, m, err := a.match(ctx, cfg, true)
	if err != nil {
		return sum, ReviewSummary{}, err
	}
	if cfg.Progress != nil {
		cfg.Progress("review", 0, 1)
	}
	in, ok, err := a.reviewInputAfter(ctx, m)
	m = nil
	if err != nil {
		return sum, ReviewSummary{}, err
	}
	var rs ReviewSummary
	if ok {
		rs, err = a.rebuildReview(ctx, opts, in)
	} else {
		rs, err = a.RebuildReview(ctx, opts)
	}
	return sum, rs, err
}

// reviewInputAfter gives the review input of a match just saved, with
// the decisions and scopes as they are now; ok is false when the records
// changed since the match read them (or there are none).
func (a *Service) reviewInputAfter(ctx context.Context, m *matched) (in store.ReviewInput, ok bool, err error) {
	if m == nil {
		return in, false, nil
	}
	version, err := a.store.DataVersion(ctx)
	if err != nil || version != m.version || len(m.records) == 0 {
		return in, false, err
	}
	in = store.ReviewInput{RunID: m.runID, Records: m.records, Members: m.members, Pairs: m.pairs}
	if in.Decisions, err = a.store.ActiveDecisions(ctx); err != nil {
		return in, false, err
	}
	if in.Scopes, err = a.store.Scopes(ctx); err != nil {
		return in, false, err
	}
	return in, true, nil
}

// match runs and saves the match; keep also returns what the queue's
// rebuild needs from it.
func (a *Service) match(ctx context.Context, cfg match.Config, keep bool) (MatchSummary, *matched, error) {
	s := a.store
	var sum MatchSummary
	start := a.now()
	t0 := time.Now()
	// The data version before the records: an import that lands while
	// the match runs changes it, and the save is then refused.
	version, err := s.DataVersion(ctx)
	if err != nil {
		return sum, nil, err
	}
	recs, err := s.MatchRecords(ctx)
	if err != nil {
		return sum, nil, err
	}
	decs, err := s.ActiveDecisions(ctx)
	if err != nil {
		return sum, nil, err
	}
	prevRows, err := s.CurrentMembers(ctx)
	if err != nil {
		return sum, nil, err
	}
	next, err := s.NextPersonSeq(ctx)
	if err != nil {
		return sum, nil, err
	}
	prev := make([]cluster.PrevMember, len(prevRows))
	for i, p := range prevRows {
		prev[i] = cluster.PrevMember{PersonID: p.PersonID, Seq: p.Seq, Source: p.Source, Edition: p.Edition, Ref: p.Ref,
			Fingerprint: p.Fingerprint}
	}
	pl, err := cluster.Run(ctx, cluster.PlanInput{Records: recs, Decisions: decs, Previous: prev, NextSeq: next, Match: cfg})
	if err != nil {
		return sum, nil, err
	}
	mc := pl.Matcher.Config()
	st := pl.Result.Stats
	sum = MatchSummary{Records: st.Records, Lists: st.Lists, Blocks: st.Blocks, GiantBlocks: st.GiantBlocks, BlockCap: st.BlockCap,
		PairsCompared: st.PairsCompared, AllPairs: st.AllPairs, Persons: len(pl.Output.Clusters), NewPersons: len(pl.Assign.New),
		MergedPersons: len(pl.Assign.Merged), RetiredPersons: len(pl.Assign.Retired), AutoLinks: pl.Output.AutoLinks,
		AnalystLinks: pl.Output.AnalystLinks, Refused: pl.Output.Refused, LinkThreshold: mc.LinkThreshold,
		ReviewThresh: mc.ReviewThreshold, Model: pl.Result.Model, DataVersion: version}
	run := store.MatchRun{StartedAt: start, LinkThreshold: mc.LinkThreshold, ReviewThreshold: mc.ReviewThreshold,
		Members: pl.Members(), Retired: pl.Assign.Retired, DataVersion: version}
	for _, p := range pl.Assign.New {
		run.NewPersons = append(run.NewPersons, store.PersonRow{Seq: p.Seq, ID: p.ID})
	}
	for _, r := range pl.Assign.Merged {
		run.Redirects = append(run.Redirects, store.PersonRow{ID: r.From, RedirectTo: r.To})
	}
	for _, e := range pl.Assign.Events {
		run.History = append(run.History, store.HistoryEvent{PersonID: e.PersonID, Event: e.Event, Other: e.Other})
	}
	for _, f := range pl.Output.Flagged {
		if f.Band == match.BandDuplicate {
			sum.Duplicates++
		} else {
			sum.ReviewPairs++
		}
	}
	run.Pairs = func(yield func(store.PairRow) bool) {
		for p := range pl.Pairs() {
			a, b := pl.Records[p.A], pl.Records[p.B]
			if a.Key > b.Key {
				a, b = b, a
			}
			row := store.PairRow{A: roster.RecordRef{Source: a.Source, Edition: a.Edition, Ref: a.Ref},
				B: roster.RecordRef{Source: b.Source, Edition: b.Edition, Ref: b.Ref}, Probability: p.Probability, Band: p.Band,
				Explanation: p.JSON}
			if !yield(row) {
				return
			}
		}
	}
	run.FinishedAt = a.now()
	sum.Seconds = time.Since(t0).Seconds()
	stats, _ := json.Marshal(sum)
	run.Stats = string(stats)
	if cfg.Progress != nil {
		cfg.Progress("save", 0, 1)
	}
	id, err := s.SaveMatchRun(ctx, run)
	if err != nil {
		return sum, nil, err
	}
	sum.RunID = id
	if !keep {
		return sum, nil, nil
	}
	return sum, keepForReview(pl, recs, version, id), nil
}

// keepForReview takes from a saved plan what the queue is built from:
// every record a member (in record order), the flagged pairs ordered as
// the store orders them, each oriented as saved.
func keepForReview(pl *cluster.Plan, recs []roster.Record, version, runID int64) *matched {
	m := &matched{version: version, runID: runID, records: recs, members: make([]roster.Membership, len(recs))}
	n := 0
	for c, cl := range pl.Output.Clusters {
		for _, mem := range cl.Members {
			r := &pl.Records[mem.Record]
			m.members[mem.Record] = roster.Membership{PersonID: pl.Assign.IDs[c], Source: r.Source, Edition: r.Edition, Ref: r.Ref,
				Fingerprint: r.Fingerprint}
			n++
		}
	}
	if n != len(recs) {
		return nil // every record is in a cluster; if one is not, read the store
	}
	for _, f := range pl.Output.Flagged {
		if f.Band != match.BandReview && f.Band != match.BandDuplicate {
			continue
		}
		a, b := &pl.Records[f.A], &pl.Records[f.B]
		if a.Key > b.Key {
			a, b = b, a
		}
		m.pairs = append(m.pairs, store.ReviewPair{A: roster.Side{Source: a.Source, Edition: a.Edition, Ref: a.Ref},
			B: roster.Side{Source: b.Source, Edition: b.Edition, Ref: b.Ref}, Probability: f.Probability, Band: f.Band})
	}
	slices.SortFunc(m.pairs, func(x, y store.ReviewPair) int {
		return cmp.Or(cmp.Compare(x.A.Source, y.A.Source), cmp.Compare(x.A.Edition, y.A.Edition), cmp.Compare(x.A.Ref, y.A.Ref),
			cmp.Compare(x.B.Source, y.B.Source), cmp.Compare(x.B.Edition, y.B.Edition), cmp.Compare(x.B.Ref, y.B.Ref))
	})
	return m
}

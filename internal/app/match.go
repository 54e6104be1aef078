package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/roster-coalition/roster/internal/cluster"
	"github.com/roster-coalition/roster/internal/match"
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
	s := a.store
	var sum MatchSummary
	start := a.now()
	t0 := time.Now()
	// The data version before the records: an import that lands while
	// the match runs changes it, and the save is then refused.
	version, err := s.DataVersion(ctx)
	if err != nil {
		return sum, err
	}
	recs, err := s.MatchRecords(ctx)
	if err != nil {
		return sum, err
	}
	decs, err := s.ActiveDecisions(ctx)
	if err != nil {
		return sum, err
	}
	prevRows, err := s.CurrentMembers(ctx)
	if err != nil {
		return sum, err
	}
	next, err := s.NextPersonSeq(ctx)
	if err != nil {
		return sum, err
	}
	prev := make([]cluster.PrevMember, len(prevRows))
	for i, p := range prevRows {
		prev[i] = cluster.PrevMember{PersonID: p.PersonID, Seq: p.Seq, Source: p.Source, Edition: p.Edition, Ref: p.Ref,
			Fingerprint: p.Fingerprint}
	}
	pl, err := cluster.Run(ctx, cluster.PlanInput{Records: recs, Decisions: decs, Previous: prev, NextSeq: next, Match: cfg})
	if err != nil {
		return sum, err
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
		return sum, err
	}
	sum.RunID = id
	return sum, nil
}

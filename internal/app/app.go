// Package app holds the use-cases that the command line and the web UI
// share. Each one loads what it needs from the store, runs the pure core
// (match, cluster, review) on it and saves the result, so that the edges
// only parse their input and print or render the outcome:
//
//   - [Service.Match]: block, score and cluster every record, keep person
//     IDs stable, and save the run in one transaction;
//   - [Service.RebuildReview]: rebuild the review queue from the current
//     clustering, keeping the state of the items that still apply;
//   - [Service.ReviewInput]: what the review builders (the queue, the
//     tallies, edition diffs) read;
//   - [Service.DecidePair]: an analyst's verdict on any two records.
//
// # Dependencies
//
// app sits between the edges (cli, web) and the store: it imports store
// and the core, and nothing imports it but the edges. It speaks no SQL and
// no HTTP.
package app

import (
	"time"

	"github.com/roster-coalition/roster/internal/store"
)

// Service runs the use-cases on one store.
type Service struct {
	store *store.Store
	now   func() time.Time
}

// New returns the use-cases on s; now is the clock for the times a match
// run records (nil: the store's clock).
func New(s *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = s.Now
	}
	return &Service{store: s, now: now}
}

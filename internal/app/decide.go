package app

import (
	"context"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/roster"
)

// DecidePair records an analyst's verdict on two records, queued or not.
// Each reference is resolved to its record (the latest edition that has
// it when the reference names none), and the decision keeps the record's
// content fingerprint so that it survives a re-import or a new edition.
func (a *Service) DecidePair(ctx context.Context, refs [2]roster.RecordRef, verdict, reason, by string) (roster.Decision, error) {
	var sides [2]roster.Side
	for i, ref := range refs {
		rec, err := a.store.FindRecord(ctx, ref)
		if err != nil {
			return roster.Decision{}, err
		}
		sides[i] = roster.Side{Source: rec.Source, Edition: rec.Edition, Ref: rec.Ref, Fingerprint: match.Fingerprint(rec)}
	}
	return a.store.DecidePair(ctx, sides[0], sides[1], verdict, reason, by)
}

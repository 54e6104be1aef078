package store

import (
	"context"
	"fmt"

	"github.com/roster-coalition/roster/internal/roster"
)

// BandPair is a pair of records the last match run left in the review
// band: the matcher could not tell whether they are one person.
type BandPair struct {
	A, B        roster.RecordRef
	Probability float64
}

// ReviewBandPairs returns the pairs of the last run in the review band
// that no analyst has settled (an active same or different decision on
// the two records, in either order), sorted by their references.
func (s *Store) ReviewBandPairs(ctx context.Context) ([]BandPair, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.a_source, p.a_edition, p.a_ref, p.b_source, p.b_edition, p.b_ref, p.probability
		FROM pairs p
		WHERE p.band = 'review' AND NOT EXISTS (
			SELECT 1 FROM decisions d WHERE d.undone = 0 AND d.verdict IN ('same', 'different') AND (
				(d.a_source = p.a_source AND d.a_edition = p.a_edition AND d.a_ref = p.a_ref AND
				 d.b_source = p.b_source AND d.b_edition = p.b_edition AND d.b_ref = p.b_ref) OR
				(d.a_source = p.b_source AND d.a_edition = p.b_edition AND d.a_ref = p.b_ref AND
				 d.b_source = p.a_source AND d.b_edition = p.a_edition AND d.b_ref = p.a_ref)))
		ORDER BY p.a_source, p.a_edition, p.a_ref, p.b_source, p.b_edition, p.b_ref`)
	if err != nil {
		return nil, fmt.Errorf("review-band pairs: %w", err)
	}
	defer rows.Close()
	var out []BandPair
	for rows.Next() {
		var p BandPair
		if err := rows.Scan(&p.A.Source, &p.A.Edition, &p.A.Ref, &p.B.Source, &p.B.Edition, &p.B.Ref, &p.Probability); err != nil {
			return nil, fmt.Errorf("review-band pairs: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("review-band pairs: %w", err)
	}
	return out, nil
}

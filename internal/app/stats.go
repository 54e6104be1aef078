package app

import (
	"context"

	"github.com/roster-coalition/roster/internal/review"
)

// ReviewStats is how the analysts agree and how fast they work.
type ReviewStats struct {
	DoubleReview []string              `json:"double_review"` // the kinds under blind double review
	ByKind       []review.AgreementRow `json:"by_kind"`
	ByPair       []review.AgreementRow `json:"by_pair"`
	Analysts     []review.Throughput   `json:"analysts"`
	Pending      int                   `json:"pending_votes"` // first votes waiting for a second
}

// ReviewStats reads the settled rounds of blind double review and every
// decision and vote, and computes the agreement (rate and Cohen's kappa,
// per kind and per pair of analysts) and each analyst's throughput.
func (a *Service) ReviewStats(ctx context.Context) (ReviewStats, error) {
	var st ReviewStats
	var err error
	if st.DoubleReview, err = a.store.DoubleReviewKinds(ctx); err != nil {
		return st, err
	}
	votes, err := a.store.Votes(ctx)
	if err != nil {
		return st, err
	}
	var rounds []review.Round
	for i := 0; i+1 < len(votes); i++ {
		x, y := votes[i], votes[i+1]
		if x.ItemID != y.ItemID || x.Round != y.Round {
			continue
		}
		rounds = append(rounds, review.Round{ItemID: x.ItemID, Kind: x.Kind,
			First:  review.Verdict{User: x.User, Verdict: x.Verdict, At: x.At},
			Second: review.Verdict{User: y.User, Verdict: y.Verdict, At: y.At}})
		i++
	}
	st.ByKind, st.ByPair = review.Agreement(rounds)
	acts, err := a.store.Acts(ctx)
	if err != nil {
		return st, err
	}
	ra := make([]review.Act, len(acts))
	for i, x := range acts {
		ra[i] = review.Act{Who: x.Who, At: x.At}
	}
	st.Analysts = review.Throughputs(ra)
	st.Pending, err = a.store.PendingVotes(ctx)
	return st, err
}

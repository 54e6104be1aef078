package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type reviewShowOptions struct {
	*globalOptions
	Item itemArg
	JSON bool
}

func newReviewShowCmd(g *globalOptions) *cobra.Command {
	opts := &reviewShowOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "show ID|KEY [--json]",
		Short: "Show one review item with everything needed to decide it, and its history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item = itemArg(args[0])
			return runReviewShow(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runReviewShow(ctx context.Context, opts *reviewShowOptions) error {
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := opts.Item.resolve(ctx, s)
	if err != nil {
		return err
	}
	it, err := s.ReviewItem(ctx, id)
	if err != nil {
		return err
	}
	f, err := newRefFormatter(ctx, s)
	if err != nil {
		return err
	}
	var d *roster.Decision
	if it.DecisionID != 0 {
		x, err := s.Decision(ctx, it.DecisionID)
		if err != nil {
			return err
		}
		d = &x
	}
	j := toReviewItemJSON(f, it, d)
	if json.Valid([]byte(it.Payload)) {
		j.Payload = json.RawMessage(it.Payload)
	}
	hist, err := s.ItemDecisions(ctx, it.ID)
	if err != nil {
		return err
	}
	for _, e := range hist {
		j.History = append(j.History, toAuditJSON(e))
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, j)
	}
	w := opts.Stdout
	fmt.Fprintf(w, "item %d  %s  %s  (impact %.0f, version %d)\n", it.ID, it.Kind, it.State, it.Impact, it.Version)
	fmt.Fprintf(w, "%s\n", it.Title)
	fmt.Fprintf(w, "key      %s\n", it.Key)
	if it.Source != "" {
		fmt.Fprintf(w, "source   %s\n", it.Source)
	}
	if it.Group != "" {
		fmt.Fprintf(w, "group    %s (%s)\n", it.Group, review.GroupLabel(it.Group))
	}
	if it.PersonID != "" {
		fmt.Fprintf(w, "person   %s\n", it.PersonID)
	}
	if it.SecondLook {
		who := ""
		if it.AssignedTo != "" {
			who = " by " + it.AssignedTo
		}
		fmt.Fprintf(w, "second look%s: someone was unsure\n", who)
	}
	if j.Decision != nil {
		fmt.Fprintf(w, "decided  %s by %s at %s: %s\n", j.Decision.Verdict, j.Decision.By, j.Decision.At, j.Decision.Reason)
	}
	printPayload(w, it, f)
	if len(hist) > 0 {
		fmt.Fprintln(w, "history:")
		for _, e := range hist {
			fmt.Fprintf(w, "  %s  %-6s %-8s %-9s %s\n", e.At.UTC().Format(time.RFC3339), e.Action, e.Actor, e.Verdict, e.Reason)
		}
	}
	if it.State == store.StateOpen && !it.Held {
		kind := it.Kind
		if kind == roster.KindAdjudication {
			if _, k, _, err := store.AdjudicationTarget(it); err == nil {
				kind = k
			}
		}
		verdicts := roster.Verdicts(kind, len(it.Records) == 2)
		for i, v := range verdicts {
			if v == roster.VerdictMap {
				verdicts[i] = "map:GROUP"
			}
		}
		fmt.Fprintf(w, "decide:  roster review decide %d %s --reason TEXT\n", it.ID, strings.Join(verdicts, "|"))
	}
	if it.Held {
		fmt.Fprintln(w, "waiting: two analysts disagreed; an adjudication item settles it")
	}
	return nil
}

// reviewPayload is what review show prints of an item's payload, which
// review.Build writes and the store completes (see internal/review).
// Which fields are there depends on the kind.
type reviewPayload struct {
	Records     []review.RecordView  `json:"records"`       // match, duplicate, conflict, omission, unknown-group
	Record      *review.RecordView   `json:"record"`        // change
	Probability *float64             `json:"probability"`   // match, duplicate
	Explanation json.RawMessage      `json:"explanation"`   // match, duplicate: the score explained
	Clusters    []review.PairCluster `json:"clusters"`      // match, duplicate: the persons the records are in
	Count       *int                 `json:"count"`         // group-gap: this source's records in the group
	Others      map[string]int       `json:"others"`        // group-gap: the other sources' records in it
	Median      *float64             `json:"others_median"` // group-gap
	Omissions   *int                 `json:"omissions"`     // scope: the omissions it would raise
	Gaps        []string             `json:"gaps"`          // scope: the groups it would flag
	Examples    []struct {
		PersonID string   `json:"person_id"`
		Name     string   `json:"name"`
		ListedBy []string `json:"listed_by"`
	} `json:"examples"` // scope
	Votes []struct {
		User, Verdict, Reason, At string
	} `json:"votes"` // adjudication
	ItemID int64 `json:"item_id"` // adjudication: the item it settles
}

// pairExplanation is a pair's stored explanation: the matcher's reason
// for flagging it and the score explained.
type pairExplanation struct {
	Reason string `json:"reason"`
	match.Explanation
}

// printPayload prints the records of an item side by side with what the
// kind adds (why it is here and the score's waterfall, values in
// conflict, counts, the votes an adjudication settles).
func printPayload(w io.Writer, it roster.ReviewItem, f refFormatter) {
	var p reviewPayload
	if err := json.Unmarshal([]byte(it.Payload), &p); err != nil {
		return
	}
	if p.Record != nil {
		p.Records = append(p.Records, *p.Record)
	}
	if len(p.Votes) > 0 {
		fmt.Fprintf(w, "the two blind decisions on item %d disagree:\n", p.ItemID)
		for _, v := range p.Votes {
			fmt.Fprintf(w, "  %s said %s: %s\n", v.User, v.Verdict, v.Reason)
		}
	}
	if len(p.Records) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RECORD\tPERSON\tNAME\tBORN\tGENDER\tGROUP\tCASE\tARRESTED\tSTATUS")
		for _, r := range p.Records {
			born := ""
			if r.BirthYear > 0 {
				born = fmt.Sprint(r.BirthYear)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.format(r.Ref), r.PersonID, r.Name, born, r.Gender,
				orRaw(r.Group, r.GroupRaw), r.Case, r.ArrestDate, r.Status)
		}
		tw.Flush()
	}
	if p.Count != nil {
		var parts []string
		for _, src := range sortedStrings(p.Others) {
			parts = append(parts, fmt.Sprintf("%s %d", src, p.Others[src]))
		}
		med := 0.0
		if p.Median != nil {
			med = *p.Median
		}
		fmt.Fprintf(w, "counts   %s %d; others: %s (median %g)\n", it.Source, *p.Count, strings.Join(parts, ", "), med)
	}
	if p.Omissions != nil {
		fmt.Fprintf(w, "would raise %d %s and %d %s against %s\n", *p.Omissions, plural(*p.Omissions, "omission", "omissions"),
			len(p.Gaps), plural(len(p.Gaps), "group gap", "group gaps"), it.Source)
		for _, e := range p.Examples {
			fmt.Fprintf(w, "  %s %s (listed by %s)\n", e.PersonID, e.Name, strings.Join(e.ListedBy, ", "))
		}
		fmt.Fprintf(w, "scope:   roster sources set-scope %s --all, or --groups/--cases/--from/--to/--country\n", it.Source)
	}
	if len(p.Explanation) > 0 && string(p.Explanation) != "null" {
		var ex pairExplanation
		if err := json.Unmarshal(p.Explanation, &ex); err != nil || len(ex.Fields) == 0 {
			fmt.Fprintf(w, "explanation %s\n", compactJSON(p.Explanation))
			return
		}
		prob := ex.Probability
		if p.Probability != nil {
			prob = *p.Probability
		}
		kind := it.Kind
		if kind == roster.KindAdjudication {
			if _, k, _, err := store.AdjudicationTarget(it); err == nil {
				kind = k
			}
		}
		fmt.Fprintf(w, "why:     %s\n", review.WhyPair(kind, ex.Reason, prob, p.Clusters, f.format))
		var na, nb string
		if len(p.Records) == 2 {
			na, nb = p.Records[0].Name, p.Records[1].Name
		}
		writeWaterfall(w, ex.Explanation, na, nb)
	}
}

func sortedStrings[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func compactJSON(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

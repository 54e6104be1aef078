package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type reviewListOptions struct {
	*globalOptions
	Filter store.ReviewFilter
	Limit  int
	JSON   bool
}

func newReviewListCmd(g *globalOptions) *cobra.Command {
	opts := &reviewListOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "list [--kind K] [--source S] [--group G] [--state open|decided|stale|all] [--json]",
		Short: "List review items: open first, highest impact first",
		Example: `  roster review list
  roster review list --kind omission --source ipm
  roster review list --kind group-gap --state all --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReviewList(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Filter.Kind, "kind", "", "only this kind: "+strings.Join(roster.Kinds, ", "))
	cmd.Flags().StringVar(&opts.Filter.Source, "source", "", "only items about this source or its records")
	cmd.Flags().StringVar(&opts.Filter.Group, "group", "", "only items about this group key")
	cmd.Flags().StringVar(&opts.Filter.State, "state", "open", "open, decided, stale or all")
	cmd.Flags().StringVar(&opts.Filter.AssignedTo, "assigned", "", "only items assigned to this analyst for a second look")
	cmd.Flags().BoolVar(&opts.Filter.SecondLook, "second-look", false, "only items someone was unsure about")
	cmd.Flags().IntVar(&opts.Limit, "limit", 0, "show at most N items (0: all), read page-wise through the queue's index")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func validKind(k string) bool {
	for _, x := range roster.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func runReviewList(ctx context.Context, opts *reviewListOptions) error {
	if opts.Filter.Kind != "" && !validKind(opts.Filter.Kind) {
		return usagef("--kind %q: want one of %s", opts.Filter.Kind, strings.Join(roster.Kinds, ", "))
	}
	switch opts.Filter.State {
	case "", "open", "decided", "stale", "all":
	default:
		return usagef("--state %q: want open, decided, stale or all", opts.Filter.State)
	}
	if opts.Filter.Group != "" && !roster.IsGroup(opts.Filter.Group) {
		return usagef("--group %q: want one of %s", opts.Filter.Group, strings.Join(roster.Groups, ", "))
	}
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	var items []roster.ReviewItem
	if opts.Limit > 0 {
		p, err := s.ReviewPage(ctx, opts.Filter, store.Cursor{}, opts.Limit, false)
		if err != nil {
			return err
		}
		items = p.Items
	} else if items, err = s.ReviewItems(ctx, opts.Filter); err != nil {
		return err
	}
	f, err := newRefFormatter(ctx, s)
	if err != nil {
		return err
	}
	decs, err := itemDecisions(ctx, s, items)
	if err != nil {
		return err
	}
	if opts.JSON {
		out := []reviewItemJSON{}
		for _, it := range items {
			var d *roster.Decision
			if x, ok := decs[it.DecisionID]; ok {
				d = &x
			}
			out = append(out, toReviewItemJSON(f, it, d))
		}
		return writeJSON(opts.Stdout, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(opts.Stdout, "no review items")
		return nil
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATE\tIMPACT\tTITLE")
	for _, it := range items {
		state := it.State
		if d, ok := decs[it.DecisionID]; ok {
			state += " (" + d.Verdict + ")"
		}
		switch {
		case it.Held:
			state += " (waits for adjudication)"
		case it.AssignedTo != "":
			state += " (second look: " + it.AssignedTo + ")"
		case it.SecondLook:
			state += " (second look)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.0f\t%s\n", it.ID, it.Kind, state, it.Impact, it.Title)
	}
	return tw.Flush()
}

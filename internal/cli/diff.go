package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/review"
)

type diffOptions struct {
	*globalOptions
	Source   string
	From, To string
	JSON     bool
}

func newDiffCmd(g *globalOptions) *cobra.Command {
	opts := &diffOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "diff SOURCE [--from EDITION --to EDITION] [--json]",
		Short: "Who a source added and removed between two editions (default: the two latest)",
		Long: `Diff compares two editions of a source: who was added and who was removed,
by person where the match placed the records (a respelled name is the same
person), else by content fingerprint. Removed persons show which other
sources still list them.`,
		Example: `  roster diff ipm
  roster diff ipm --from 2025-02-01 --to 2025-06-01 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			return runDiff(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "the older edition (default: the one before --to)")
	cmd.Flags().StringVar(&opts.To, "to", "", "the newer edition (default: the latest)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runDiff(ctx context.Context, opts *diffOptions) error {
	if opts.From != "" && opts.To != "" && opts.From >= opts.To {
		return usagef("--from %s must be before --to %s", opts.From, opts.To)
	}
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	in, _, err := app.New(s, opts.Now).ReviewInput(ctx, review.Options{}, true)
	if err != nil {
		return err
	}
	d, err := review.DiffEditions(in, opts.Source, opts.From, opts.To)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, d)
	}
	w := opts.Stdout
	fmt.Fprintf(w, "%s %s -> %s: %d added, %d removed, %d kept\n", d.Source, d.From, d.To, len(d.Added), len(d.Removed), d.Kept)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, e := range d.Added {
		fmt.Fprintf(tw, "+\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Record.Name, orRaw(e.Record.Group, e.Record.GroupRaw), e.Record.Ref, listedBy(e.ListedBy))
	}
	for _, e := range d.Removed {
		fmt.Fprintf(tw, "-\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Record.Name, orRaw(e.Record.Group, e.Record.GroupRaw), e.Record.Ref, listedBy(e.ListedBy))
	}
	return tw.Flush()
}

func listedBy(srcs []string) string {
	if len(srcs) == 0 {
		return ""
	}
	return "also listed by " + strings.Join(srcs, ", ")
}

package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/store"
)

type reviewBuildOptions struct {
	*globalOptions
	OmissionMin int
	JSON        bool
	By          string
}

func newReviewBuildCmd(g *globalOptions) *cobra.Command {
	opts := &reviewBuildOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "build [--omission-min N]",
		Short: "Rebuild the queue from the current match (roster match does this at its end)",
		Long: `Build rebuilds the review queue from the current clustering. Items are
matched to the stored ones by their content key: decided items stay
decided, open items that no longer apply become stale, stale items that
apply again reopen.

An omission is a person listed in the latest editions of at least N
other sources but not in this source's latest edition: N is the project's
setting (roster review config --omission-min N; 2 when none is set), which
roster match's rebuild uses too; --omission-min N uses another N for this
build only. A
group gap is a group this source's latest edition lists none of while some
other source lists at least 2 and the other sources' median is at least 1,
or "far fewer": at most half the other sources' median and at least 3 below
it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("omission-min") && opts.OmissionMin < 1 {
				return usagef("--omission-min %d: want 1 or more", opts.OmissionMin)
			}
			return runReviewBuild(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.OmissionMin, "omission-min", 0, "other sources that must list a person for an omission, for this build only (default the project's setting, 2 when none)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	addByFlag(cmd, &opts.By, "who rebuilds it (an analyst or admin, once the database has accounts)")
	return cmd
}

func runReviewBuild(ctx context.Context, opts *reviewBuildOptions) error {
	s, err := opts.open(ctx, store.OpenExisting, false) // it rebuilds the queue: no stale warning
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Authorize(ctx, opts.By, store.RoleAnalyst, "rebuild the review queue"); err != nil {
		return err
	}
	svc := app.New(s, opts.Now)
	if opts.OmissionMin > 0 {
		set, err := svc.OmissionMin(ctx)
		if err != nil {
			return err
		}
		if set != opts.OmissionMin {
			opts.warnf("note: omissions need %d other sources in this build only; the next roster match rebuilds with the project's %d (roster review config --omission-min %d keeps it)",
				opts.OmissionMin, set, opts.OmissionMin)
		}
	}
	sum, err := svc.RebuildReview(ctx, review.Options{OmissionMinSources: opts.OmissionMin})
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, sum)
	}
	fmt.Fprintln(opts.Stdout, sum.String())
	return nil
}

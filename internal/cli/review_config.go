package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
)

type reviewConfigOptions struct {
	*globalOptions
	Double      []string
	NoDouble    bool
	OmissionMin int
	By          string
	JSON        bool
	setDouble   bool
	setOmission bool
}

func newReviewConfigCmd(g *globalOptions) *cobra.Command {
	opts := &reviewConfigOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "config [--double KINDS | --no-double] [--omission-min N] [--by NAME]",
		Short: "Show or set the project's review settings (blind double review, omissions)",
		Long: `Config shows the review settings, or changes them (admins only; the change is
in the audit log).

--double match,duplicate puts items of those kinds under blind double
review: each needs two independent decisions from two different analysts
(roster review decide --by NAME on the command line, the logged-in analyst
in the web UI), neither seeing the other's. Agreement settles the item;
disagreement opens an item of kind adjudication for a third analyst or an
admin, which shows both decisions with their reasons. roster review stats
reports how often the analysts agree. --no-double turns it off.

--omission-min N: a person is an omission of a source when the latest
editions of at least N other sources list them (default 2). Every rebuild
of the queue uses it, roster match's included; it takes effect at the next
one.
` + exitHelp,
		Example: `  roster review config --double match,duplicate --by alice
  roster review config --omission-min 3 --by alice
  roster review config`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.setDouble = cmd.Flags().Changed("double")
			opts.setOmission = cmd.Flags().Changed("omission-min")
			if opts.setOmission && opts.OmissionMin < 1 {
				return usagef("--omission-min %d: want 1 or more", opts.OmissionMin)
			}
			return runReviewConfig(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringSliceVar(&opts.Double, "double", nil, "the item `KINDS` that need two blind decisions (match, duplicate, conflict, omission, group-gap, unknown-group, change)")
	cmd.Flags().BoolVar(&opts.NoDouble, "no-double", false, "turn blind double review off")
	cmd.Flags().IntVar(&opts.OmissionMin, "omission-min", 0, "other sources that must list a person for an omission (from the next rebuild of the queue)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	addByFlag(cmd, &opts.By, "who changes it (an admin)")
	return cmd
}

func runReviewConfig(ctx context.Context, opts *reviewConfigOptions) error {
	if opts.setDouble && opts.NoDouble {
		return usagef("--double and --no-double exclude each other")
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if opts.setDouble || opts.NoDouble || opts.setOmission {
		if err := checkBy(opts.By); err != nil {
			return err
		}
	}
	if opts.setOmission {
		if err := s.SetOmissionMin(ctx, opts.By, opts.OmissionMin); err != nil {
			return err
		}
	}
	if opts.setDouble || opts.NoDouble {
		kinds := opts.Double
		if opts.NoDouble {
			kinds = nil
		}
		if err := s.SetDoubleReview(ctx, opts.By, kinds); err != nil {
			return err
		}
	}
	kinds, err := s.DoubleReviewKinds(ctx)
	if err != nil {
		return err
	}
	omissionMin, err := app.New(s, opts.Now).OmissionMin(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, map[string]any{"double_review": kinds, "omission_min": omissionMin})
	}
	if len(kinds) == 0 {
		fmt.Fprintln(opts.Stdout, "blind double review: off (one analyst decides each item)")
	} else {
		fmt.Fprintf(opts.Stdout, "blind double review: %s (two analysts decide each such item independently)\n", strings.Join(kinds, ", "))
	}
	fmt.Fprintf(opts.Stdout, "omissions: raised when at least %d other sources list the person\n", omissionMin)
	return nil
}

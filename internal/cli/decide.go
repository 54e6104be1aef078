package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/roster"
)

type decideOptions struct {
	*globalOptions
	Refs [2]string
	decisionArgs
	JSON bool
}

func newDecideCmd(g *globalOptions) *cobra.Command {
	opts := &decideOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "decide REF1 REF2 same|different|unsure --reason TEXT [--by NAME]",
		Short: "Decide whether any two records are the same person (split a wrong link, join two persons)",
		Long: `Decide records an analyst's verdict on any two records, queued or not.
same makes them one person at the next roster match (must-link); different
keeps them apart (cannot-link), which splits a person the matcher merged
wrongly. The decision is kept by reference and by content fingerprint, so
it survives a re-import of the list, a new edition and a re-match. A later
decision on the same pair supersedes the earlier one (logged as an undo).

References are source:ref (the latest edition that has the ref) or
source@edition:ref.`,
		Example: `  roster decide ipm:17 hrc:203 different --reason "different fathers (Əli oğlu / Vəli oğlu)"
  roster decide ipm@2025-06-01:17 mhm:4 same --reason "same case and arrest date" --by alice`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Refs = [2]string{args[0], args[1]}
			opts.Verdict = args[2]
			return runDecide(cmd.Context(), opts)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runDecide(ctx context.Context, opts *decideOptions) error {
	if err := opts.check(roster.VerdictSame, roster.VerdictDifferent, roster.VerdictUnsure); err != nil {
		return err
	}
	var refs [2]roster.RecordRef
	for i, r := range opts.Refs {
		ref, err := roster.ParseRef(r)
		if err != nil {
			return usageError{err}
		}
		refs[i] = ref
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := app.New(s, opts.Now).DecidePair(ctx, refs, opts.Verdict, opts.Reason, opts.By)
	if err != nil {
		return err
	}
	dj, err := decisionOutput(ctx, s, d)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, dj)
	}
	fmt.Fprintf(opts.Stdout, "decision %d: %s and %s are %s (by %s)\n", d.ID, dj.Records[0], dj.Records[1], verdictPhrase(d.Verdict), d.By)
	if d.ItemID != 0 {
		fmt.Fprintf(opts.Stdout, "it settles review item %d\n", d.ItemID)
	}
	if d.Verdict != roster.VerdictUnsure {
		fmt.Fprintln(opts.Stdout, "run roster match to apply it")
	}
	return nil
}

func verdictPhrase(v string) string {
	switch v {
	case roster.VerdictSame:
		return "the same person"
	case roster.VerdictDifferent:
		return "different persons"
	}
	return v
}

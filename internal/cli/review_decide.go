package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/roster"
)

type reviewDecideOptions struct {
	*globalOptions
	Item itemArg
	decisionArgs
	Version int64
	JSON    bool
}

func newReviewDecideCmd(g *globalOptions) *cobra.Command {
	opts := &reviewDecideOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "decide ID|KEY same|different|unsure|dismiss --reason TEXT [--by NAME]",
		Short: "Decide an open review item (same/different become match constraints)",
		Long: `Decide records a verdict on an open item, with a reason and who decided, in
the append-only audit log. same and different apply to items about two
records (match, duplicate, a conflict between two lists) and become
must-link and cannot-link constraints for the next roster match. unsure
and dismiss settle any item without constraining the match.

If someone decided the item meanwhile, the command fails and names who
decided it and when; nothing is lost. --version makes the check strict:
the item must not have changed since you saw that version.`,
		Example: `  roster review decide 12 same --reason "same patronymic and case; birth year typo"
  roster review decide 31 dismiss --reason "list covers journalists only" --by alice`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item, opts.Verdict = itemArg(args[0]), args[1]
			return runReviewDecide(cmd.Context(), opts)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().Int64Var(&opts.Version, "version", -1, "the item version you saw (-1: don't check)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runReviewDecide(ctx context.Context, opts *reviewDecideOptions) error {
	if err := opts.check(roster.VerdictSame, roster.VerdictDifferent, roster.VerdictUnsure, roster.VerdictDismiss); err != nil {
		return err
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := opts.Item.resolve(ctx, s)
	if err != nil {
		return err
	}
	d, err := s.DecideItem(ctx, id, opts.Version, opts.Verdict, opts.Reason, opts.By)
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
	fmt.Fprintf(opts.Stdout, "item %d decided: %s by %s (decision %d)\n", id, d.Verdict, d.By, d.ID)
	if d.Verdict == roster.VerdictSame || d.Verdict == roster.VerdictDifferent {
		fmt.Fprintln(opts.Stdout, "run roster match to apply it")
	}
	return nil
}

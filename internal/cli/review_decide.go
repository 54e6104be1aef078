package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type reviewDecideOptions struct {
	*globalOptions
	Item itemArg
	decisionArgs
	Version int64
	Assign  string
	JSON    bool
}

func newReviewDecideCmd(g *globalOptions) *cobra.Command {
	opts := &reviewDecideOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "decide ID|KEY VERDICT --reason TEXT [--by NAME] [--assign NAME]",
		Short: "Decide an open review item (each kind takes its own verdicts; same/different become match constraints)",
		Long: `Decide records a verdict on an open item, with a reason (at most 4,000
characters) and who decided, in the append-only audit log. Each kind takes
its own verdicts:

  match, duplicate  same | different | unsure | dismiss
  conflict          confirm | different (two records only) | unsure | dismiss
  omission          confirm | not-omission | out-of-scope | unsure
  group-gap         confirm | out-of-scope | unsure | dismiss
  unknown-group     map:GROUP (the label means this group) | unsure | dismiss
  change            confirm | unsure | dismiss
  scope             comprehensive (the list means to cover everyone) | unsure | dismiss
  adjudication      the verdicts of the item it adjudicates

same and different become must-link and cannot-link constraints for the
next roster match; map:GROUP gives the label's records that group (and
later imports of the source read it); comprehensive lets omissions and
group gaps be raised against the source. unsure settles nothing: the item
stays open, marked for a second look (--assign NAME asks an analyst).

Kinds under blind double review (roster review config --double) take one
vote from each of two analysts (--by names them): agreement settles the
item, disagreement opens an adjudication item for a third analyst or an
admin. Once the database has accounts, --by must name an analyst or admin.

If someone decided the item meanwhile, the command fails and names who
decided it and when; nothing is lost. --version makes the check strict:
the item must not have changed since you saw that version.`,
		Example: `  roster review decide 12 same --reason "same patronymic and case; birth year typo"
  roster review decide 31 out-of-scope --reason "list covers journalists only" --by alice
  roster review decide 40 map:journalist --reason "'Media workers' are journalists"
  roster review decide 7 unsure --reason "need the court record" --assign bob`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item, opts.Verdict = itemArg(args[0]), args[1]
			return runReviewDecide(cmd.Context(), opts)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().Int64Var(&opts.Version, "version", -1, "the item version you saw (-1: don't check)")
	cmd.Flags().StringVar(&opts.Assign, "assign", "", "with unsure: the analyst asked to take the second look")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runReviewDecide(ctx context.Context, opts *reviewDecideOptions) error {
	if err := opts.checkAny(); err != nil {
		return err
	}
	if opts.Assign != "" && opts.Verdict != roster.VerdictUnsure {
		return usagef("--assign goes with unsure (a second look)")
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
	res, err := s.DecideItem(ctx, id, opts.Version, opts.Verdict, opts.Reason, opts.By)
	if err != nil {
		return err
	}
	if opts.Assign != "" {
		if err := s.AssignItem(ctx, id, opts.Assign, opts.By); err != nil {
			return err
		}
	}
	if opts.JSON {
		out := struct {
			Outcome      string        `json:"outcome"`
			Decision     *decisionJSON `json:"decision,omitempty"`
			Adjudication int64         `json:"adjudication_item,omitempty"`
			AssignedTo   string        `json:"assigned_to,omitempty"`
		}{Outcome: res.Outcome, Adjudication: res.Adjudication, AssignedTo: opts.Assign}
		if res.ID != 0 {
			if out.Decision, err = decisionOutput(ctx, s, res.Decision); err != nil {
				return err
			}
		}
		return writeJSON(opts.Stdout, out)
	}
	w := opts.Stdout
	switch res.Outcome {
	case store.OutcomeUnsure:
		fmt.Fprintf(w, "item %d stays open for a second look: %s was unsure (decision %d)\n", id, opts.By, res.ID)
		if opts.Assign != "" {
			fmt.Fprintf(w, "assigned to %s\n", opts.Assign)
		}
	case store.OutcomeVoted:
		fmt.Fprintf(w, "item %d: %s's decision is recorded, unseen; it needs a second analyst's independent decision (blind double review)\n",
			id, opts.By)
	case store.OutcomeDisagreed:
		fmt.Fprintf(w, "item %d: the two analysts disagree; adjudication item %d asks a third analyst or an admin\n", id, res.Adjudication)
	default:
		what := "decided"
		if res.Outcome == store.OutcomeAgreed {
			what = "decided by two analysts who agree"
		}
		fmt.Fprintf(w, "item %d %s: %s by %s (decision %d)\n", id, what, res.Verdict, res.By, res.ID)
		if res.Verdict == roster.VerdictSame || res.Verdict == roster.VerdictDifferent {
			fmt.Fprintln(w, "run roster match to apply it")
		}
		if res.Verdict == roster.VerdictComprehensive || strings.HasPrefix(res.Verdict, roster.VerdictMap+":") {
			fmt.Fprintln(w, "run roster review build (or roster match) to rebuild the queue with it")
		}
	}
	return nil
}

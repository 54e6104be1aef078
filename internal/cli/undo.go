package cli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
)

// The two undo commands are one act: review undo names the item whose
// decision is undone, decisions undo the decision itself.

// undoOptions are the options of both undo commands; one of Item and
// Decision is set.
type undoOptions struct {
	*globalOptions
	Item     itemArg // review undo ID|KEY
	Decision int64   // decisions undo DECISION_ID
	By       string
}

func newReviewUndoCmd(g *globalOptions) *cobra.Command {
	return newUndoCmd(g, &cobra.Command{
		Use:   "undo ID|KEY [--by NAME]",
		Short: "Undo the decision on a review item and reopen it (the undo is logged)",
	}, func(opts *undoOptions, arg string) error {
		opts.Item = itemArg(arg)
		return nil
	})
}

func newDecisionsUndoCmd(g *globalOptions) *cobra.Command {
	return newUndoCmd(g, &cobra.Command{
		Use:   "undo DECISION_ID [--by NAME]",
		Short: "Undo one decision and reopen the item it settled (the undo is logged)",
	}, func(opts *undoOptions, arg string) error {
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || id <= 0 {
			return usagef("decision ID %q: want a positive number", arg)
		}
		opts.Decision = id
		return nil
	})
}

// newUndoCmd completes an undo command: its one argument is parsed into
// the options by parse.
func newUndoCmd(g *globalOptions, cmd *cobra.Command, parse func(opts *undoOptions, arg string) error) *cobra.Command {
	opts := &undoOptions{globalOptions: g}
	cmd.Args = cobra.ExactArgs(1)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := parse(opts, args[0]); err != nil {
			return err
		}
		return runUndo(cmd.Context(), opts)
	}
	addByFlag(cmd, &opts.By, "who undoes")
	return cmd
}

func runUndo(ctx context.Context, opts *undoOptions) error {
	s, err := opts.openStoreAs(ctx, opts.By)
	if err != nil {
		return err
	}
	defer s.Close()
	if opts.Decision != 0 {
		if err := s.UndoDecision(ctx, opts.Decision, opts.By); err != nil {
			return err
		}
		fmt.Fprintf(opts.Stdout, "decision %d undone; run roster match to apply\n", opts.Decision)
		return nil
	}
	id, err := opts.Item.resolve(ctx, s)
	if err != nil {
		return err
	}
	if err := s.UndoItem(ctx, id, opts.By); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "item %d reopened: its decision is undone\n", id)
	return nil
}

package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

type reviewUndoOptions struct {
	*globalOptions
	Item itemArg
	By   string
}

func newReviewUndoCmd(g *globalOptions) *cobra.Command {
	opts := &reviewUndoOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "undo ID|KEY [--by NAME]",
		Short: "Undo the decision on a review item and reopen it (the undo is logged)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item = itemArg(args[0])
			return runReviewUndo(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.By, "by", defaultActor(), "who undoes (default $USER)")
	return cmd
}

func runReviewUndo(ctx context.Context, opts *reviewUndoOptions) error {
	if strings.TrimSpace(opts.By) == "" {
		return usagef("--by is required when $USER is not set")
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
	if err := s.UndoItem(ctx, id, opts.By); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "item %d reopened: its decision is undone\n", id)
	return nil
}

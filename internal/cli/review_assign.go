package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type reviewAssignOptions struct {
	*globalOptions
	Item itemArg
	To   string
	By   string
}

func newReviewAssignCmd(g *globalOptions) *cobra.Command {
	opts := &reviewAssignOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "assign ID|KEY NAME|- [--by NAME]",
		Short: "Ask an analyst to take a second look at an open item (- clears it)",
		Long: `Assign marks an open item for a second look by an analyst; their queue
("assigned to me" in the web UI, roster review list --assigned NAME) shows
it. An unsure decision marks an item for a second look too, and can assign
it at once (roster review decide ID unsure --assign NAME).
` + exitHelp,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item, opts.To = itemArg(args[0]), args[1]
			if opts.To == "-" {
				opts.To = ""
			}
			return runReviewAssign(cmd.Context(), opts)
		},
	}
	addByFlag(cmd, &opts.By, "who assigns")
	return cmd
}

func runReviewAssign(ctx context.Context, opts *reviewAssignOptions) error {
	s, err := opts.openStoreAs(ctx, opts.By)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := opts.Item.resolve(ctx, s)
	if err != nil {
		return err
	}
	if err := s.AssignItem(ctx, id, opts.To, opts.By); err != nil {
		return err
	}
	if opts.To == "" {
		fmt.Fprintf(opts.Stdout, "item %d assigned to no one\n", id)
		return nil
	}
	fmt.Fprintf(opts.Stdout, "item %d assigned to %s for a second look\n", id, opts.To)
	return nil
}

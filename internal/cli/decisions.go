package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/store"
)

type decisionsOptions struct {
	*globalOptions
	JSON bool
}

func newDecisionsCmd(g *globalOptions) *cobra.Command {
	opts := &decisionsOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "decisions [--json]",
		Short: "The audit log: every decision, vote, undo, assignment, scope and setting, oldest first",
		Long: `Decisions prints the append-only audit log of analyst decisions and undos,
from the CLI and the web UI, with the blind votes of settled double reviews,
items assigned for a second look, sources' scopes and changed settings.
roster decisions undo DECISION_ID undoes one decision (made on an item or
with roster decide) and reopens its item.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDecisions(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.AddCommand(newDecisionsUndoCmd(g))
	return cmd
}

func runDecisions(ctx context.Context, opts *decisionsOptions) error {
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	log, err := s.Audit(ctx)
	if err != nil {
		return err
	}
	f, err := newRefFormatter(ctx, s)
	if err != nil {
		return err
	}
	if opts.JSON {
		out := []auditJSON{}
		for _, e := range log {
			out = append(out, toAuditJSON(e))
		}
		return writeJSON(opts.Stdout, out)
	}
	if len(log) == 0 {
		fmt.Fprintln(opts.Stdout, "no decisions yet")
		return nil
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tAT\tBY\tACTION\tVERDICT\tDECISION\tITEM\tABOUT\tREASON")
	for _, e := range log {
		var d struct {
			Key          string   `json:"key"`
			Records      []string `json:"records"`
			Source       string   `json:"source"`
			Edition      string   `json:"edition"`
			Cleared      bool     `json:"cleared"`
			AssignedTo   *string  `json:"assigned_to"`
			DoubleReview []string `json:"double_review"`
			OmissionMin  *int     `json:"omission_min"`
		}
		_ = json.Unmarshal([]byte(e.Detail), &d)
		what := strings.Join(f.formatAll(d.Records), " ")
		if len(d.Records) != 2 && d.Key != "" {
			what = d.Key
		}
		switch e.Action {
		case store.ActionScope:
			what = "scope of " + scopeName(d.Source, d.Edition)
			if d.Cleared {
				what += " cleared"
			}
		case store.ActionConfig:
			what = "double review: " + strings.Join(d.DoubleReview, ",")
			if d.OmissionMin != nil {
				what = fmt.Sprintf("omissions need %d other sources", *d.OmissionMin)
			}
		case store.ActionAssign:
			if d.AssignedTo != nil {
				what = d.Key + " to " + *d.AssignedTo
			}
		}
		item, dec := "", ""
		if e.ItemID != 0 {
			item = fmt.Sprint(e.ItemID)
		}
		if e.DecisionID != 0 {
			dec = fmt.Sprint(e.DecisionID)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.UTC().Format(time.RFC3339), e.Actor, e.Action, e.Verdict,
			dec, item, what, e.Reason)
	}
	return tw.Flush()
}

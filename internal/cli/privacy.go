package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/importer"
)

type privacyOptions struct {
	*globalOptions
	Action   string // mark | unmark
	PersonID string
	Column   string
	Source   string
	Reason   string
	AskedBy  string
	By       string
	JSON     bool
}

func newPrivacyCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "privacy mark|unmark|list",
		Short: "Mark persons and columns private: what the public and coalition audiences never see",
		Long: `Privacy keeps the marks every export and page obeys (--audience on roster
export, estimate and report):

  public     names no private person (counts still count them, and say how
             many are withheld), and leaves out private fields and the rows
             as imported;
  coalition  (the default) names everyone but leaves out private fields, and
             the row as imported of a source with any private column;
  internal   has everything, with a warning.

A person mark follows the person through merges (a mark on an ID merged
into another makes the survivor private) and splits (a part split from a
private person is private too) until that person is unmarked by ID. A
column is a field (alias, birth, gender, group, case, arrest, sentence,
status, charges, place, notes) or a header of a source's list ("Phone",
"Lawyer"), for one source (--source) or for every source; roster import
--private-column marks columns as it imports. Marks and unmarks are kept
in the database, each with its line in the audit log (roster decisions).
` + exitHelp,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newPrivacyMarkCmd(g, audience.ActionMark), newPrivacyMarkCmd(g, audience.ActionUnmark), newPrivacyListCmd(g))
	return cmd
}

func newPrivacyMarkCmd(g *globalOptions, action string) *cobra.Command {
	opts := &privacyOptions{globalOptions: g, Action: action}
	verb, short := "Mark a person or a column private", "the public never sees the person named, nor anyone outside the coalition the column"
	if action == audience.ActionUnmark {
		verb, short = "Make a private person or column public again", "the unmark is logged with its reason"
	}
	cmd := &cobra.Command{
		Use:   action + " PERSON_ID | --column COLUMN [--source S] --reason TEXT",
		Short: verb + ": " + short,
		Example: fmt.Sprintf(`  roster privacy %[1]s P-000012 --reason "the family asked" --asked-by "his sister"
  roster privacy %[1]s --column Phone --source ipm --reason "contact data"
  roster privacy %[1]s --column notes --reason "health notes"`, action),
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.PersonID = args[0]
			}
			return runPrivacyMark(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Column, "column", "", "a field (notes, birth, case…) or a header of the list (Phone)")
	f.StringVar(&opts.Source, "source", "", "the column's source (default: every source)")
	f.StringVar(&opts.Reason, "reason", "", "why (required)")
	if action == audience.ActionMark {
		f.StringVar(&opts.AskedBy, "asked-by", "", "who asked (the family, a lawyer…)")
	}
	addByFlag(cmd, &opts.By, "who marks")
	return cmd
}

func runPrivacyMark(ctx context.Context, opts *privacyOptions) error {
	switch {
	case opts.PersonID == "" && opts.Column == "":
		return usagef("name a person ID or a --column")
	case opts.PersonID != "" && opts.Column != "":
		return usagef("name a person ID or a --column, not both")
	case opts.PersonID != "" && opts.Source != "":
		return usagef("--source goes with --column")
	case strings.TrimSpace(opts.Reason) == "":
		return usagef("--reason is required: say why")
	}
	col := strings.TrimSpace(opts.Column)
	if col != "" {
		if err := audience.CheckColumn(col); err != nil {
			return usageError{err}
		}
		// A header the importer reads into a field ("Qeyd", "Примечание")
		// is that field: its values are in the records, not only in the
		// rows as imported.
		if _, ok := audience.FieldOf(col); !ok {
			if f, ok := importer.HeaderField(col); ok {
				if err := audience.CheckColumn(string(f)); err != nil {
					return usagef("--column %q is read as the %s: %v", col, f, err)
				}
				opts.warnf("column %q is read as the %s field: %s %s", col, f, opts.Action, f)
				col = string(f)
			}
		}
	}
	s, err := opts.openStoreAs(ctx, opts.By)
	if err != nil {
		return err
	}
	defer s.Close()
	svc := app.New(s, opts.Now)
	req := app.PrivacyRequest{PersonID: strings.ToUpper(opts.PersonID), Source: opts.Source, Column: col,
		Reason: opts.Reason, AskedBy: opts.AskedBy, By: opts.By}
	if opts.Action == audience.ActionMark {
		_, err = svc.MarkPrivate(ctx, req)
	} else {
		_, err = svc.UnmarkPrivate(ctx, req)
	}
	if err != nil {
		return err
	}
	what := req.PersonID
	if what == "" {
		what = fmt.Sprintf("column %q of %s", req.Column, sourceOrEvery(req.Source))
	}
	if opts.Action == audience.ActionMark {
		fmt.Fprintf(opts.Stdout, "%s is private\n", what)
	} else {
		fmt.Fprintf(opts.Stdout, "%s is no longer private\n", what)
	}
	return nil
}

func sourceOrEvery(src string) string {
	if src == "" {
		return "every source"
	}
	return src
}

func newPrivacyListCmd(g *globalOptions) *cobra.Command {
	opts := &privacyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "The private persons (and how the mark reaches them) and the private columns",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runPrivacyList(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type privatePersonJSON struct {
	ID       string `json:"person_id"`
	Via      string `json:"via,omitempty"`       // "" (marked by ID), merged, split
	MarkedID string `json:"marked_id,omitempty"` // the ID the mark is on, when not person_id
	Reason   string `json:"reason"`
	AskedBy  string `json:"asked_by,omitempty"`
	By       string `json:"marked_by"`
	At       string `json:"marked_at"`
}

type privateColumnJSON struct {
	Source string `json:"source"` // "" for every source
	Column string `json:"column"`
	Field  string `json:"field,omitempty"` // the record field it stands for; "" for a header found only in the rows as imported
	Reason string `json:"reason"`
	By     string `json:"marked_by"`
	At     string `json:"marked_at"`
}

func runPrivacyList(ctx context.Context, opts *privacyOptions) error {
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ms, err := app.New(s, opts.Now).Marks(ctx)
	if err != nil {
		return err
	}
	persons, columns := []privatePersonJSON{}, []privateColumnJSON{}
	pps := ms.Persons()
	for _, pp := range pps {
		p := privatePersonJSON{ID: pp.ID, Via: pp.Via, Reason: pp.Mark.Reason, AskedBy: pp.Mark.AskedBy, By: pp.Mark.By, At: pp.Mark.At}
		if pp.Mark.PersonID != pp.ID {
			p.MarkedID = pp.Mark.PersonID
		}
		persons = append(persons, p)
	}
	for _, c := range ms.Columns() {
		columns = append(columns, privateColumnJSON{Source: c.Source, Column: c.Column, Field: string(c.Field), Reason: c.Mark.Reason,
			By: c.Mark.By, At: c.Mark.At})
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, map[string]any{"persons": persons, "columns": columns})
	}
	w := opts.Stdout
	if len(persons) == 0 {
		fmt.Fprintln(w, "no private persons")
	} else {
		fmt.Fprintf(w, "private persons (%d):\n", len(persons))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  PERSON\tHOW\tREASON\tASKED BY\tMARKED BY\tAT")
		for i, p := range persons {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", p.ID, pps[i], p.Reason, dash(p.AskedBy), p.By, p.At)
		}
		tw.Flush()
	}
	if len(columns) == 0 {
		fmt.Fprintln(w, "no private columns")
		return nil
	}
	fmt.Fprintf(w, "private columns (%d):\n", len(columns))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  SOURCE\tCOLUMN\tFIELD\tREASON\tMARKED BY\tAT")
	for _, c := range columns {
		src := c.Source
		if src == "" {
			src = "(every)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", src, c.Column, dash(c.Field), c.Reason, c.By, c.At)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

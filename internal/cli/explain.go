package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/roster"
)

type explainOptions struct {
	*globalOptions
	Refs [2]string
	JSON bool
}

func newExplainCmd(g *globalOptions) *cobra.Command {
	opts := &explainOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "explain REF1 REF2 [--json]",
		Short: "Why two records do or do not match: the weight each field added",
		Long: `Explain scores two records field by field with the model of the last match
run (or, before any run, a model estimated now) and prints the waterfall:
the prior, then what each field (surname, given name, patronymic, birth
year, gender, group, case, arrest date) added, and the name rules that
fired. References are source:record_ref or source@edition:record_ref.` + exitHelp,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Refs = [2]string{args[0], args[1]}
			return runExplain(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type pairExplainJSON struct {
	A string `json:"a"`
	B string `json:"b"`
	match.Explanation
}

func runExplain(ctx context.Context, opts *explainOptions) error {
	var refs [2]roster.RecordRef
	for i, s := range opts.Refs {
		r, err := roster.ParseRef(s)
		if err != nil {
			return usagef("%v", err)
		}
		refs[i] = r
	}
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	var pair [2]roster.Record
	for i, r := range refs {
		if pair[i], err = s.FindRecord(ctx, r); err != nil {
			return err
		}
	}
	recs, err := s.AllRecords(ctx)
	if err != nil {
		return err
	}
	cfg := match.Config{}
	if run, err := s.LastRun(ctx); err == nil {
		var st struct {
			Model match.Model `json:"model"`
		}
		if json.Unmarshal([]byte(run.Stats), &st) == nil && len(st.Model.M[0]) > 0 {
			cfg.Model = &st.Model
		}
		cfg.LinkThreshold, cfg.ReviewThreshold = run.LinkThreshold, run.ReviewThreshold
	}
	ia, ib := -1, -1
	for i, r := range recs {
		if r.ID == pair[0].ID {
			ia = i
		}
		if r.ID == pair[1].ID {
			ib = i
		}
	}
	// The run scores the pair among its rivals (one person per list), so
	// the matcher runs even with the stored model (which it then reuses).
	m := match.New(recs, cfg)
	if _, err := m.Run(ctx); err != nil {
		return err
	}
	ex := m.Explain(ia, ib)
	ka := roster.FormatRef(pair[0].Source, pair[0].Edition, pair[0].Ref, true)
	kb := roster.FormatRef(pair[1].Source, pair[1].Edition, pair[1].Ref, true)
	if opts.JSON {
		return writeJSON(opts.Stdout, pairExplainJSON{A: ka, B: kb, Explanation: ex})
	}
	w := opts.Stdout
	fmt.Fprintf(w, "A  %s  %s\n", ka, pair[0].Name)
	fmt.Fprintf(w, "B  %s  %s\n", kb, pair[1].Name)
	writeWaterfall(w, ex, pair[0].Name, pair[1].Name)
	return nil
}

// writeWaterfall prints a score's waterfall: the prior, what each field
// added (its level, weight, term-frequency adjustment and the running
// total), the steps after the fields, the probability and band, and the
// name rules that fired. roster explain and roster review show print it
// alike; nameA and nameB are the records' names as written.
func writeWaterfall(w io.Writer, ex match.Explanation, nameA, nameB string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tA\tB\tLEVEL\tWEIGHT\tTF\tRUNNING")
	run := ex.Prior
	fmt.Fprintf(tw, "prior\t\t\t\t%+.2f\t\t%+.2f\n", ex.Prior, run)
	for _, f := range ex.Fields {
		run += f.Weight + f.TF
		tf := ""
		if f.TF != 0 {
			tf = fmt.Sprintf("%+.2f", f.TF)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%+.2f\t%s\t%+.2f\n", fieldLabel(f.Field), f.A, f.B, f.Level, f.Weight, tf, run)
	}
	if ex.Bounded != 0 {
		run += ex.Bounded
		fmt.Fprintf(tw, "bounded\t\t\t\t%+.2f\t\t%+.2f\n", ex.Bounded, run)
	}
	if o := ex.OneToOne; o != nil {
		run += o.Bits
		fmt.Fprintf(tw, "one per list\t\t\t\t%+.2f\t\t%+.2f\n", o.Bits, run)
	}
	tw.Flush()
	if ex.FormA != "" || ex.FormB != "" {
		fmt.Fprintf(w, "names that met: %s\n", formsMet(nameA, ex.FormA, nameB, ex.FormB))
	}
	if ex.Bounded != 0 {
		fmt.Fprintf(w, "group, case and arrest date disagree: %+.2f bits given back, so that they alone cannot push the names below review\n", ex.Bounded)
	}
	if o := ex.OneToOne; o != nil {
		fmt.Fprintln(w, oneToOneWords(o))
	}
	fmt.Fprintf(w, "match weight %+.2f bits -> probability %.4f (%s)\n", ex.Weight, ex.Probability, ex.Band)
	if ex.Swapped {
		fmt.Fprintln(w, "names matched crosswise (surname of one side = given name of the other)")
	}
	for _, r := range ex.Rules {
		fmt.Fprintf(w, "rule: %s\n", r)
	}
}

// fieldLabel writes a matcher's field name for people: birth_year is
// "birth year".
func fieldLabel(f string) string { return strings.ReplaceAll(f, "_", " ") }

// formsMet says which names of two records met: the main name or an alias.
func formsMet(nameA, aliasA, nameB, aliasB string) string {
	side := func(name, alias string) string {
		if alias == "" {
			return "the main name of " + strconv.Quote(name)
		}
		return "the alias " + strconv.Quote(alias) + " of " + strconv.Quote(name)
	}
	return side(nameA, aliasA) + " and " + side(nameB, aliasB)
}

// oneToOneWords says in words what the one-person-per-list step did.
func oneToOneWords(o *match.OneToOne) string {
	lists := fmt.Sprintf("%s names about %.0f%% of %s's persons, %s about %.0f%% of %s's",
		o.ListB, 100*o.OverlapA, o.ListA, o.ListA, 100*o.OverlapB, o.ListB)
	if o.ShareA > 0.999 && o.ShareB > 0.999 {
		if o.Bits < 0.005 {
			return "one person per list: each record is the other's only candidate in its list; kept as scored (" + lists + ")"
		}
		return fmt.Sprintf("one person per list: each record is the other's only candidate in its list (%s): %+.2f bits", lists, o.Bits)
	}
	return fmt.Sprintf("one person per list: this pair has %.0f%% of A's likelihood among %s's records and %.0f%% of B's among %s's, the rest going to rival records (%s): %+.2f bits",
		100*o.ShareA, o.ListB, 100*o.ShareB, o.ListA, lists, o.Bits)
}

package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/eval"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type evalOptions struct {
	*globalOptions
	Truth    string
	Examples int
	JSON     bool
	MinF1    float64
	MinPrec  float64
}

func newEvalCmd(g *globalOptions) *cobra.Command {
	opts := &evalOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "eval --truth TRUTH.csv",
		Short: "Measure the current clustering against a truth file (pairwise and B-cubed P/R/F1)",
		Long: `Eval compares the persons of the last match run with a truth file (CSV with
columns source,edition,record_ref,person, as written by roster synth) and
prints pairwise precision, recall and F1 (over record pairs), B-cubed
precision, recall and F1 (averaged over records), counts, and the costliest
false merges and missed links with the names as written.

Records the truth does not know, and truth records not in the database or
not placed by a match run, are left out and counted. A truth row with an
empty edition matches the source's record with that reference when only one
edition has it.

--min-f1 and --min-precision make eval fail (exit 1) below those pairwise
figures, for use in CI.
` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runEval(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.Truth, "truth", "", "truth `FILE` (CSV: source,edition,record_ref,person), required")
	f.IntVar(&opts.Examples, "examples", 5, "how many false merges and missed links to show")
	f.BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	f.Float64Var(&opts.MinF1, "min-f1", 0, "fail when pairwise F1 is below this")
	f.Float64Var(&opts.MinPrec, "min-precision", 0, "fail when pairwise precision is below this")
	_ = cmd.MarkFlagRequired("truth")
	return cmd
}

// truthRow is one line of a truth file.
type truthRow struct{ source, edition, ref, person string }

func readTruth(r io.Reader) ([]truthRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(strings.ToLower(h), "\ufeff"))] = i
	}
	for _, need := range []string{"source", "record_ref", "person"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("header: no column %q (want source,edition,record_ref,person)", need)
		}
	}
	edCol, hasEd := col["edition"]
	var out []truthRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		t := truthRow{source: get(col["source"]), ref: get(col["record_ref"]), person: get(col["person"])}
		if hasEd {
			t.edition = get(edCol)
		}
		if t.source == "" || t.ref == "" || t.person == "" {
			return nil, fmt.Errorf("line %d: source, record_ref and person must not be empty", line)
		}
		out = append(out, t)
	}
	return out, nil
}

func runEval(ctx context.Context, opts *evalOptions) error {
	f, err := os.Open(opts.Truth)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	rows, err := readTruth(f)
	f.Close()
	if err != nil {
		return roster.Errorf(roster.EINVALID, "eval: %s: %v", opts.Truth, err)
	}
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	recs, err := s.ExportRows(ctx)
	if err != nil {
		return err
	}
	pred := eval.Assignment{}
	names := map[string]string{}
	bySourceRef := map[string][]string{} // source:ref → full keys
	placed := 0
	for _, r := range recs {
		key := roster.FormatRef(r.Source, r.Edition, r.Ref, true)
		short := roster.FormatRef(r.Source, "", r.Ref, false)
		bySourceRef[short] = append(bySourceRef[short], key)
		names[key] = r.Name
		if r.PersonID != "" {
			pred[key] = r.PersonID
			placed++
		}
	}
	if len(recs) > 0 && placed == 0 {
		return roster.Errorf(roster.EINVALID, "eval: no record is placed in a person yet: run roster match first")
	}
	truth := eval.Assignment{}
	missingInDB := 0
	for _, t := range rows {
		key := roster.FormatRef(t.source, t.edition, t.ref, true)
		if t.edition == "" {
			if ks := bySourceRef[roster.FormatRef(t.source, "", t.ref, false)]; len(ks) == 1 {
				key = ks[0]
			}
		}
		if _, ok := names[key]; !ok {
			missingInDB++
		}
		truth[key] = t.person
	}
	source := func(key string) string {
		if r, err := roster.ParseRef(key); err == nil {
			return r.Source
		}
		return ""
	}
	review, err := reviewPairs(ctx, s)
	if err != nil {
		return err
	}
	rep := eval.Evaluate(truth, pred, eval.Options{Examples: opts.Examples, Names: names, Source: source, Review: review})
	if opts.JSON {
		out := struct {
			*eval.Report
			NotInDatabase int `json:"not_in_database"`
		}{rep, missingInDB}
		if err := writeJSON(opts.Stdout, out); err != nil {
			return err
		}
	} else {
		printEval(opts.Stdout, rep, missingInDB)
	}
	if rep.Pairwise.F1 < opts.MinF1 || rep.Pairwise.Precision < opts.MinPrec {
		return fmt.Errorf("eval: pairwise F1 %.4f, precision %.4f: below the required F1 %.2f, precision %.2f",
			rep.Pairwise.F1, rep.Pairwise.Precision, opts.MinF1, opts.MinPrec)
	}
	return nil
}

func printEval(w io.Writer, rep *eval.Report, missingInDB int) {
	fmt.Fprintf(w, "records    %d evaluated; ignored: %d not in the truth, %d truth records not clustered (%d not in the database)\n",
		rep.Records, rep.NotInTruth, rep.NotClustered, missingInDB)
	fmt.Fprintf(w, "persons    %d true, %d predicted\n", rep.TruePersons, rep.PredPersons)
	fmt.Fprintf(w, "pairwise   precision %.4f  recall %.4f  F1 %.4f  (pairs: %d true, %d predicted, %d correct)\n",
		rep.Pairwise.Precision, rep.Pairwise.Recall, rep.Pairwise.F1, rep.Pairs.True, rep.Pairs.Predicted, rep.Pairs.Correct)
	fmt.Fprintf(w, "B-cubed    precision %.4f  recall %.4f  F1 %.4f\n", rep.BCubed.Precision, rep.BCubed.Recall, rep.BCubed.F1)
	if wr := rep.WithReview; wr != nil {
		fmt.Fprintf(w, "with review  recall %.4f if every open match and duplicate item (%d pairs) were answered \"same\" (%d of %d true pairs)\n",
			wr.Recall, wr.ReviewPairs, wr.Correct, rep.Pairs.True)
	}
	if len(rep.BySources) > 21 {
		fmt.Fprintf(w, "\nby sources: %d pairs of sources (--json lists them)\n", len(rep.BySources))
	} else if len(rep.BySources) > 0 {
		fmt.Fprintf(w, "\nby sources  %-28s  precision  recall\n", "pairs true/predicted/correct")
		for _, sp := range rep.BySources {
			fmt.Fprintf(w, "  %-9s  %-28s  %.4f     %.4f\n", sp.A+"–"+sp.B,
				fmt.Sprintf("%d/%d/%d", sp.Pairs.True, sp.Pairs.Predicted, sp.Pairs.Correct), sp.Metrics.Precision, sp.Metrics.Recall)
		}
	}
	fmt.Fprintf(w, "\nfalse merges: %d predicted persons join records of different true persons\n", rep.FalseMergeCount)
	printExamples(w, rep.FalseMerges, "true person")
	fmt.Fprintf(w, "\nmissed links: %d true persons are split over several predicted persons\n", rep.MissedLinkCount)
	printExamples(w, rep.MissedLinks, "predicted")
	if wr := rep.WithReview; wr != nil {
		fmt.Fprintf(w, "\nmissed even with review: %d true persons stay split when every review pair is accepted\n", wr.MissedLinkCount)
		printExamples(w, wr.MissedLinks, "predicted")
	}
}

// reviewPairs lists the pairs of records the open match and duplicate
// items ask about.
func reviewPairs(ctx context.Context, s *store.Store) ([][2]string, error) {
	out := [][2]string{}
	for _, kind := range []string{roster.KindMatch, roster.KindDuplicate} {
		items, err := s.ReviewItems(ctx, store.ReviewFilter{Kind: kind})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			for i := 1; i < len(it.Records); i++ {
				out = append(out, [2]string{it.Records[0], it.Records[i]})
			}
		}
	}
	return out, nil
}

func printExamples(w io.Writer, exs []eval.Example, partLabel string) {
	for _, ex := range exs {
		fmt.Fprintf(w, "  %s (%d wrong pairs)\n", ex.ID, ex.WrongPairs)
		for _, p := range ex.Parts {
			var rs []string
			for _, m := range p.Records {
				rs = append(rs, fmt.Sprintf("%s %q", m.Key, m.Name))
			}
			fmt.Fprintf(w, "    %s %s: %s\n", partLabel, p.ID, strings.Join(rs, ", "))
		}
	}
}

package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/review"
)

type reviewStatsOptions struct {
	*globalOptions
	JSON bool
}

func newReviewStatsCmd(g *globalOptions) *cobra.Command {
	opts := &reviewStatsOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "stats [--json]",
		Short: "How often the analysts agree (rate and Cohen's kappa) and how fast they work",
		Long: `Stats reports, from the rounds of blind double review (roster review config
--double), per item kind and per pair of analysts: how many items both
decided, the share they agreed on, and Cohen's kappa, the agreement beyond
what chance would give (1 perfect, 0 no better than chance, below 0 worse;
undefined when both gave one verdict to everything). Per kind, the raters
are each item's first and second vote; per pair, the two analysts.

It also gives each analyst's throughput: decisions and votes, the days
they worked, items per day, and the median minutes between two items of
one sitting. The web UI shows the same on its Agreement page.
` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReviewStats(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runReviewStats(ctx context.Context, opts *reviewStatsOptions) error {
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := app.New(s, opts.Now).ReviewStats(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, st)
	}
	printReviewStats(opts.Stdout, st)
	return nil
}

func printReviewStats(w io.Writer, st app.ReviewStats) {
	if len(st.DoubleReview) == 0 {
		fmt.Fprintln(w, "blind double review: off (roster review config --double KINDS turns it on)")
	} else {
		fmt.Fprintf(w, "blind double review: %s; %d first decisions wait for a second\n", strings.Join(st.DoubleReview, ", "), st.Pending)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tITEMS\tAGREED\tAGREEMENT\tKAPPA")
	for _, r := range st.ByKind {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f%%\t%s\n", r.Kind, r.Items, r.Agreed, 100*r.Rate, kappaText(r))
	}
	if len(st.ByKind) == 0 {
		fmt.Fprintln(tw, "(no item decided twice yet)\t\t\t\t")
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ANALYSTS\tITEMS\tAGREED\tAGREEMENT\tKAPPA")
	for _, r := range st.ByPair {
		fmt.Fprintf(tw, "%s & %s\t%d\t%d\t%.0f%%\t%s\n", r.A, r.B, r.Items, r.Agreed, 100*r.Rate, kappaText(r))
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ANALYST\tITEMS\tDAYS\tPER DAY\tMEDIAN MINUTES PER ITEM\tFIRST\tLAST")
	for _, t := range st.Analysts {
		med := "—"
		if t.MedianMinutes > 0 {
			med = fmt.Sprintf("%.1f", t.MedianMinutes)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\n", t.Analyst, t.Items, t.Days, t.PerDay, med,
			t.First.UTC().Format("2006-01-02 15:04"), t.Last.UTC().Format("2006-01-02 15:04"))
	}
	tw.Flush()
}

func kappaText(r review.AgreementRow) string {
	if !r.KappaDefined {
		return "undefined"
	}
	return fmt.Sprintf("%.2f", r.Kappa)
}

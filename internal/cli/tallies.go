package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/manifest"
	"github.com/roster-coalition/roster/internal/review"
)

type talliesOptions struct {
	*globalOptions
	Format   string // csv | json | xlsx | table
	Out      string
	Audience string
	Publish  publishFlags
	By       string
}

// tallies are the counts with what the audience withholds: the persons
// the registry counts but a public export does not name, per group.
type tallies struct {
	review.Tally
	Audience string         `json:"audience"`
	Withheld map[string]int `json:"withheld"` // per group key, "unknown" and "total"; empty unless public
}

// newExportTalliesCmd is "roster export tallies"; the export command adds it.
func newExportTalliesCmd(g *globalOptions) *cobra.Command {
	opts := &talliesOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "tallies [--format csv|json|xlsx|table] [-o FILE]",
		Short: "Persons per group per list (latest editions) and in the unified registry, with the differences",
		Long: `Tallies is the table a press release quotes: for each of the 12 groups, how
many persons each source's latest edition lists under it, how many the
unified registry has, the smallest and largest source count and their
spread, and the sources whose count is a group gap (see roster review).

A registry person is counted once, under the group most of their sources
give (ties: the first group in display order). Before the first roster
match the counts are records and the registry column is empty.

Every audience counts every person. withheld (the last column) says how
many of the registry's persons in a group a public export does not name
because they are private (0 for the coalition and internal audiences).
` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runTallies(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Format, "format", "", "csv, json, xlsx or table (default: from the extension of -o, else csv)")
	cmd.Flags().StringVarP(&opts.Out, "output", "o", "", "write to `FILE` instead of stdout")
	addAudienceFlag(cmd, &opts.Audience)
	addByFlag(cmd, &opts.By, "who exports (a viewer may not ask for the internal audience)")
	addPublishFlags(cmd, &opts.Publish)
	return cmd
}

func runTallies(ctx context.Context, opts *talliesOptions) error {
	if opts.Format == "" {
		opts.Format = "csv"
		switch ext := strings.ToLower(filepath.Ext(opts.Out)); ext {
		case ".json", ".xlsx":
			opts.Format = ext[1:]
		}
	}
	switch opts.Format {
	case "csv", "json", "xlsx", "table":
	default:
		return usagef("--format %q: want csv, json, xlsx or table", opts.Format)
	}
	run, err := openForAudience(ctx, opts.globalOptions, opts.Audience, opts.By, opts.Publish, opts.Out)
	if err != nil {
		return err
	}
	defer run.s.Close()
	aud, key, s, policy := run.aud, run.key, run.s, run.policy
	in, _, err := app.New(s, opts.Now).ReviewInput(ctx, review.Options{}, false)
	if err != nil {
		return err
	}
	t := tallies{Tally: review.Tallies(in), Audience: string(aud), Withheld: policy.WithheldByGroup(in)}
	if t.Withheld == nil {
		t.Withheld = map[string]int{}
	}
	if n := t.Withheld["total"]; n > 0 {
		opts.warnf("%d private persons are counted but not named", n)
	}
	var buf bytes.Buffer
	switch opts.Format {
	case "csv":
		err = writeTalliesCSV(&buf, t)
	case "json":
		err = writeJSON(&buf, t)
	case "xlsx":
		err = writeTalliesXLSX(&buf, t)
	case "table":
		err = writeTalliesTable(&buf, t)
	}
	if err != nil {
		return err
	}
	if opts.Out == "" {
		_, err = opts.Stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(opts.Out, buf.Bytes()); err != nil {
		return fmt.Errorf("write tallies: %w", err)
	}
	opts.warnf("wrote %s", opts.Out)
	if !opts.Publish.wanted() {
		return nil
	}
	counts, err := audienceCounts(ctx, s, policy)
	if err != nil {
		return err
	}
	return writeManifest(ctx, opts.globalOptions, s, key, aud, counts, manifest.Describe(filepath.Base(opts.Out), buf.Bytes(), "tallies", opts.Format),
		filepath.Dir(opts.Out))
}

// talliesRows is the table as strings: a header, then one row per group.
func talliesRows(t tallies) [][]string {
	head := []string{"group", "label"}
	for _, src := range t.Sources {
		head = append(head, src+" ("+t.Editions[src]+")")
	}
	head = append(head, "registry", "min", "max", "spread", "gaps", "withheld")
	rows := [][]string{head}
	for _, r := range t.Rows {
		row := []string{r.Group, r.Label}
		for _, src := range t.Sources {
			row = append(row, fmt.Sprint(r.BySource[src]))
		}
		reg := ""
		if t.Clustered {
			reg = fmt.Sprint(r.Registry)
		}
		row = append(row, reg, fmt.Sprint(r.Min), fmt.Sprint(r.Max), fmt.Sprint(r.Spread), strings.Join(r.Gaps, " "),
			fmt.Sprint(t.Withheld[r.Group]))
		rows = append(rows, row)
	}
	return rows
}

func writeTalliesCSV(w io.Writer, t tallies) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(talliesRows(t)); err != nil {
		return fmt.Errorf("write tallies: %w", err)
	}
	return nil
}

func writeTalliesTable(w io.Writer, t tallies) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for i, row := range talliesRows(t) {
		if i == 0 {
			for j := 2; j < len(row)-6; j++ {
				row[j] = strings.SplitN(row[j], " ", 2)[0] // the source slug; editions are in roster lists
			}
		}
		fmt.Fprintln(tw, strings.Join(append([]string{row[0]}, row[2:]...), "\t")+"\t")
	}
	return tw.Flush()
}

func writeTalliesXLSX(w io.Writer, t tallies) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Tallies"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for i, row := range talliesRows(t) {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return err
			}
			var val any = v
			if i > 0 && j >= 2 && j != len(row)-2 && v != "" {
				var n int
				if _, err := fmt.Sscan(v, &n); err == nil {
					val = n
				}
			}
			if err := f.SetCellValue(sheet, cell, val); err != nil {
				return err
			}
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write tallies: %w", err)
	}
	return nil
}

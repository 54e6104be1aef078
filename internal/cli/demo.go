package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/fixtures"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type demoOptions struct {
	*globalOptions
	Keep string // keep the database at this path
}

func newDemoCmd(g *globalOptions) *cobra.Command {
	opts := &demoOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole job on the bundled fixtures in a fresh temporary database",
		Long: `Demo imports the bundled sample lists (made-up people from four imaginary
organisations), then prints what each later step shows. It never touches
--db: it works in a fresh temporary database (or --keep FILE).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Keep, "keep", "", "write the demo database to `FILE` (must not exist) instead of a temporary one")
	return cmd
}

var demoFileRE = regexp.MustCompile(`^([a-z0-9]+)-(\d{4}-\d{2})\.[a-z]+$`)

type demoFile struct{ name, source, edition string }

// demoFiles lists the embedded fixture lists, oldest edition first.
func demoFiles() ([]demoFile, error) {
	ents, err := fs.ReadDir(fixtures.Lists, "lists")
	if err != nil {
		return nil, err
	}
	// The editions' full dates are in truth.csv (source,edition,...).
	truthEditions := map[string]string{}
	if data, err := fs.ReadFile(fixtures.Lists, "lists/truth.csv"); err == nil {
		rows, _ := csv.NewReader(bytes.NewReader(data)).ReadAll()
		for _, r := range rows {
			if len(r) >= 2 && len(r[1]) == 10 {
				truthEditions[r[0]+"@"+r[1][:7]] = r[1]
			}
		}
	}
	var out []demoFile
	for _, e := range ents {
		m := demoFileRE.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			continue
		}
		ed := m[2] + "-01"
		if full, ok := truthEditions[m[1]+"@"+m[2]]; ok {
			ed = full
		}
		out = append(out, demoFile{name: e.Name(), source: m[1], edition: ed})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].edition != out[j].edition {
			return out[i].edition < out[j].edition
		}
		return out[i].name < out[j].name
	})
	return out, nil
}

func runDemo(ctx context.Context, opts *demoOptions) error {
	dir, err := os.MkdirTemp("", "roster-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dbPath := filepath.Join(dir, "demo.db")
	if opts.Keep != "" {
		if _, err := os.Stat(opts.Keep); err == nil {
			return usagef("--keep %s: file exists", opts.Keep)
		}
		dbPath = opts.Keep
	}
	g := *opts.globalOptions
	g.DB = dbPath
	files, err := demoFiles()
	if err != nil {
		return err
	}
	w := g.Stdout
	fmt.Fprintf(w, "== Importing %d sample lists (made-up people) into a fresh database\n", len(files))
	for _, f := range files {
		data, err := fs.ReadFile(fixtures.Lists, path.Join("lists", f.name))
		if err != nil {
			return err
		}
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(w, "$ roster import %s --source %s --edition %s\n", f.name, f.source, f.edition)
		if err := runImport(ctx, &importOptions{globalOptions: &g, Files: []string{p}, Source: f.source, Edition: f.edition}); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	fmt.Fprintln(w, "\n== The lists")
	fmt.Fprintln(w, "$ roster lists")
	if err := runSources(ctx, &sourcesOptions{globalOptions: &g, Lists: true}); err != nil {
		return err
	}
	// Each sample list means to list everyone: omissions and group gaps
	// are raised against all of them.
	fmt.Fprintln(w, "\n== What each list covers")
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.source] {
			continue
		}
		seen[f.source] = true
		fmt.Fprintf(w, "$ roster sources set-scope %s --all\n", f.source)
		if err := runSetScope(ctx, &setScopeOptions{globalOptions: &g, Source: f.source, All: true, By: "demo"}); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	for _, step := range demoSteps() {
		if err := step(ctx, &g); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	if opts.Keep != "" {
		fmt.Fprintf(w, "\nThe demo database is %s: try roster --db %s persons\n", opts.Keep, opts.Keep)
	}
	return nil
}

// demoSteps are the later parts of the job (match, review, export), each
// printing what it shows.
func demoSteps() []func(ctx context.Context, g *globalOptions) error {
	return []func(ctx context.Context, g *globalOptions) error{demoMatch, demoReview, demoEstimate}
}

// demoMatch runs the match and prints the summary and a sample of the
// registry.
func demoMatch(ctx context.Context, g *globalOptions) error {
	w := g.Stdout
	fmt.Fprintln(w, "\n== Matching: block, score, cluster")
	fmt.Fprintln(w, "$ roster match")
	if err := runMatch(ctx, &matchOptions{globalOptions: g}); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n== A sample of the registry (one row per person)")
	fmt.Fprintln(w, "$ roster export registry --format csv | head")
	var buf bytes.Buffer
	gg := *g
	gg.Stdout = &buf
	if err := runExport(ctx, &exportOptions{globalOptions: &gg, Format: "csv"}, "registry"); err != nil {
		return err
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	if len(lines) > 9 {
		lines = lines[:9]
	}
	fmt.Fprint(w, strings.Join(lines, ""))
	return nil
}

// demoReview is the demo's review step, after roster match has rebuilt
// the queue: it prints the open items by kind and the first few, and the
// tallies table.
func demoReview(ctx context.Context, g *globalOptions) error {
	s, err := g.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	w := g.Stdout
	fmt.Fprintln(w, "\n== The review queue (rebuilt by roster match)")
	counts, err := s.ReviewCounts(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tOPEN")
	for _, k := range roster.Kinds {
		fmt.Fprintf(tw, "%s\t%d\n", k, counts[k])
	}
	tw.Flush()
	fmt.Fprintln(w, "\n$ roster review list --kind group-gap")
	if err := runReviewList(ctx, &reviewListOptions{globalOptions: g, Filter: store.ReviewFilter{Kind: roster.KindGroupGap}}); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n$ roster review list --limit 8")
	if err := runReviewList(ctx, &reviewListOptions{globalOptions: g, Limit: 8}); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n== Tallies: persons per group per list and in the registry")
	fmt.Fprintln(w, "$ roster export tallies --format table")
	return runTallies(ctx, &talliesOptions{globalOptions: g, Format: "table"})
}

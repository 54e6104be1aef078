package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/estimate"
	"github.com/roster-coalition/roster/internal/export"
	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/manifest"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/report"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type reportOptions struct {
	*globalOptions
	Lang      string
	Out       string
	Criterion string
	Audience  string
	Publish   publishFlags
	By        string
}

func newReportCmd(g *globalOptions) *cobra.Command {
	opts := &reportOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "report --lang az|ru|en -o DIR",
		Short: "Write the publication report: one self-contained HTML file in Azerbaijani, Russian or English",
		Long: `Report writes DIR/index.html: the combined registry for publication, in
--lang az, ru or en. It shows the persons per group on each list and in
the registry (the coverage matrix), what each list omits, the lists'
overlap as an UpSet chart, the changes since each source's previous
edition, the population estimate (as roster estimate --by group makes it)
with its interval, model table and warnings, the method in plain words,
and one row per person: the name in the report's script where Roster knows
that form (Azerbaijani Latin, Russian, English), the lists' own spellings,
groups and lists. Birth dates, cases, notes and raw rows are left out.

--audience public names no private person (see roster privacy): the
persons, the changes and the spellings leave them out, every count and the
estimate still count them, and the report says how many are not named.

The file needs nothing else: CSS and charts are inline, it has no script
and loads nothing (its Content-Security-Policy forbids it), and it prints
to A4. The same database gives the same bytes.
` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReport(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Lang, "lang", "en", "the report's language: az, ru or en")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write `DIR`/index.html")
	cmd.Flags().StringVar(&opts.Criterion, "criterion", estimate.ByBIC, "choose the estimate's model by bic, aic or stepwise")
	addAudienceFlag(cmd, &opts.Audience)
	addByFlag(cmd, &opts.By, "who writes the report (a viewer may not ask for the internal audience)")
	addPublishFlags(cmd, &opts.Publish)
	return cmd
}

func runReport(ctx context.Context, opts *reportOptions) error {
	lang, ok := i18n.Parse(opts.Lang)
	if !ok || string(lang) != strings.ToLower(opts.Lang) {
		return usagef("--lang %q: want az, ru or en", opts.Lang)
	}
	if opts.Out == "" {
		return usagef("-o DIR is required")
	}
	eo := estimate.Options{Criterion: strings.ToLower(opts.Criterion), Seed: 1}
	if err := eo.Check(); err != nil {
		return usageError{err}
	}
	run, err := openForAudience(ctx, opts.globalOptions, opts.Audience, opts.By, opts.Publish, opts.Out)
	if err != nil {
		return err
	}
	defer run.s.Close()
	aud, key, s, policy := run.aud, run.key, run.s, run.policy
	in, err := reportInput(ctx, s, lang, eo, policy)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, in); err != nil {
		return err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	path := filepath.Join(opts.Out, "index.html")
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return err
	}
	opts.warnf("wrote %s (%d persons, %s, audience %s)", path, len(in.Persons), lang, aud)
	if n := len(in.Withheld); n > 0 {
		opts.warnf("%d private persons counted but not named", n)
	}
	if !opts.Publish.wanted() {
		return nil
	}
	counts, err := audienceCounts(ctx, s, policy)
	if err != nil {
		return err
	}
	return writeManifest(ctx, opts.globalOptions, s, key, aud, counts, manifest.Describe("index.html", buf.Bytes(), "report", "html"), opts.Out)
}

// reportInput reads what the report shows and estimates. The persons and
// the changes pass through the audience filter; the counts, the tallies and
// the estimate count everyone.
func reportInput(ctx context.Context, s *store.Store, lang i18n.Lang, eo estimate.Options, policy audience.Policy) (report.Input, error) {
	data, err := loadEstimateData(ctx, s, "")
	if err != nil {
		return report.Input{}, err
	}
	rows, err := s.ExportRows(ctx)
	if err != nil {
		return report.Input{}, err
	}
	sources, err := s.Sources(ctx)
	if err != nil {
		return report.Input{}, err
	}
	est, err := estimateAll(data, eo, true)
	if err != nil {
		return report.Input{}, err
	}
	in := report.Input{Lang: lang, AsOf: data.AsOf, Estimate: est.Overall}
	for _, g := range est.Groups {
		in.Groups = append(in.Groups, report.GroupEstimate{Group: g.Group, Result: g.Result})
	}

	// The persons of the latest editions, with their names from the
	// registry and every spelling of their records.
	on := map[string][]string{}
	for _, p := range data.Persons {
		on[p.ID] = p.Lists
	}
	named, withheld := audienceRows(policy, rows)
	for _, id := range withheld {
		if lists, ok := on[id]; ok {
			in.Withheld = append(in.Withheld, lists)
		}
	}
	spellings := map[string][]string{}
	for _, r := range named {
		if on[r.PersonID] != nil && !slices.Contains(spellings[r.PersonID], r.Name) {
			spellings[r.PersonID] = append(spellings[r.PersonID], r.Name)
		}
	}
	for _, reg := range export.Registry(toMembers(named), app.RegistryNamer, nil) {
		per := report.Person{ID: reg.PersonID, Name: reg.Name, NameRU: reg.NameRU, NameEN: reg.NameEN, Groups: reg.Groups}
		lists, ok := on[reg.PersonID]
		if !ok {
			in.Former = append(in.Former, per)
			continue
		}
		per.Spellings, per.Lists = spellings[reg.PersonID], lists
		in.Persons = append(in.Persons, per)
	}

	// The lists.
	used := map[string]string{}
	for _, l := range data.Lists {
		used[l.Name] = l.Edition
	}
	records, persons := map[string]int{}, map[string]int{}
	for _, r := range rows {
		if used[r.Source] == r.Edition {
			records[r.Source]++
		}
	}
	for _, p := range data.Persons {
		for _, l := range p.Lists {
			persons[l]++
		}
	}
	for _, src := range sources {
		ed, ok := used[src.Slug]
		if !ok {
			continue
		}
		rs := report.Source{Slug: src.Slug, Title: src.Title, Edition: ed, Records: records[src.Slug], Persons: persons[src.Slug],
			Editions: len(src.Editions)}
		for _, e := range src.Editions {
			if e.Edition != ed {
				rs.Earlier = append(rs.Earlier, e.Edition)
			}
		}
		in.Sources = append(in.Sources, rs)
	}

	// The tallies and the changes between editions, from the review
	// builder's view of the records.
	rin := review.Input{Fingerprint: match.Fingerprint, Records: make([]roster.Record, len(rows)), Members: make([]roster.Membership, 0, len(rows))}
	for i, r := range rows {
		rin.Records[i] = r.Record
		if r.PersonID != "" {
			rin.Members = append(rin.Members, roster.Membership{PersonID: r.PersonID, Source: r.Source, Edition: r.Edition, Ref: r.Ref,
				Link: r.Link, Score: r.Score})
		}
	}
	in.Tally = review.Tallies(rin)
	for _, src := range in.Sources {
		if src.Editions < 2 {
			continue
		}
		d, err := review.DiffEditions(rin, src.Slug, "", "")
		if err != nil {
			return report.Input{}, err
		}
		d, added, removed := policy.Diff(d)
		in.Changes = append(in.Changes, d)
		in.ChangesWithheld = append(in.ChangesWithheld, [2]int{added, removed})
	}
	return in, nil
}

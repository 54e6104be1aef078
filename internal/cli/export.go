package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/export"
	"github.com/roster-coalition/roster/internal/manifest"
	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type exportOptions struct {
	*globalOptions
	Format   string
	Out      string
	Audience string
	Publish  publishFlags
	By       string
}

func newExportCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export registry|crosswalk|tallies [--format csv|json|xlsx] [-o FILE]",
		Short: "Export the unified registry, the crosswalk or the tallies",
		Long: `Export writes what the last match run and the analysts' decisions made of the
lists. Output is deterministic: the same database gives the same bytes (rows
sorted, no timestamps, fixed XLSX document properties). The format defaults
to the extension of -o, else CSV; without -o the export goes to stdout.
` + exitHelp,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newExportRegistryCmd(g), newExportCrosswalkCmd(g))
	// The tallies export (review queue, internal/cli) is added here:
	cmd.AddCommand(newExportTalliesCmd(g))
	return cmd
}

func addExportFlags(cmd *cobra.Command, opts *exportOptions) {
	cmd.Flags().StringVar(&opts.Format, "format", "", "csv|json|xlsx (default: by the extension of -o, else csv)")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write to `FILE` (default: stdout)")
	addAudienceFlag(cmd, &opts.Audience)
	addPublishFlags(cmd, &opts.Publish)
	addByFlag(cmd, &opts.By, "who exports (a viewer may not ask for the internal audience)")
}

func newExportRegistryCmd(g *globalOptions) *cobra.Command {
	opts := &exportOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "registry [--format csv|json|xlsx] [-o FILE]",
		Short: "One row per person: canonical name (Azerbaijani Latin, English, Russian), birth year, groups, cases, the lists with their references, open review items",
		Long: `The registry has one row per person of the current clustering, sorted by
person ID. The canonical name is the best-attested Azerbaijani-Latin spelling
among the person's records (part by part: surname, given name, patronymic);
when no list writes the person in Azerbaijani Latin the name engine
reconstructs it (name_attested = no). The English and Russian forms are made
from it by the name engine. aliases lists, once each and sorted, the other
names the person's records give: their alias columns (Pen name, Псевдоним,
Təxəllüsü …) and the names their name cells write in brackets or after
"also known as", "псевдоним", "təxəllüsü". The birth year is the most common one (conflicts
are review items); sources list "source:ref" (with @edition where a source
has several editions); review lists the kinds of open review items.

Columns: person_id, name, name_en, name_ru, name_attested, aliases,
birth_year, groups, cases, lists, sources, review.
` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runExport(cmd.Context(), opts, "registry") },
	}
	addExportFlags(cmd, opts)
	return cmd
}

func newExportCrosswalkCmd(g *globalOptions) *cobra.Command {
	opts := &exportOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "crosswalk [--format csv|json|xlsx] [-o FILE]",
		Short: "One row per source record: its person, the name as written, the link score and how it was linked",
		Long: `The crosswalk has one row per record of every imported edition, sorted by
source, edition and row: person_id, source, edition, record_ref, name (as
written), aliases (the record's other names: its alias columns and those in
its name cell), birth_year, group, score (probability of the link that brought the
record in; 1 for an analyst's link, 0 for a single) and link (auto, analyst,
single; empty for a record no match run has placed yet).
` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runExport(cmd.Context(), opts, "crosswalk") },
	}
	addExportFlags(cmd, opts)
	return cmd
}

func exportFormat(opts *exportOptions) (string, error) {
	f := strings.ToLower(opts.Format)
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(opts.Out)), ".")
		if f != export.CSV && f != export.JSON && f != export.XLSX {
			f = export.CSV
		}
	}
	for _, ok := range export.Formats {
		if f == ok {
			return f, nil
		}
	}
	return "", usagef("--format %q: want csv, json or xlsx", opts.Format)
}

func toMembers(rows []store.ExportRow) []export.Member {
	ms := make([]export.Member, len(rows))
	for i, r := range rows {
		ms[i] = export.Member{Record: r.Record, PersonID: r.PersonID, Link: r.Link, Score: r.Score, OtherNames: recordAliases(r.Record)}
	}
	return ms
}

// recordAliases are a record's other names: those of its alias columns
// and those its name cell writes in brackets or after "also known as",
// "псевдоним", "təxəllüsü" (names.SplitAliases); sorted, once each.
func recordAliases(r roster.Record) []string {
	_, inCell := names.SplitAliases(r.Name)
	return roster.MergeAliases(r.Aliases, inCell)
}

func runExport(ctx context.Context, opts *exportOptions, what string) error {
	format, err := exportFormat(opts)
	if err != nil {
		return err
	}
	run, err := openForAudience(ctx, opts.globalOptions, opts.Audience, opts.By, opts.Publish, opts.Out)
	if err != nil {
		return err
	}
	defer run.s.Close()
	aud, key, s, policy := run.aud, run.key, run.s, run.policy
	all, err := s.ExportRows(ctx)
	if err != nil {
		return err
	}
	rows, withheld := audienceRows(policy, all)
	noteWithheld(opts.globalOptions, withheld)
	unplaced := 0
	for _, r := range rows {
		if r.PersonID == "" {
			unplaced++
		}
	}
	if unplaced > 0 {
		opts.warnf("%d of %d records are in no person yet: run roster match", unplaced, len(rows))
	}
	var buf bytes.Buffer
	switch what {
	case "registry":
		review, err := s.OpenReviewKinds(ctx)
		if err != nil {
			return err
		}
		reg := export.Registry(toMembers(rows), app.RegistryNamer, review)
		if err := export.WriteRegistry(&buf, format, reg); err != nil {
			return err
		}
	case "crosswalk":
		cw := export.Crosswalk(toMembers(rows))
		if err := export.WriteCrosswalk(&buf, format, cw); err != nil {
			return err
		}
	}
	if opts.Out == "" || opts.Out == "-" {
		_, err := opts.Stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(opts.Out, buf.Bytes()); err != nil {
		return err
	}
	if !opts.Publish.wanted() {
		return nil
	}
	return writeManifest(ctx, opts.globalOptions, s, key, aud, exportCounts(all, withheld),
		manifest.Describe(filepath.Base(opts.Out), buf.Bytes(), what, format), filepath.Dir(opts.Out))
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, so that a reader never sees half an export.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("export: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

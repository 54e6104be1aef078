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
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type exportOptions struct {
	*globalOptions
	Format string
	Out    string
	By     string
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
	addByFlag(cmd, &opts.By, "who exports (a viewer's export leaves out what is private)")
}

// privateFields says what a viewer's export leaves out: birth years (with
// a name, they identify a person) and the state of the review (the
// analysts' work in progress). Until privacy marks exist, these are what
// Roster treats as private.
const privateFields = "birth_year, review"

// viewerExport reports whether the account exporting is a viewer (whose
// exports leave out what is private). Once the database has accounts,
// --by must name one.
func viewerExport(ctx context.Context, s *store.Store, by string) (bool, error) {
	role, err := s.RoleOf(ctx, by)
	if err != nil {
		return false, roster.Errorf(roster.EFORBIDDEN, "%v: exports need --by NAME of an account", err)
	}
	return role == store.RoleViewer, nil
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
from it by the name engine. The birth year is the most common one (conflicts
are review items); sources list "source:ref" (with @edition where a source
has several editions); review lists the kinds of open review items.

Columns: person_id, name, name_en, name_ru, name_attested, birth_year,
groups, cases, lists, sources, review.
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
written), birth_year, group, score (probability of the link that brought the
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
		ms[i] = export.Member{Record: r.Record, PersonID: r.PersonID, Link: r.Link, Score: r.Score}
	}
	return ms
}

func runExport(ctx context.Context, opts *exportOptions, what string) error {
	format, err := exportFormat(opts)
	if err != nil {
		return err
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := s.ExportRows(ctx)
	if err != nil {
		return err
	}
	unplaced := 0
	for _, r := range rows {
		if r.PersonID == "" {
			unplaced++
		}
	}
	if unplaced > 0 {
		opts.warnf("%d of %d records are in no person yet: run roster match", unplaced, len(rows))
	}
	viewer, err := viewerExport(ctx, s, opts.By)
	if err != nil {
		return err
	}
	if viewer {
		opts.warnf("%s is a viewer: the export leaves out %s", opts.By, privateFields)
	}
	var buf bytes.Buffer
	switch what {
	case "registry":
		review, err := s.OpenReviewKinds(ctx)
		if err != nil {
			return err
		}
		reg := export.Registry(toMembers(rows), app.RegistryNamer, review)
		if viewer {
			for i := range reg {
				reg[i].BirthYear, reg[i].Review = 0, []string{}
			}
		}
		if err := export.WriteRegistry(&buf, format, reg); err != nil {
			return err
		}
	case "crosswalk":
		cw := export.Crosswalk(toMembers(rows))
		if viewer {
			for i := range cw {
				cw[i].BirthYear = 0
			}
		}
		if err := export.WriteCrosswalk(&buf, format, cw); err != nil {
			return err
		}
	}
	if opts.Out == "" || opts.Out == "-" {
		_, err := opts.Stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(opts.Out, buf.Bytes())
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

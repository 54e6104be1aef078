package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/synth"
)

type synthOptions struct {
	*globalOptions
	Persons      int
	Seed         uint64
	Out          string
	NamesakeRate float64
	BrotherRate  float64
	XLSXMaxRows  int
	JSON         bool
	FromMentions string // build lists from a mentions table instead
	NamesOnly    bool   // four names-only lists
	Variants     string // with NamesOnly: spellings from a variant table
	Edition      string // with FromMentions or NamesOnly: YYYY-MM
}

func newSynthCmd(g *globalOptions) *cobra.Command {
	opts := &synthOptions{globalOptions: g}
	d := synth.DefaultOptions(0, 0)
	cmd := &cobra.Command{
		Use:   "synth --persons N [--seed S] -o DIR",
		Short: "Generate realistic competing lists of made-up prisoners with a known truth",
		Long: `Synth makes up N persons (common Azerbaijani names combined at random, birth
year, group, case, arrest date) and writes the lists of five made-up
organisations, each with its own habits: spelling route (Azerbaijani Latin,
Russian Cyrillic, English directly or through Russian, typed without an
Azerbaijani keyboard, Azerbaijani Cyrillic), name order, split or full-name
columns, headers and group labels in its language, file format and encoding
(CSV UTF-8, CSV Windows-1251, XLSX, JSON, TSV UTF-16), coverage (one list
leaves out anti-war activists, another religious believers), typos,
surname-form changes, birth years off by one or missing, namesakes and
brothers.

DIR gets one file per organisation (<slug>-<YYYY-MM>.<ext>), truth.csv
(source,edition,record_ref,person) and manifest.json. The output depends only
on --persons, --seed and the rates. A list longer than --xlsx-max-rows is
written as CSV instead of XLSX (XLSX is slow at that size). Expect about 3.1
records per person (--persons 32500 gives about 100,000 records).

  roster synth --persons 300 --seed 1 -o fixtures/bench
  for f in fixtures/bench/*-*.*; do roster import "$f" --source "$(basename "${f%%-*}")"; done
  roster match && roster eval --truth fixtures/bench/truth.csv

Lists from real material, where a generator cannot hide the matcher's blind
spots:

  --from-mentions FILE   lists built from a table of real mentions (TSV with
                         person_key, name_as_written, category, case_name,
                         arrest_date, sentence, birth_year, notes): inflected
                         mentions dropped, list k holds the k-th distinct
                         spelling of each person (files m01-…, m02-…)
  --names-only           four lists with a name column only, each person in
                         all four: Azerbaijani Latin, Russian Cyrillic,
                         English from Azerbaijani, English through Russian
                         (naz, nru, nen, ner); --variants FILE takes the
                         spellings from a table of attested variants
                         (az_latin, ru_cyrillic, en_from_az_latin,
                         en_from_russian) instead of the generator's own

  roster synth --from-mentions ../shared/data/real-mentions-dev.tsv -o /tmp/real
  roster synth --names-only --persons 80 --variants ../shared/data/az-name-variants-dev.tsv -o /tmp/no
` + exitHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSynth(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.IntVar(&opts.Persons, "persons", 300, "number of made-up `N` persons")
	f.Uint64Var(&opts.Seed, "seed", 1, "random `SEED`")
	f.StringVarP(&opts.Out, "out", "o", "", "output `DIR` (created if missing), required")
	f.Float64Var(&opts.NamesakeRate, "namesakes", d.NamesakeRate, "share of persons who share an earlier person's full name")
	f.Float64Var(&opts.BrotherRate, "brothers", d.BrotherRate, "share of persons who are brothers of an earlier person (same surname and father)")
	f.IntVar(&opts.XLSXMaxRows, "xlsx-max-rows", 50000, "write lists longer than this as CSV instead of XLSX")
	f.BoolVar(&opts.JSON, "json", false, "print the manifest as JSON")
	f.StringVar(&opts.FromMentions, "from-mentions", "", "build lists from a mentions `TSV` instead of making up persons")
	f.BoolVar(&opts.NamesOnly, "names-only", false, "write four names-only lists (one per spelling route)")
	f.StringVar(&opts.Variants, "variants", "", "with --names-only: take spellings from a variant `TSV`")
	f.StringVar(&opts.Edition, "edition", "2025-01", "with --from-mentions or --names-only: the lists' `YYYY-MM`")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runSynth(_ context.Context, opts *synthOptions) error {
	if opts.Persons <= 0 {
		return usagef("--persons %d: want a positive number", opts.Persons)
	}
	if opts.NamesakeRate < 0 || opts.BrotherRate < 0 || opts.NamesakeRate+opts.BrotherRate > 0.5 {
		return usagef("--namesakes and --brothers: want rates between 0 and 0.5 in total")
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	create := func(name string) (io.WriteCloser, error) { return os.Create(filepath.Join(opts.Out, name)) }
	var man *synth.Manifest
	var err error
	switch {
	case opts.FromMentions != "":
		man, err = withInput(opts.FromMentions, func(r io.Reader) (*synth.Manifest, error) {
			return synth.FromMentions(r, opts.Edition, create)
		})
	case opts.NamesOnly && opts.Variants != "":
		man, err = withInput(opts.Variants, func(r io.Reader) (*synth.Manifest, error) {
			return synth.NamesOnly(synth.NamesOnlyOptions{Persons: opts.Persons, Seed: opts.Seed, Edition: opts.Edition, Variants: r}, create)
		})
	case opts.NamesOnly:
		man, err = synth.NamesOnly(synth.NamesOnlyOptions{Persons: opts.Persons, Seed: opts.Seed, Edition: opts.Edition}, create)
	default:
		so := synth.DefaultOptions(opts.Persons, opts.Seed)
		so.NamesakeRate, so.BrotherRate, so.XLSXMaxRows = opts.NamesakeRate, opts.BrotherRate, opts.XLSXMaxRows
		man, err = synth.Generate(so, create)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, man)
	}
	for _, l := range man.Lists {
		fmt.Fprintf(opts.Stdout, "%-22s %6d records  %s\n", l.File, l.Records, l.Title)
	}
	fmt.Fprintf(opts.Stdout, "%d persons (%d listed), %d records; truth in %s\n", man.Persons, man.Listed, man.Records,
		filepath.Join(opts.Out, man.Truth))
	return nil
}

// withInput opens path and hands it to fn, naming the file in an error.
func withInput(path string, fn func(io.Reader) (*synth.Manifest, error)) (*synth.Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	defer f.Close()
	man, err := fn(f)
	if err != nil {
		return nil, fmt.Errorf("synth: %s: %w", path, err)
	}
	return man, nil
}

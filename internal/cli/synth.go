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
	so := synth.DefaultOptions(opts.Persons, opts.Seed)
	so.NamesakeRate, so.BrotherRate, so.XLSXMaxRows = opts.NamesakeRate, opts.BrotherRate, opts.XLSXMaxRows
	man, err := synth.Generate(so, func(name string) (io.WriteCloser, error) {
		return os.Create(filepath.Join(opts.Out, name))
	})
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

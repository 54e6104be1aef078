package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/manifest"
)

type verifyOptions struct {
	*globalOptions
	Dir      string
	Key      string
	Unsigned bool
	JSON     bool
}

func newVerifyCmd(g *globalOptions) *cobra.Command {
	opts := &verifyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "verify DIR --key PREFIX.pub",
		Short: "Check a published export: the manifest's signature and every file's SHA-256",
		Long: `Verify checks DIR against DIR/manifest.json: the Ed25519 signature in
DIR/manifest.sig with the public key --key, then the size and SHA-256 of
every file the manifest lists, then that DIR holds no file the manifest
does not list. It prints one line per difference, naming the file, and
exits 1 when anything differs. It needs no database.

--unsigned checks the hashes of an export written with --manifest but not
--sign; that proves the files match their manifest, not who made them.
` + exitHelp,
		Example: "  roster verify published/ --key coalition-2026.pub",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			return runVerify(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Key, "key", "", "the public key `FILE` (PREFIX.pub) the signature must verify with")
	cmd.Flags().BoolVar(&opts.Unsigned, "unsigned", false, "check the hashes only (no --key)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type verifyJSON struct {
	OK       bool     `json:"ok"`
	Signed   bool     `json:"signed"`
	Key      string   `json:"key,omitempty"`
	Audience string   `json:"audience"`
	Files    []string `json:"files"`
	Problems []string `json:"problems"`
}

var errVerify = errors.New("verification failed")

func runVerify(_ context.Context, opts *verifyOptions) error {
	if (opts.Key == "") == !opts.Unsigned {
		return usagef("give --key PREFIX.pub to check the signature (or --unsigned to check the hashes only)")
	}
	var pub []byte
	if opts.Key != "" {
		b, err := os.ReadFile(opts.Key)
		if err != nil {
			return fmt.Errorf("--key: %w", err)
		}
		pub = b
	}
	res, err := verifyDir(opts.Dir, pub)
	if err != nil {
		return err
	}
	if opts.JSON {
		j := verifyJSON{OK: res.OK(), Signed: res.Signed, Key: res.Key, Audience: res.Manifest.Audience, Files: res.Files, Problems: []string{}}
		for _, p := range res.Problems {
			j.Problems = append(j.Problems, p.String())
		}
		if err := writeJSON(opts.Stdout, j); err != nil {
			return err
		}
	} else {
		w := opts.Stdout
		for _, p := range res.Problems {
			fmt.Fprintf(w, "FAIL %s\n", p)
		}
		if res.OK() {
			m := res.Manifest
			how := "hashes only, signature not checked"
			if res.Signed {
				how = "signed with key " + res.Key
			}
			run := "no match run"
			if m.Database.MatchRun != nil {
				run = fmt.Sprintf("match run %d of %s", m.Database.MatchRun.ID, m.Database.MatchRun.FinishedAt)
			}
			fmt.Fprintf(w, "OK %s: %d files match their manifest (%s)\n", opts.Dir, len(res.Files), how)
			fmt.Fprintf(w, "   files: %s\n", strings.Join(res.Files, ", "))
			fmt.Fprintf(w, "   audience %s; %d lists, %s; %d persons (%d withheld), %d records\n", m.Audience, len(m.Database.Lists), run,
				m.Counts.Persons, m.Counts.Withheld, m.Counts.Records)
		}
	}
	if !res.OK() {
		return fmt.Errorf("%w: %d differences in %s", errVerify, len(res.Problems), opts.Dir)
	}
	return nil
}

// verifyDir verifies a directory against its manifest, with the PEM
// public key pub (nil: hashes only).
func verifyDir(dir string, pub []byte) (manifest.Result, error) {
	var key []byte
	if pub != nil {
		k, err := manifest.ParsePublicKey(pub)
		if err != nil {
			return manifest.Result{}, usagef("--key: %v", err)
		}
		key = k
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return manifest.Result{}, fmt.Errorf("%s: not a directory", dir)
	}
	return manifest.Verify(os.DirFS(dir), key)
}

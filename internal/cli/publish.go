package cli

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/manifest"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// publishFlags are --manifest and --sign, on every command that writes an
// export to a file.
type publishFlags struct {
	Manifest bool
	Sign     string
}

func addPublishFlags(cmd *cobra.Command, p *publishFlags) {
	cmd.Flags().BoolVar(&p.Manifest, "manifest", false, "write manifest.json beside the output: the SHA-256 of every file, the lists and the match run, the counts and the audience")
	cmd.Flags().StringVar(&p.Sign, "sign", "", "sign the manifest with the Ed25519 private `KEYFILE` (roster keys new), writing manifest.sig (implies --manifest)")
}

func (p publishFlags) wanted() bool { return p.Manifest || p.Sign != "" }

// check refuses --manifest without a file to describe, and reads the
// signing key before anything is written.
func (p publishFlags) check(g *globalOptions, out string) (ed25519.PrivateKey, error) {
	if !p.wanted() {
		return nil, nil
	}
	if out == "" || out == "-" {
		return nil, usagef("--manifest and --sign need -o: the manifest describes files")
	}
	var key ed25519.PrivateKey
	if p.Sign != "" {
		b, err := os.ReadFile(p.Sign)
		if err != nil {
			return nil, fmt.Errorf("--sign: %w", err)
		}
		if key, err = manifest.ParsePrivateKey(b); err != nil {
			return nil, usagef("--sign %s: %v", p.Sign, err)
		}
		if st, err := os.Stat(p.Sign); err == nil && st.Mode().Perm()&0o077 != 0 {
			g.warnf("warning: %s can be read by others (mode %v): chmod 600 it, and keep the signing key off shared machines", p.Sign, st.Mode().Perm())
		}
	}
	// The export directory: made when missing.
	dir := out
	if filepath.Ext(out) != "" {
		dir = filepath.Dir(out)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export directory: %w", err)
	}
	return key, nil
}

// exportCounts are the manifest's counts: every record and person of the
// database, and the persons the audience's export withholds.
func exportCounts(rows []store.ExportRow, withheld []string) manifest.Counts {
	persons := map[string]bool{}
	for _, r := range rows {
		if r.PersonID != "" {
			persons[r.PersonID] = true
		}
	}
	return manifest.Counts{Records: len(rows), Persons: len(persons), Withheld: len(withheld)}
}

// audienceCounts reads the manifest's counts for a policy.
func audienceCounts(ctx context.Context, s *store.Store, p audience.Policy) (manifest.Counts, error) {
	rows, err := s.ExportRows(ctx)
	if err != nil {
		return manifest.Counts{}, err
	}
	_, withheld := audienceRows(p, rows)
	return exportCounts(rows, withheld), nil
}

// manifestDatabase describes what the export was made from: every list
// edition with its input files' hashes, and the last match run.
func manifestDatabase(ctx context.Context, s *store.Store) (manifest.Database, error) {
	srcs, err := s.Sources(ctx)
	if err != nil {
		return manifest.Database{}, err
	}
	db := manifest.Database{Lists: []manifest.List{}}
	for _, src := range srcs {
		for _, ed := range src.Editions {
			l := manifest.List{Source: src.Slug, Edition: ed.Edition, Records: ed.Records, Files: []manifest.InputFile{}}
			for _, f := range ed.Files {
				l.Files = append(l.Files, manifest.InputFile{Name: f.Name, SHA256: f.SHA256, Bytes: int64(f.Size)})
			}
			db.Lists = append(db.Lists, l)
		}
	}
	run, err := s.LastRun(ctx)
	switch {
	case err == nil:
		db.MatchRun = &manifest.Run{ID: run.ID, FinishedAt: run.FinishedAt, LinkThreshold: run.LinkThreshold, ReviewThreshold: run.ReviewThreshold}
	case roster.ErrorCode(err) != roster.ENOTFOUND:
		return db, err
	}
	return db, nil
}

// writeManifest adds a written file to the manifest beside it (starting
// one, or adding to one that describes the same database and audience)
// and signs it when a key is given. A manifest of another export is not
// overwritten: the files of one manifest must come from one state of the
// database, for one audience.
func writeManifest(ctx context.Context, g *globalOptions, s *store.Store, key ed25519.PrivateKey, aud audience.Audience,
	counts manifest.Counts, file manifest.File, dir string) error {
	db, err := manifestDatabase(ctx, s)
	if err != nil {
		return err
	}
	m := manifest.Manifest{Audience: string(aud), Database: db, Counts: counts}
	path := filepath.Join(dir, manifest.Name)
	if old, err := os.ReadFile(path); err == nil {
		prev, err := manifest.Parse(old)
		if err != nil {
			return fmt.Errorf("%s: %w (remove it, or export to another directory)", path, err)
		}
		if err := manifest.SameExport(prev, m); err != nil {
			return roster.Errorf(roster.ECONFLICT, "%s describes another export: %v; export to another directory, or remove it", path, err)
		}
		m.Files = prev.Files
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("manifest: %w", err)
	}
	m.Add(file)
	raw := m.Marshal()
	if err := writeFileAtomic(path, raw); err != nil {
		return err
	}
	sigPath := filepath.Join(dir, manifest.SigName)
	if key == nil {
		if err := os.Remove(sigPath); err == nil {
			g.warnf("removed %s: the manifest changed; sign it again with --sign", sigPath)
		}
		g.warnf("wrote %s (%d files, not signed)", path, len(m.Files))
		return nil
	}
	if err := writeFileAtomic(sigPath, manifest.Sign(key, raw)); err != nil {
		return err
	}
	g.warnf("wrote %s (%d files) and %s (key %s)", path, len(m.Files), sigPath, manifest.Fingerprint(key.Public().(ed25519.PublicKey)))
	return nil
}

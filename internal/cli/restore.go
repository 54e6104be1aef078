package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/store"
)

type restoreOptions struct {
	*globalOptions
	File       string
	Identities []string
	Passphrase bool
}

func newRestoreCmd(g *globalOptions) *cobra.Command {
	opts := &restoreOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "restore FILE [--identity KEYFILE]... [--passphrase]",
		Short: "Replace the database with a backup, after checking it; the old database is kept",
		Long: `Restore checks the backup before anything is replaced: it must decrypt (an
age-encrypted backup needs --identity with the age key it was encrypted
to, or --passphrase), pass SQLite's integrity and foreign-key checks, be a
roster database, and not be newer than this roster. Then the current
database is kept beside it (DB.before-restore-TIME, a consistent copy) and
the backup is copied in, in one transaction, so a running roster serve sees
the restored data. An older backup is migrated. A decrypted backup is held
in memory only.
` + exitHelp,
		Example: `  roster restore /backups/roster-2026-01-15.db
  roster restore /backups/roster.db.age --identity ~/keys/roster-backup.age`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return runRestore(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Identities, "identity", nil, "an age identity `FILE` (AGE-SECRET-KEY-…) to decrypt the backup")
	cmd.Flags().BoolVar(&opts.Passphrase, "passphrase", false, "decrypt with a passphrase (stdin, or asked on a terminal)")
	return cmd
}

// ageHeader starts every age file; armored files start with the PEM line.
const (
	ageHeader      = "age-encryption.org/v1\n"
	ageArmorHeader = "-----BEGIN AGE ENCRYPTED FILE-----"
)

func runRestore(ctx context.Context, opts *restoreOptions) error {
	f, err := os.Open(opts.File)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(len(ageArmorHeader))
	encrypted := string(head[:min(len(head), len(ageHeader))]) == ageHeader || string(head) == ageArmorHeader
	keep := store.KeepName(opts.DB, opts.Now())
	var kept string
	var info store.BackupInfo
	if !encrypted {
		if len(opts.Identities) > 0 || opts.Passphrase {
			return usagef("%s is not encrypted: --identity and --passphrase are for age-encrypted backups", opts.File)
		}
		kept, info, err = store.Restore(ctx, opts.File, opts.DB, keep)
	} else {
		var image []byte
		if image, err = decryptBackup(opts, br, string(head) == ageArmorHeader); err != nil {
			return err
		}
		kept, info, err = store.RestoreImage(ctx, image, opts.File, opts.DB, keep)
		clear(image)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "restored %s from %s (schema %d, %d records, %d persons, %d decisions, %d audit lines)\n", opts.DB, opts.File,
		info.SchemaVersion, info.Tables["records"], info.Tables["persons"], info.Tables["decisions"], info.Tables["audit"])
	if kept != "" {
		fmt.Fprintf(opts.Stdout, "the database it replaced is kept at %s\n", kept)
	}
	return nil
}

// decryptBackup decrypts an age-encrypted backup into memory.
func decryptBackup(opts *restoreOptions, r io.Reader, armored bool) ([]byte, error) {
	var ids []age.Identity
	for _, path := range opts.Identities {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("--identity: %w", err)
		}
		is, err := age.ParseIdentities(f)
		f.Close()
		if err != nil {
			return nil, usagef("--identity %s: %v", path, err)
		}
		ids = append(ids, is...)
	}
	if opts.Passphrase {
		pass, err := readSecret(opts.globalOptions, "Passphrase of the backup", false)
		if err != nil {
			return nil, err
		}
		id, err := age.NewScryptIdentity(pass)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, usagef("%s is encrypted (age): give --identity KEYFILE or --passphrase", opts.File)
	}
	if armored {
		r = armor.NewReader(r)
	}
	dec, err := age.Decrypt(r, ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, fmt.Errorf("%s does not decrypt with the identity or passphrase given: nothing was replaced", opts.File)
		}
		return nil, fmt.Errorf("decrypt %s: %w (nothing was replaced)", opts.File, err)
	}
	b, err := io.ReadAll(dec)
	if err != nil {
		return nil, fmt.Errorf("decrypt %s: %w (nothing was replaced)", opts.File, err)
	}
	return b, nil
}

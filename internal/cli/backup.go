package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/store"
)

type backupOptions struct {
	*globalOptions
	Out        string
	EncryptTo  []string
	Passphrase bool
}

func newBackupCmd(g *globalOptions) *cobra.Command {
	opts := &backupOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "backup -o FILE [--encrypt-to RECIPIENT]... [--passphrase]",
		Short: "Take a consistent copy of the database, while roster serve runs if need be; optionally encrypted with age",
		Long: `Backup copies the database with SQLite's online backup API: one consistent
snapshot, taken while others (roster serve, an import) go on writing. The
copy is checked (PRAGMA integrity_check) and written as one self-contained
SQLite file, readable by you alone (mode 600). A backup never overwrites a
file; -o DIR/ names it by the time (DIR/roster-20260115T031500Z.db, .age
when encrypted), for a timer.

--encrypt-to encrypts it with age (filippo.io/age) to a recipient: an age
public key (age1…, see roster keys new --age) or a file of them, one per
line; repeat it for several. --passphrase encrypts with a passphrase
instead (read from stdin, or asked twice on a terminal). An encrypted
backup is made in memory and never written unencrypted. Restore it with
roster restore FILE --identity KEYFILE (or --passphrase); the age command
line tool decrypts it too.
` + exitHelp,
		Example: `  roster backup -o /backups/roster-$(date +%F).db
  roster backup -o /backups/roster.db.age --encrypt-to age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBackup(cmd.Context(), opts) },
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write the backup to `FILE` (required)")
	cmd.Flags().StringArrayVar(&opts.EncryptTo, "encrypt-to", nil, "encrypt to this age `RECIPIENT` (age1…) or the recipients in this file")
	cmd.Flags().BoolVar(&opts.Passphrase, "passphrase", false, "encrypt with a passphrase (stdin, or asked on a terminal)")
	return cmd
}

func runBackup(ctx context.Context, opts *backupOptions) error {
	if opts.Out == "" {
		return usagef("-o FILE is required")
	}
	if len(opts.EncryptTo) > 0 && opts.Passphrase {
		return usagef("--encrypt-to or --passphrase, not both")
	}
	// A directory gets a new file named by the time: roster-20260115T100000Z.db.
	if st, err := os.Stat(opts.Out); strings.HasSuffix(opts.Out, "/") || err == nil && st.IsDir() {
		name := "roster-" + opts.Now().UTC().Format("20060102T150405Z") + ".db"
		if len(opts.EncryptTo) > 0 || opts.Passphrase {
			name += ".age"
		}
		opts.Out = filepath.Join(opts.Out, name)
	}
	if _, err := os.Stat(opts.Out); err == nil {
		return usagef("%s exists: a backup never overwrites a file", opts.Out)
	}
	var recips []age.Recipient
	for _, r := range opts.EncryptTo {
		rs, err := parseRecipients(r)
		if err != nil {
			return usagef("--encrypt-to %s: %v", r, err)
		}
		recips = append(recips, rs...)
	}
	if opts.Passphrase {
		pass, err := readSecret(opts.globalOptions, "Passphrase for the backup", true)
		if err != nil {
			return err
		}
		r, err := age.NewScryptRecipient(pass)
		if err != nil {
			return err
		}
		recips = append(recips, r)
	}
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	var info store.BackupInfo
	if len(recips) == 0 {
		if info, err = s.Backup(ctx, opts.Out); err != nil {
			return err
		}
		opts.warnf("warning: %s is not encrypted: keep it where only the coalition's operators can read it, or use --encrypt-to", opts.Out)
	} else {
		image, inf, err := s.Snapshot(ctx)
		if err != nil {
			return err
		}
		info = inf
		err = writeNewAtomic(opts.Out, 0o600, func(out io.Writer) error {
			w, err := age.Encrypt(out, recips...)
			if err != nil {
				return err
			}
			if _, err := w.Write(image); err != nil {
				return err
			}
			return w.Close()
		})
		clear(image)
		if err != nil {
			return fmt.Errorf("encrypt: %w", err)
		}
	}
	how := "not encrypted"
	switch {
	case opts.Passphrase:
		how = "encrypted with a passphrase"
	case len(recips) > 0:
		how = fmt.Sprintf("encrypted to %d age recipients", len(recips))
	}
	fmt.Fprintf(opts.Stdout, "backed up %s to %s (%s; schema %d, %d records, %d persons, %d decisions, %d audit lines)\n", s.Path(), opts.Out, how,
		info.SchemaVersion, info.Tables["records"], info.Tables["persons"], info.Tables["decisions"], info.Tables["audit"])
	return nil
}

// parseRecipients reads an age recipient (age1…) or a file of them.
func parseRecipients(arg string) ([]age.Recipient, error) {
	if strings.HasPrefix(arg, "age1") {
		return age.ParseRecipients(strings.NewReader(arg))
	}
	f, err := os.Open(arg)
	if err != nil {
		return nil, fmt.Errorf("not an age recipient (age1…), and not a file of them: %w", err)
	}
	defer f.Close()
	return age.ParseRecipients(f)
}

// writeNewAtomic writes a new file (never replacing one) through a
// temporary file beside it, synced, with the given mode; write fills it.
func writeNewAtomic(path string, mode os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// A hard link fails when path exists: a file is never replaced.
	if err := os.Link(tmp.Name(), path); err != nil {
		return err
	}
	return nil
}

// readSecret reads a passphrase: asked (twice when confirm) on a
// terminal, else the first line of stdin.
func readSecret(g *globalOptions, prompt string, confirm bool) (string, error) {
	if f, ok := g.Stdin.(*os.File); ok && isTerminal(f) {
		fmt.Fprintf(g.Stderr, "%s: ", prompt)
		pw, err := readNoEcho(f)
		fmt.Fprintln(g.Stderr)
		if err != nil {
			return "", fmt.Errorf("read passphrase: %w", err)
		}
		if confirm {
			fmt.Fprintf(g.Stderr, "Again: ")
			again, err := readNoEcho(f)
			fmt.Fprintln(g.Stderr)
			if err != nil {
				return "", fmt.Errorf("read passphrase: %w", err)
			}
			if pw != again {
				return "", usagef("the passphrases differ")
			}
		}
		if pw == "" {
			return "", usagef("empty passphrase")
		}
		return pw, nil
	}
	line, err := bufio.NewReader(g.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read passphrase from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("no passphrase on stdin (give it as the first line)")
	}
	return line, nil
}

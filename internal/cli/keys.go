package cli

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/manifest"
)

type keysOptions struct {
	*globalOptions
	Prefix string
	Age    bool
}

func newKeysCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys new -o PREFIX",
		Short: "Make the Ed25519 key pair that signs published exports",
		Args:  cobra.NoArgs,
	}
	opts := &keysOptions{globalOptions: g}
	newCmd := &cobra.Command{
		Use:   "new -o PREFIX",
		Short: "Write PREFIX.key (the private signing key, mode 600) and PREFIX.pub (the public key to publish)",
		Long: `Keys new makes an Ed25519 key pair for --sign. PREFIX.key is the private key
(PKCS #8 PEM, readable by you alone): keep it offline, on the machine that
publishes, and never in the repository or beside the exports. PREFIX.pub is
the public key (PKIX PEM): publish it where readers can find it, so that
anyone can check an export with roster verify DIR --key PREFIX.pub, or with
openssl alone. Existing files are never overwritten.

--age makes an age X25519 key pair for encrypted backups instead:
PREFIX.age is the identity (the secret key, mode 600) that roster restore
--identity needs, PREFIX.age.pub the recipient (age1…) that roster backup
--encrypt-to takes. Keep the identity away from the backups.
` + exitHelp,
		Example: "  roster keys new -o coalition-2026\n  roster keys new --age -o backup-key",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runKeysNew(cmd.Context(), opts) },
	}
	newCmd.Flags().StringVarP(&opts.Prefix, "out", "o", "", "write `PREFIX`.key and PREFIX.pub")
	newCmd.Flags().BoolVar(&opts.Age, "age", false, "an age key pair for encrypted backups: PREFIX.age and PREFIX.age.pub")
	cmd.AddCommand(newCmd)
	return cmd
}

func runKeysNew(_ context.Context, opts *keysOptions) error {
	if opts.Prefix == "" {
		return usagef("-o PREFIX is required")
	}
	if opts.Age {
		return runKeysNewAge(opts)
	}
	priv, pub, err := manifest.NewKey(rand.Reader)
	if err != nil {
		return err
	}
	keyPath, pubPath := opts.Prefix+".key", opts.Prefix+".pub"
	if err := writePair(keyPath, priv, pubPath, pub); err != nil {
		return err
	}
	k, _ := manifest.ParsePublicKey(pub)
	fmt.Fprintf(opts.Stdout, "wrote %s (private: keep it secret and offline) and %s (public: publish it)\nkey %s\n", keyPath, pubPath, manifest.Fingerprint(k))
	return nil
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// runKeysNewAge writes an age identity and its recipient.
func runKeysNewAge(opts *keysOptions) error {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	keyPath, pubPath := opts.Prefix+".age", opts.Prefix+".age.pub"
	recip := id.Recipient().String()
	secret := fmt.Sprintf("# roster backup identity: keep it secret, and away from the backups\n# public key: %s\n%s\n", recip, id.String())
	if err := writePair(keyPath, []byte(secret), pubPath, []byte(recip+"\n")); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "wrote %s (the identity: keep it secret, away from the backups) and %s\nrecipient %s\n", keyPath, pubPath, recip)
	return nil
}

// writePair writes a secret file (mode 600) and its public half, neither
// replacing an existing file.
func writePair(secretPath string, secret []byte, pubPath string, pub []byte) error {
	for _, p := range []string{secretPath, pubPath} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s exists: choose another prefix (a key is never overwritten)", p)
		}
	}
	if err := writeNew(secretPath, secret, 0o600); err != nil {
		return err
	}
	if err := writeNew(pubPath, pub, 0o644); err != nil {
		os.Remove(secretPath)
		return err
	}
	return nil
}

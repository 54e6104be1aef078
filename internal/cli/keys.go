package cli

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/manifest"
)

type keysOptions struct {
	*globalOptions
	Prefix string
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
` + exitHelp,
		Example: "  roster keys new -o coalition-2026",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runKeysNew(cmd.Context(), opts) },
	}
	newCmd.Flags().StringVarP(&opts.Prefix, "out", "o", "", "write `PREFIX`.key and PREFIX.pub")
	cmd.AddCommand(newCmd)
	return cmd
}

func runKeysNew(_ context.Context, opts *keysOptions) error {
	if opts.Prefix == "" {
		return usagef("-o PREFIX is required")
	}
	priv, pub, err := manifest.NewKey(rand.Reader)
	if err != nil {
		return err
	}
	keyPath, pubPath := opts.Prefix+".key", opts.Prefix+".pub"
	for _, p := range []string{keyPath, pubPath} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s exists: choose another prefix (a key is never overwritten)", p)
		}
	}
	if err := writeNew(keyPath, priv, 0o600); err != nil {
		return err
	}
	if err := writeNew(pubPath, pub, 0o644); err != nil {
		os.Remove(keyPath)
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

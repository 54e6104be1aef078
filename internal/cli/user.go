package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

type userOptions struct {
	*globalOptions
	JSON bool
}

func newUserCmd(g *globalOptions) *cobra.Command {
	opts := &userOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "user add|passwd|list|remove",
		Short: "Analyst accounts of the web review UI",
		Long: `Analyst accounts of the web review UI (roster serve). Every decision made in
the UI is recorded in the audit log under the analyst's name.

The password is read from stdin (the first line) or, on a terminal, prompted
for twice without echo. It is stored only as a bcrypt hash.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return usagef("user: want add, passwd, list or remove") },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "add NAME",
		Short: "Create an analyst account (password from stdin or prompted)",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runUserAdd(cmd.Context(), opts, args[0], false) },
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a new password (ends the analyst's sessions)",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runUserAdd(cmd.Context(), opts, args[0], true) },
	})
	list := &cobra.Command{
		Use:   "list",
		Short: "List the analyst accounts",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runUserList(cmd.Context(), opts) },
	}
	list.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.AddCommand(list)
	cmd.AddCommand(&cobra.Command{
		Use:   "remove NAME",
		Short: "Delete an account and its sessions (its decisions stay in the audit log)",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runUserRemove(cmd.Context(), opts, args[0]) },
	})
	return cmd
}

// readPassword reads a password: prompted twice without echo when stdin is
// a terminal, else the first line of stdin.
func readPassword(opts *userOptions, name string) (string, error) {
	if f, ok := opts.Stdin.(*os.File); ok && isTerminal(f) {
		fmt.Fprintf(opts.Stderr, "Password for %s: ", name)
		pw, err := readNoEcho(f)
		fmt.Fprintln(opts.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprintf(opts.Stderr, "Again: ")
		again, err := readNoEcho(f)
		fmt.Fprintln(opts.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if pw != again {
			return "", usagef("the passwords differ")
		}
		return pw, nil
	}
	line, err := bufio.NewReader(opts.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("no password on stdin (give it as the first line, e.g. from a file or a password manager)")
	}
	return line, nil
}

func runUserAdd(ctx context.Context, opts *userOptions, name string, passwd bool) error {
	pw, err := readPassword(opts, name)
	if err != nil {
		return err
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if passwd {
		if err := s.SetPassword(ctx, name, pw); err != nil {
			return err
		}
		fmt.Fprintf(opts.Stdout, "password of %s changed; their sessions are ended\n", name)
		return nil
	}
	if err := s.AddUser(ctx, name, pw); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "user %s added\n", name)
	return nil
}

func runUserList(ctx context.Context, opts *userOptions) error {
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		type userJSON struct {
			Name      string `json:"name"`
			CreatedAt string `json:"created_at"`
			Sessions  int    `json:"sessions"`
		}
		out := []userJSON{}
		for _, u := range users {
			out = append(out, userJSON{u.Name, u.CreatedAt.UTC().Format(time.RFC3339), u.Sessions})
		}
		return writeJSON(opts.Stdout, out)
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tCREATED\tSESSIONS")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", u.Name, u.CreatedAt.UTC().Format(time.RFC3339), u.Sessions)
	}
	return tw.Flush()
}

func runUserRemove(ctx context.Context, opts *userOptions, name string) error {
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.RemoveUser(ctx, "", name); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "user %s removed\n", name)
	return nil
}
